/**
 * Options of the dev WebHDFS server, with their defaults resolved and checked
 * in one place before anything listens.
 */
import { InvalidOptionError } from '../errors.js';
import type { DevNamespace } from './dev-namespace.js';
import { validateFaults, type DevHdfsFaults } from './faults.js';
import type { HaState } from './namenode-state.js';
import {
  checkProxyUsers,
  type ProxyUsers,
  type ProxyUsersOption,
} from './proxy-users.js';

export interface DevHdfsOptions {
  /**
   * Local directory served as HDFS `/`, created if missing. Required unless
   * `namespace` is given (and then ignored).
   */
  root?: string;
  /** A namespace shared with another server: an HA pair over the same root. */
  namespace?: DevNamespace;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** NameNode (or gateway) port; 0 picks a free port. @default 0 */
  port?: number;
  /** DataNode port; 0 picks a free port. Unused in gateway mode. @default 0 */
  dataNodePort?: number;
  /** HttpFS-like single endpoint: no redirect to a DataNode. @default false */
  gateway?: boolean;
  /** The NameNode's HA state. @default 'active' */
  haState?: HaState;
  /** Faults switched on from the start. @default {} */
  faults?: DevHdfsFaults;
  /** How long a file abandoned mid-write stays under construction. @default 60000 */
  leaseSoftLimitMs?: number;
  /** Port of the admin endpoint (0 picks one); no admin endpoint when absent. */
  adminPort?: number;
  /**
   * Serve the NameNode and DataNode over HTTPS with this certificate; the
   * redirect to the DataNode then keeps the `https` scheme.
   * @default undefined (plain HTTP)
   */
  tls?: DevHdfsTlsOptions;
  /**
   * Require Kerberos, as a secure cluster does: SPNEGO or a delegation token
   * at the NameNode, a delegation token at the DataNode.
   * @default undefined (security off: `user.name`)
   */
  kerberos?: DevHdfsKerberosOptions;
  /**
   * Require a name-and-password login (`Authorization: Basic`) at the
   * gateway, or at the NameNode without gateway mode, as Apache Knox does:
   * `{ alice: 'secret' }`. The login names the user. Not with `kerberos`.
   * @default undefined
   */
  basicAuth?: Readonly<Record<string, string>>;
  /**
   * Whom each proxy user may act for with `doas` (Hadoop's
   * `hadoop.proxyuser.<name>.users`): `{ svc: ['alice'] }`, `'*'` for anyone;
   * any other `doas` is a 403 SecurityException. Hadoop allows no proxy user
   * by default; without this option the dev server allows every `doas`.
   * @default undefined (every `doas` is allowed)
   */
  proxyUsers?: ProxyUsersOption;
}

export interface DevHdfsTlsOptions {
  /** PEM certificate chain of the server. */
  cert: string | Uint8Array;
  /** PEM private key of `cert`. */
  key: string | Uint8Array;
  /** PEM CA certificates that client certificates must chain to. @default undefined */
  ca?: string | Uint8Array;
  /** Refuse clients without a certificate signed by `ca`. @default false */
  requireClientCert?: boolean;
}

export interface DevHdfsKerberosOptions {
  /** Keytab holding the `HTTP/<host>` service key. */
  keytab: string;
  /**
   * The service principal to accept, `HTTP/host`.
   * @default any principal of the keytab
   */
  servicePrincipal?: string;
  /** How long a delegation token lives without renewal. @default 86400000 (one day) */
  tokenRenewIntervalMs?: number;
  /** How long a delegation token can be renewed. @default 604800000 (seven days) */
  tokenMaxLifetimeMs?: number;
}

/** dfs lease soft limit (HdfsConstants.LEASE_SOFTLIMIT_PERIOD). */
export const DEFAULT_LEASE_SOFT_LIMIT_MS = 60_000;

export interface ResolvedDevHdfsOptions {
  readonly root: string | undefined;
  readonly namespace: DevNamespace | undefined;
  readonly host: string;
  readonly port: number;
  readonly dataNodePort: number;
  readonly gateway: boolean;
  readonly haState: HaState;
  readonly faults: DevHdfsFaults;
  readonly leaseSoftLimitMs: number;
  readonly adminPort: number | undefined;
  readonly tls: DevHdfsTlsOptions | undefined;
  readonly kerberos: Required<DevHdfsKerberosOptions> | undefined;
  readonly basicAuth: ReadonlyMap<string, string> | undefined;
  readonly proxyUsers: ProxyUsers | undefined;
}

