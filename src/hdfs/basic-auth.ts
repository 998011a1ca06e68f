/**
 * HTTP Basic authentication, for gateways that log users in with a name
 * and a password (Apache Knox's default topology checks them against LDAP;
 * an HttpFS behind a reverse proxy may do the same). Credentials go only to
 * the configured NameNode or gateway addresses, never to a DataNode a
 * redirect names on another host, and are kept for redaction.
 */
import { readFileSync } from 'node:fs';
import { InvalidOptionError } from '../errors.js';

export interface WebHdfsBasicAuth {
  /** The login name; RFC 7617 allows no `:` in it. */
  readonly user: string;
  /** The password. Give this or `passwordFile`. */
  readonly password?: string;
  /**
   * A file holding the password (one trailing newline is ignored): read when
   * the client is created and again after the gateway refuses it, so a
   * rotated password is picked up without a restart.
   */
  readonly passwordFile?: string;
}

export interface ResolvedBasicAuth {
  readonly user: string;
  readonly password: string;
  readonly passwordFile: string | undefined;
}

const KEYS = new Set(['user', 'password', 'passwordFile']);

/** Checks the option and reads the password file; never echoes a password. */
export function resolveBasicAuth(
  value: unknown,
  option = 'basicAuth',
): ResolvedBasicAuth | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(
      option,
      'an object { user, password } or { user, passwordFile }',
      typeof value,
    );
  }
  const given = value as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!KEYS.has(key)) {
      throw new InvalidOptionError(`${option}.${key}`, 'not set (unknown option)', key);
    }
  }
  const { user, password, passwordFile } = given;
  if (typeof user !== 'string' || user === '' || /[:\p{Cc}]/u.test(user)) {
    throw new InvalidOptionError(
      `${option}.user`,
      'a login name without ":" or control characters',
      user,
    );
  }
  if ((password === undefined) === (passwordFile === undefined)) {
    throw new InvalidOptionError(
      option,
      'exactly one of password and passwordFile',
      password === undefined ? 'neither' : 'both',
    );
  }
  if (passwordFile !== undefined) {
    if (typeof passwordFile !== 'string' || passwordFile === '') {
      throw new InvalidOptionError(`${option}.passwordFile`, 'a file path', passwordFile);
    }
    return { user, password: readPassword(passwordFile, option), passwordFile };
  }
  return { user, password: checkPassword(password, `${option}.password`), passwordFile };
}

/** The password in `file` now; throws an InvalidOptionError naming the file. */
export function readPassword(file: string, option = 'basicAuth'): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
    throw new InvalidOptionError(
      `${option}.passwordFile`,
      `a file that can be read (${code})`,
      file,
    );
  }
  return checkPassword(text.replace(/\r?\n$/, ''), `${option}.passwordFile`);
}

/** The `Authorization` value for these credentials. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

function checkPassword(value: unknown, option: string): string {
  if (typeof value !== 'string' || value === '' || /\p{Cc}/u.test(value)) {
    // Never echo a password back: it would land in logs.
    throw new InvalidOptionError(
      option,
      'a non-empty password without control characters',
      typeof value !== 'string'
        ? `a ${typeof value}`
        : value === ''
          ? value
          : 'a value with control characters',
    );
  }
  return value;
}
