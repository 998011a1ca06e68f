import { readFileSync } from 'node:fs';
import type https from 'node:https';
import { InvalidOptionError } from '../errors.js';

/** PEM text, PEM bytes, or the path of a PEM file. */
export type PemSource = string | Uint8Array;

/**
 * TLS settings for `https://` and `swebhdfs://` NameNodes and the DataNodes
 * they redirect to. Certificates are verified against Node's bundled roots
 * unless `ca` is given.
 */
export interface WebHdfsTlsOptions {
  /**
   * CA certificates to trust instead of Node's bundled roots (a cluster's
   * own CA): PEM text, or the path of a PEM file. A list for several.
   * @default Node's bundled root certificates
   */
  readonly ca?: PemSource | readonly PemSource[];
  /**
   * Client certificate chain, for servers that require one: PEM text or the
   * path of a PEM file.
   * @default undefined (no client certificate)
   */
  readonly cert?: PemSource;
  /**
   * Private key of `cert`: PEM text or the path of a PEM file. Never shown
   * in an error message.
   * @default undefined
   */
  readonly key?: PemSource;
  /** Passphrase of an encrypted `key`. Never shown. @default undefined */
  readonly passphrase?: string;
  /**
   * Accept any certificate, even one that is self-signed, expired or for
   * another host. Anyone on the path can then read the logs and the
   * credentials: for a throwaway test cluster only.
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
}

/** What the https agent is given. */
export interface ResolvedTls {
  readonly ca: Buffer[] | undefined;
  readonly cert: Buffer | undefined;
  readonly key: Buffer | undefined;
  readonly passphrase: string | undefined;
  readonly rejectUnauthorized: boolean;
}

/** What an https agent is given for these settings. */
export function tlsAgentOptions(tls: ResolvedTls): https.AgentOptions {
  const { ca, cert, key, passphrase, rejectUnauthorized } = tls;
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert, key, passphrase }),
    rejectUnauthorized,
  };
}

/** Reads the TLS option, loading PEM files now, so that a bad path fails at start. */
export function resolveTlsOptions(value: unknown, option = 'tls'): ResolvedTls {
  if (value === undefined) value = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(
      option,
      'an object such as { ca: "/etc/ssl/ca.pem" }',
      value,
    );
  }
  const tls = value as Record<string, unknown>;
  const known = new Set(['ca', 'cert', 'key', 'passphrase', 'insecureSkipVerify']);
  for (const name of Object.keys(tls)) {
    if (!known.has(name)) {
      throw new InvalidOptionError(`${option}.${name}`, 'not set (unknown option)', name);
    }
  }
  const list = Array.isArray(tls.ca) ? (tls.ca as unknown[]) : [tls.ca];
  const ca =
    tls.ca === undefined
      ? undefined
      : list.map((item, index) => readPem(item, `${option}.ca[${index}]`, false));
  const cert =
    tls.cert === undefined ? undefined : readPem(tls.cert, `${option}.cert`, false);
  const key = tls.key === undefined ? undefined : readPem(tls.key, `${option}.key`, true);
  if ((cert === undefined) !== (key === undefined)) {
    throw new InvalidOptionError(
      `${option}.${cert === undefined ? 'cert' : 'key'}`,
      'given together with the other (a client certificate needs its key)',
      'undefined',
    );
  }
  const passphrase = tls.passphrase;
  if (passphrase !== undefined && typeof passphrase !== 'string') {
    // Never echo it: a mistyped passphrase is still most of a passphrase.
    throw new InvalidOptionError(`${option}.passphrase`, 'a string', typeof passphrase);
  }
  const skip = tls.insecureSkipVerify ?? false;
  if (typeof skip !== 'boolean') {
    throw new InvalidOptionError(`${option}.insecureSkipVerify`, 'true or false', skip);
  }
  return { ca, cert, key, passphrase, rejectUnauthorized: !skip };
}

/**
 * PEM text as it is, or a file read now. A key is never echoed in an error:
 * what was given may be the key itself with a typo.
 */
function readPem(value: unknown, option: string, secret: boolean): Buffer {
  const expected = 'PEM text or the path of a PEM file';
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value !== 'string' || value === '') {
    throw new InvalidOptionError(option, expected, secret ? typeof value : value);
  }
  if (value.includes('-----BEGIN')) return Buffer.from(value);
  let text: Buffer;
  try {
    text = readFileSync(value);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new InvalidOptionError(option, `${expected} that can be read (${code})`, value);
  }
  if (!text.includes('-----BEGIN')) {
    throw new InvalidOptionError(
      option,
      `${expected}; the file holds no PEM block`,
      value,
    );
  }
  return text;
}
