/**
 * The dev server's security flags: `--tls-cert`/`--tls-key` (with
 * `--tls-client-ca` to require client certificates) serve HTTPS, and
 * `--kerberos-keytab` (with `--kerberos-principal`) requires SPNEGO, as a
 * secure cluster does; `--basic-auth-file` requires a name-and-password
 * login, as Apache Knox does. Files are read here, so that a wrong path is
 * one clear line before anything listens.
 */
import { readFileSync } from 'node:fs';
import type {
  DevHdfsKerberosOptions,
  DevHdfsTlsOptions,
} from '../dev-hdfs/dev-hdfs-options.js';
import { CliUsageError } from './cli-error.js';

export interface SecurityFlags {
  readonly 'tls-cert'?: string | undefined;
  readonly 'tls-key'?: string | undefined;
  readonly 'tls-client-ca'?: string | undefined;
  readonly 'kerberos-keytab'?: string | undefined;
  readonly 'kerberos-principal'?: string | undefined;
  readonly 'basic-auth-file'?: string | undefined;
}

export interface SecurityOptions {
  tls?: DevHdfsTlsOptions;
  kerberos?: DevHdfsKerberosOptions;
  basicAuth?: Record<string, string>;
}

/** The server options the flags ask for; `{}` when none is given. */
export function parseSecurityFlags(flags: SecurityFlags): SecurityOptions {
  const options: SecurityOptions = {};
  const cert = flags['tls-cert'];
  const key = flags['tls-key'];
  const clientCa = flags['tls-client-ca'];
  if ((cert === undefined) !== (key === undefined)) {
    throw new CliUsageError('--tls-cert and --tls-key go together: give both or neither');
  }
  if (clientCa !== undefined && cert === undefined) {
    throw new CliUsageError('--tls-client-ca needs --tls-cert and --tls-key');
  }
  if (cert !== undefined && key !== undefined) {
    options.tls = {
      cert: readPem(cert, '--tls-cert'),
      key: readPem(key, '--tls-key'),
      ...(clientCa === undefined
        ? {}
        : { ca: readPem(clientCa, '--tls-client-ca'), requireClientCert: true }),
    };
  }

  const keytab = flags['kerberos-keytab'];
  const principal = flags['kerberos-principal'];
  if (principal !== undefined && keytab === undefined) {
    throw new CliUsageError('--kerberos-principal needs --kerberos-keytab');
  }
  if (keytab !== undefined) {
    readFile(keytab, '--kerberos-keytab'); // readable now, not at the first request
    options.kerberos = {
      keytab,
      ...(principal === undefined ? {} : { servicePrincipal: principal }),
    };
  }

  const logins = flags['basic-auth-file'];
  if (logins !== undefined) {
    if (keytab !== undefined) {
      throw new CliUsageError(
        '--basic-auth-file and --kerberos-keytab exclude each other',
      );
    }
    options.basicAuth = readLogins(logins);
  }
  return options;
}

/** `user:password` lines; blank lines and `#` comments are skipped. */
function readLogins(path: string): Record<string, string> {
  const flag = '--basic-auth-file';
  const logins: Record<string, string> = {};
  const lines = readFile(path, flag).toString('utf8').split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0 || colon === line.length - 1) {
      // The line holds a password: name its number, never its text.
      throw new CliUsageError(
        `${flag}: line ${index + 1} of ${path} is not "user:password"`,
      );
    }
    logins[line.slice(0, colon)] = line.slice(colon + 1);
  }
  if (Object.keys(logins).length === 0) {
    throw new CliUsageError(`${flag}: ${path} holds no "user:password" line`);
  }
  return logins;
}

function readPem(path: string, flag: string): string {
  const text = readFile(path, flag).toString('utf8');
  if (!text.includes('-----BEGIN ')) {
    throw new CliUsageError(`${flag} must name a PEM file; ${path} holds no PEM block`);
  }
  return text;
}

function readFile(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliUsageError(`${flag}: cannot read ${path} (${code})`);
  }
}
