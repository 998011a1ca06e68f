/**
 * A throwaway certificate authority made with openssl at run time (no key is
 * ever committed): a CA, a server certificate for 127.0.0.1 and localhost,
 * and a client certificate, each as PEM text and as a file path.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PemFile {
  readonly path: string;
  readonly pem: string;
}

export interface TestPki {
  readonly ca: PemFile;
  readonly serverCert: PemFile;
  readonly serverKey: PemFile;
  readonly clientCert: PemFile;
  readonly clientKey: PemFile;
}

/** Creates the CA and its certificates under `dir` (about a tenth of a second). */
export async function makeTestPki(dir: string): Promise<TestPki> {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const key = (name: string) =>
    openssl(
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      name,
    );

  await key('ca.key');
  await openssl(
    ...['req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '2'],
    ...['-subj', '/CN=hlt test CA', '-out', 'ca.pem'],
  );
  await writeFile(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  await writeFile(file('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, subject] of [
    ['server', '/CN=127.0.0.1'],
    ['client', '/CN=logship'],
  ] as const) {
    await key(`${name}.key`);
    await openssl(
      'req',
      '-new',
      '-key',
      `${name}.key`,
      '-subj',
      subject,
      '-out',
      `${name}.csr`,
    );
    await openssl(
      ...['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key'],
      ...['-CAcreateserial', '-days', '2', '-sha256', '-extfile', `${name}.ext`],
      ...['-out', `${name}.pem`],
    );
  }
  const pem = async (name: string): Promise<PemFile> => ({
    path: file(name),
    pem: await readFile(file(name), 'utf8'),
  });
  return {
    ca: await pem('ca.pem'),
    serverCert: await pem('server.pem'),
    serverKey: await pem('server.key'),
    clientCert: await pem('client.pem'),
    clientKey: await pem('client.key'),
  };
}
