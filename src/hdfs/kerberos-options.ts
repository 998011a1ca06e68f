import { accessSync, constants } from 'node:fs';
import { InvalidOptionError } from '../errors.js';

/**
 * Kerberos (SPNEGO) settings. Credentials come from a keytab (with
 * `principal`), or from a ticket cache filled by `kinit`. Uses the optional
 * package `kerberos`, loaded only when this option is set.
 */
export interface WebHdfsKerberosOptions {
  /**
   * The client principal, e.g. `logship/web-1.example.com@EXAMPLE.COM`.
   * Required with `keytab`; otherwise it picks the ticket cache's entry.
   * @default the ticket cache's default principal
   */
  readonly principal?: string;
  /**
   * A keytab holding `principal`'s keys. Tickets are then obtained from it
   * and obtained again before they expire, with no `kinit` and nothing
   * written to disk.
   * @default undefined (use a ticket cache)
   */
  readonly keytab?: string;
  /**
   * The ticket cache to use when there is no keytab, e.g.
   * `FILE:/var/run/logship/krb5cc`. Getting a ticket into it is left to
   * whatever fills it (`kinit`, k5start); see `renewTicketCache`.
   * @default the KRB5CCNAME environment variable, else the system default
   */
  readonly ticketCache?: string;
  /**
   * With a ticket cache: renew its renewable ticket-granting ticket with
   * MIT's `kinit -R` once 80% of its life has passed, as Hadoop's client
   * does. A ticket past its renewal limit must be replaced by whatever
   * filled the cache.
   * @default true
   */
  readonly renewTicketCache?: boolean;
  /**
   * The NameNodes' HTTP service principal, `service/host`; `_HOST` stands
   * for the host of the NameNode being called. The realm comes from
   * krb5.conf (`[domain_realm]`, else `default_realm`), as for Hadoop's own
   * client.
   * @default 'HTTP/_HOST'
   */
  readonly servicePrincipal?: string;
  /**
   * After the first SPNEGO login, fetch a delegation token
   * (`GETDELEGATIONTOKEN`) and send it instead of Kerberos credentials, as
   * Hadoop's client does; it is renewed before it expires and fetched anew
   * after its maximum lifetime.
   * @default true
   */
  readonly delegationTokens?: boolean;
}

export interface ResolvedKerberos {
  readonly principal: string | undefined;
  readonly keytab: string | undefined;
  readonly ticketCache: string | undefined;
  /** Renew the cache's ticket (never with a keytab, whose tickets are obtained anew). */
  readonly renewTicketCache: boolean;
  /** `[service, host]`; host may be `_HOST`. */
  readonly servicePrincipal: readonly [string, string];
  readonly delegationTokens: boolean;
}

const KNOWN = [
  'principal',
  'keytab',
  'ticketCache',
  'renewTicketCache',
  'servicePrincipal',
  'delegationTokens',
];
const PRINCIPAL = /^[^\s@/]+(\/[^\s@/]+)?(@[^\s@/]+)?$/;
const SERVICE = /^([^\s@/]+)\/([^\s@/]+)$/;

/** Reads the `kerberos` option: false/undefined (off), true (defaults) or an object. */
export function resolveKerberosOptions(
  value: unknown,
  option = 'kerberos',
): ResolvedKerberos | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) value = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(option, 'true, false or an object', value);
  }
  const given = value as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!KNOWN.includes(name)) {
      throw new InvalidOptionError(`${option}.${name}`, 'not set (unknown option)', name);
    }
  }
  const principal = optionalText(given.principal, `${option}.principal`, PRINCIPAL);
  const keytab = optionalText(given.keytab, `${option}.keytab`);
  const ticketCache = optionalText(given.ticketCache, `${option}.ticketCache`);
  if (keytab !== undefined) {
    if (principal === undefined) {
      throw new InvalidOptionError(
        `${option}.principal`,
        'set when a keytab is given',
        principal,
      );
    }
    try {
      accessSync(keytab, constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'an error';
      throw new InvalidOptionError(
        `${option}.keytab`,
        `a readable keytab file (${code})`,
        keytab,
      );
    }
  }
  if (keytab !== undefined && ticketCache !== undefined) {
    throw new InvalidOptionError(
      `${option}.ticketCache`,
      'unset when a keytab is given',
      ticketCache,
    );
  }
  const renew = readBoolean(given.renewTicketCache, `${option}.renewTicketCache`, true);
  return {
    principal,
    keytab,
    ticketCache,
    renewTicketCache: keytab === undefined && renew,
    servicePrincipal: readService(given.servicePrincipal, `${option}.servicePrincipal`),
    delegationTokens: readBoolean(
      given.delegationTokens,
      `${option}.delegationTokens`,
      true,
    ),
  };
}

function readService(value: unknown, option: string): readonly [string, string] {
  if (value === undefined) return ['HTTP', '_HOST'];
  if (typeof value === 'string' && value.includes('@')) {
    throw new InvalidOptionError(
      option,
      '"service/host" without a realm: the realm comes from krb5.conf [domain_realm]',
      value,
    );
  }
  const match = typeof value === 'string' ? SERVICE.exec(value) : null;
  if (match === null) {
    throw new InvalidOptionError(option, 'a principal such as "HTTP/_HOST"', value);
  }
  return [match[1] ?? 'HTTP', match[2] ?? '_HOST'];
}

function optionalText(
  value: unknown,
  option: string,
  pattern?: RegExp,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || (pattern && !pattern.test(value))) {
    throw new InvalidOptionError(
      option,
      pattern ? 'a principal such as "alice@REALM"' : 'a non-empty string',
      value,
    );
  }
  return value;
}

function readBoolean(value: unknown, option: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new InvalidOptionError(option, 'true or false', value);
  return value;
}

/** The host-based service name GSSAPI wants (`HTTP@nn1.example.com`) for one NameNode. */
export function serviceNameFor(kerberos: ResolvedKerberos, hostname: string): string {
  const [service, host] = kerberos.servicePrincipal;
  const target = host === '_HOST' ? hostname.replace(/^\[|\]$/g, '').toLowerCase() : host;
  return `${service}@${target}`;
}

/** A principal's short name (`alice/host@REALM` → `alice`), Hadoop's default rule. */
export function shortName(principal: string): string {
  return principal.split(/[/@]/, 1)[0] ?? principal;
}