/** Applies defaults and rejects unusable values with the option's name. */
export function resolveDevHdfsOptions(options: DevHdfsOptions): ResolvedDevHdfsOptions {
  if (
    options.namespace === undefined &&
    (typeof options.root !== 'string' || !options.root)
  ) {
    throw new InvalidOptionError(
      'root',
      'a directory path (or give `namespace`)',
      options.root,
    );
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') {
    throw new InvalidOptionError('host', 'a host name or IP address', host);
  }
  const haState = checkHaState('haState', options.haState ?? 'active');
  const leaseSoftLimitMs = options.leaseSoftLimitMs ?? DEFAULT_LEASE_SOFT_LIMIT_MS;
  if (!Number.isSafeInteger(leaseSoftLimitMs) || leaseSoftLimitMs < 0) {
    throw new InvalidOptionError(
      'leaseSoftLimitMs',
      'a non-negative integer',
      leaseSoftLimitMs,
    );
  }

  return {
    root: options.root,
    namespace: options.namespace,
    host,
    port: checkPort('port', options.port ?? 0),
    dataNodePort: checkPort('dataNodePort', options.dataNodePort ?? 0),
    gateway: options.gateway ?? false,
    haState,
    faults: validateFaults(options.faults ?? {}),
    leaseSoftLimitMs,
    adminPort:
      options.adminPort === undefined
        ? undefined
        : checkPort('adminPort', options.adminPort),
    tls: checkTls(options.tls),
    kerberos: checkKerberos(options.kerberos),
    basicAuth: checkBasicAuth(options.basicAuth, options.kerberos !== undefined),
    proxyUsers: checkProxyUsers(options.proxyUsers),
  };
}

function checkBasicAuth(
  logins: unknown,
  kerberos: boolean,
): ReadonlyMap<string, string> | undefined {
  if (logins === undefined) return undefined;
  if (kerberos) {
    throw new InvalidOptionError('basicAuth', 'not set together with kerberos', 'both');
  }
  if (typeof logins !== 'object' || logins === null || Array.isArray(logins)) {
    throw new InvalidOptionError('basicAuth', 'an object of user: password', logins);
  }
  const map = new Map<string, string>();
  for (const [user, password] of Object.entries(logins as Record<string, unknown>)) {
    if (user === '' || user.includes(':')) {
      throw new InvalidOptionError('basicAuth', 'user names without ":"', user);
    }
    if (typeof password !== 'string' || password === '') {
      throw new InvalidOptionError(`basicAuth.${user}`, 'a password', typeof password);
    }
    map.set(user, password);
  }
  if (map.size === 0) {
    throw new InvalidOptionError('basicAuth', 'at least one user', 'none');
  }
  return map;
}

function checkTls(tls: DevHdfsTlsOptions | undefined): DevHdfsTlsOptions | undefined {
  if (tls === undefined) return undefined;
  for (const name of ['cert', 'key'] as const) {
    const value: unknown = tls[name];
    if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
      throw new InvalidOptionError(`tls.${name}`, 'PEM text', typeof value);
    }
  }
  if (tls.requireClientCert === true && tls.ca === undefined) {
    throw new InvalidOptionError('tls.ca', 'the CA of client certificates', undefined);
  }
  return tls;
}

function checkKerberos(
  kerberos: DevHdfsKerberosOptions | undefined,
): Required<DevHdfsKerberosOptions> | undefined {
  if (kerberos === undefined) return undefined;
  if (typeof kerberos.keytab !== 'string' || kerberos.keytab === '') {
    throw new InvalidOptionError('kerberos.keytab', 'a keytab path', kerberos.keytab);
  }
  const service = kerberos.servicePrincipal ?? '';
  if (service !== '' && !/^[^\s@/]+\/[^\s@/]+$/.test(service)) {
    throw new InvalidOptionError('kerberos.servicePrincipal', '"HTTP/host"', service);
  }
  const interval = kerberos.tokenRenewIntervalMs ?? 86_400_000;
  const lifetime = kerberos.tokenMaxLifetimeMs ?? 604_800_000;
  for (const [name, value] of [
    ['tokenRenewIntervalMs', interval],
    ['tokenMaxLifetimeMs', lifetime],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new InvalidOptionError(`kerberos.${name}`, 'a positive integer', value);
    }
  }
  return {
    keytab: kerberos.keytab,
    servicePrincipal: service,
    tokenRenewIntervalMs: interval,
    tokenMaxLifetimeMs: lifetime,
  };
}

/** Narrows an untyped HA state (from JSON, the CLI, plain JavaScript). */
export function checkHaState(option: string, state: unknown): HaState {
  if (state !== 'active' && state !== 'standby') {
    throw new InvalidOptionError(option, '"active" or "standby"', state);
  }
  return state;
}

function checkPort(option: string, port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidOptionError(option, 'an integer port from 0 to 65535', port);
  }
  return port;
}

/** The host to put in URLs: a wildcard address is reached through loopback. */
export function advertisedHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
