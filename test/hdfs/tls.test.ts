import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import type { DevHdfsOptions } from '../../src/dev-hdfs/index.js';
import { InvalidOptionError, WebHdfsTlsError } from '../../src/errors.js';
import { classifyError } from '../../src/hdfs/error-class.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import type { WebHdfsClientOptions } from '../../src/hdfs/webhdfs-client-options.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { startShipper, writeIds } from '../helpers/test-shipper.js';
import { waitForEvents } from '../helpers/shipper-events.js';
import { makeTestPki } from '../helpers/test-pki.js';

const pkiDir = await mkdtemp(join(tmpdir(), 'hlt-pki-'));
after(() => rm(pkiDir, { recursive: true, force: true }));
const pki = await makeTestPki(pkiDir);

const serverTls = { cert: pki.serverCert.pem, key: pki.serverKey.pem };

async function tlsServer(t: TestContext, tls: DevHdfsOptions['tls'] = serverTls) {
  return startTestServer(t, { tls });
}

function client(
  t: TestContext,
  url: string,
  options: Partial<WebHdfsClientOptions> = {},
) {
  const hdfs = new WebHdfsClient({ namenodes: url, user: 'alice', ...options });
  t.after(() => hdfs.close());
  return hdfs;
}

function swebhdfs(url: string): string {
  return `swebhdfs://${new URL(url).host}`;
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

test('writes and reads over TLS when the CA is given, DataNode included', async (t) => {
  const { server } = await tlsServer(t);
  const locations: string[] = [];
  server.on('request', (event) => locations.push(`${event.role} ${event.op}`));
  assert.match(server.url, /^https:/);
  assert.match(server.dataNodeUrl, /^https:/);

  const hdfs = client(t, swebhdfs(server.url), { tls: { ca: pki.ca.path } });
  await hdfs.create('/logs/a.log', Buffer.from('over tls\n'));

  assert.equal(await readAll(await hdfs.open('/logs/a.log')), 'over tls\n');
  assert.deepEqual(locations.slice(0, 2), ['namenode CREATE', 'datanode CREATE']);
});

test('refuses a certificate from an unknown CA by default, saying how to trust it', async (t) => {
  const { server } = await tlsServer(t);
  const hdfs = client(t, swebhdfs(server.url));

  const error = await hdfs.mkdirs('/logs').then(
    () => assert.fail('an untrusted certificate was accepted'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof WebHdfsTlsError, String(error));
  assert.equal(error.code, 'ERR_WEBHDFS_TLS');
  assert.match(
    error.message,
    /not signed by a trusted CA; give the cluster's CA in webhdfs\.tls\.ca/,
  );
  assert.equal(classifyError(error), 'permanent');
});

test('refuses a certificate that does not name the host it was reached by', async (t) => {
  // The certificate names 127.0.0.1 and localhost, not 127.0.0.2.
  const { server } = await startTestServer(t, { tls: serverTls, host: '127.0.0.2' });
  const hdfs = client(t, swebhdfs(server.url), { tls: { ca: pki.ca.pem } });

  await assert.rejects(hdfs.mkdirs('/logs'), (error: unknown) => {
    assert.ok(error instanceof WebHdfsTlsError, String(error));
    assert.match(error.message, /does not name that host/);
    return true;
  });
});

test('accepts any certificate with insecureSkipVerify, and only then', async (t) => {
  const { server } = await tlsServer(t);
  const hdfs = client(t, swebhdfs(server.url), { tls: { insecureSkipVerify: true } });
  assert.equal(await hdfs.mkdirs('/logs'), true);
});

test('presents its client certificate to a server that requires one', async (t) => {
  const { server } = await tlsServer(t, {
    ...serverTls,
    ca: pki.ca.pem,
    requireClientCert: true,
  });
  const url = swebhdfs(server.url);

  const without = client(t, url, { tls: { ca: pki.ca.path } });
  await assert.rejects(without.mkdirs('/logs'), (error: unknown) => {
    assert.ok(error instanceof WebHdfsTlsError || error instanceof Error, String(error));
    assert.equal((error as { code?: string }).code, 'ERR_WEBHDFS_TLS');
    return true;
  });

  const withCert = client(t, url, {
    tls: { ca: pki.ca.path, cert: pki.clientCert.path, key: pki.clientKey.path },
  });
  await withCert.create('/logs/b.log', Buffer.from('mutual\n'));
  assert.equal(await readAll(await withCert.open('/logs/b.log')), 'mutual\n');
});

test('says so when a TLS client meets a plain HTTP server', async (t) => {
  const { server } = await startTestServer(t);
  const hdfs = client(t, `https://${new URL(server.url).host}`);
  await assert.rejects(hdfs.mkdirs('/logs'), /does not seem to speak TLS/);
});

test('never echoes a private key or passphrase given in a wrong shape', () => {
  const secret = 'MC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  for (const tls of [
    { cert: pki.clientCert.pem, key: { secret } },
    { cert: pki.clientCert.pem, key: pki.clientKey.pem, passphrase: [secret] },
  ]) {
    assert.throws(
      () => new WebHdfsClient({ namenodes: 'swebhdfs://nn1', tls: tls as never }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.ok(!error.message.includes(secret), error.message);
        return true;
      },
    );
  }
});

test('refuses a client certificate without its key, and an unreadable CA file', () => {
  assert.throws(
    () =>
      new WebHdfsClient({
        namenodes: 'swebhdfs://nn1',
        tls: { cert: pki.clientCert.pem },
      }),
    { name: 'InvalidOptionError', option: 'tls.key' },
  );
  assert.throws(
    () =>
      new WebHdfsClient({
        namenodes: 'swebhdfs://nn1',
        tls: { ca: join(pkiDir, 'none.pem') },
      }),
    { name: 'InvalidOptionError', option: 'tls.ca[0]', message: /ENOENT/ },
  );
});

test('a shipper publishes to a swebhdfs:// destination with webhdfs.tls', async (t) => {
  const { server, root } = await tlsServer(t);
  const { shipper } = await startShipper(
    t,
    `swebhdfs://${new URL(server.url).host}/logs/{name}`,
    {
      webhdfs: { tls: { ca: pki.ca.path } },
    },
  );
  const uploaded = waitForEvents(shipper, 'uploaded', 'a segment published over TLS');
  writeIds(shipper, 0, 10);
  await shipper.flush();
  await uploaded;
  assert.equal((await readdir(join(root, 'logs', 'app'))).length, 1);
});
