import { InvalidOptionError } from '../errors.js';
import {
  resolveBasicAuth,
  type ResolvedBasicAuth,
  type WebHdfsBasicAuth,
} from './basic-auth.js';
import {
  resolveKerberosOptions,
  type ResolvedKerberos,
  type WebHdfsKerberosOptions,
} from './kerberos-options.js';
import { parseNameNodeUrl, type NameNodeEndpoint } from './namenode-url.js';
import {
  resolveTlsOptions,
  type ResolvedTls,
  type WebHdfsTlsOptions,
} from './tls-options.js';

/** How to reach a cluster over WebHDFS. Only `namenodes` is required. */
export interface WebHdfsClientOptions {
  /**
   * NameNode addresses: one, or the NameNodes of an HA pair (any order; the
   * client finds the active one and remembers it). `webhdfs://nn1` or
   * `http://nn1` (port 9870), `swebhdfs://nn1` or `https://nn1` (port 9871),
   * or a gateway URL with its path (`https://knox:8443/gateway/prod/webhdfs/v1`;
   * ports 443 and 80 when it names none).
   */
  readonly namenodes: string | readonly string[];
  /**
   * Path of the REST API on every NameNode, when the URLs do not carry one.
   * @default '/webhdfs/v1'
   */
  readonly basePath?: string;
  /** `user.name` for clusters without Kerberos. @default undefined (HDFS uses `dr.who`) */
  readonly user?: string;
  /** Act on behalf of this user (`doas`); the cluster must allow the proxy user. */
  readonly doAs?: string;
  /**
   * A delegation token from the operator (its `urlString`): sent instead of
   * any other credentials on every request, never renewed; a refusal is
   * final until it is replaced. Never shown in an error or a debug line.
   * @default undefined
   */
  readonly delegationToken?: string;
  /**
   * TLS for `https://` and `swebhdfs://`: CA bundle, client certificate.
   * Certificates are always verified unless `tls.insecureSkipVerify` says
   * otherwise.
   * @default {}
   */
  readonly tls?: WebHdfsTlsOptions;
  /**
   * Kerberos (SPNEGO) authentication: `true` for the ticket cache of the
   * environment (`KRB5CCNAME`), or a keytab and principal. Needs the
   * optional package `kerberos`.
   * @default false
   */
  readonly kerberos?: boolean | WebHdfsKerberosOptions;
  /**
   * HTTP Basic authentication with a name and a password, for gateways that
   * ask for it (Apache Knox): `{ user, password }` or `{ user, passwordFile }`.
   * Sent to the NameNode URLs only, never to a DataNode on another host;
   * replaces `user.name`. Cannot be combined with `kerberos` or
   * `delegationToken`.
   * @default undefined
   */
  readonly basicAuth?: WebHdfsBasicAuth;
  /**
   * HttpFS-style gateway: send file data to the endpoint itself (`data=true`)
   * instead of following a redirect to a DataNode.
   * @default false
   */
  readonly gateway?: boolean;
  /**
   * Ask for the DataNode URL as JSON (`noredirect=true`) instead of a 307.
   * @default false
   */
  readonly noRedirect?: boolean;
  /**
   * DataNode addresses to replace in redirects, for hosts that cannot reach the
   * DataNodes' internal names: `{ 'dn1.internal:9864': 'http://dn1.example:9864' }`.
   * A key without a port matches every port of that host. A target written
   * as a bare `host:port` takes the scheme of the NameNode that redirected.
   * Behind an https NameNode a plain http target is refused, as an http
   * redirect is.
   * @default {}
   */
  readonly dataNodeRewrite?: Readonly<Record<string, string>>;
  /** Milliseconds to establish a connection. @default 10000 */
  readonly connectTimeout?: number;
  /** Milliseconds to wait for an answer once a request is sent. @default 60000 */
  readonly requestTimeout?: number;
  /** Milliseconds a body may make no progress, in either direction. @default 60000 */
  readonly stallTimeout?: number;
  /** Connections kept per host. @default 8 */
  readonly maxSockets?: number;
}

export interface ResolvedClientOptions {
  readonly namenodes: readonly NameNodeEndpoint[];
  readonly user: string | undefined;
  readonly doAs: string | undefined;
  readonly delegationToken: string | undefined;
  readonly tls: ResolvedTls;
  readonly kerberos: ResolvedKerberos | undefined;
  readonly basicAuth: ResolvedBasicAuth | undefined;
  readonly gateway: boolean;
  readonly noRedirect: boolean;
  readonly dataNodeRewrite: ReadonlyMap<string, DataNodeRewriteTarget>;
  readonly timeouts: { connect: number; request: number; stall: number };
  readonly maxSockets: number;
}

/**
 * Where a `dataNodeRewrite` entry sends the data: `protocol` is undefined for
 * a target written as a bare `host:port`, which takes the NameNode's scheme.
 */
export interface DataNodeRewriteTarget {
  readonly protocol: 'http:' | 'https:' | undefined;
  /** `host[:port]`, the port as written (none: the scheme's default). */
  readonly host: string;
}

/** Hadoop's UserParam pattern (webhdfs-reference.md section 2). */
const USER_NAME = /^[A-Za-z_][A-Za-z0-9._-]*[$]?$/;

/** Validates the options and fills in defaults, before any I/O. */
export function resolveClientOptions(
  options: WebHdfsClientOptions,
): ResolvedClientOptions {
  const list =
    typeof options.namenodes === 'string' ? [options.namenodes] : options.namenodes;
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidOptionError('namenodes', 'a NameNode URL or a non-empty list', list);
  }
  const namenodes = list.map((url: unknown, index) =>
    parseNameNodeUrl(url, `namenodes[${index}]`, options.basePath),
  );

  const delegationToken = optionalString('delegationToken', options.delegationToken);
  const kerberos = resolveKerberosOptions(options.kerberos, 'kerberos');
  const basicAuth = resolveBasicAuth(options.basicAuth, 'basicAuth');
  if (
    basicAuth !== undefined &&
    (kerberos !== undefined || delegationToken !== undefined)
  ) {
    const other = kerberos === undefined ? 'delegationToken' : 'kerberos';
    throw new InvalidOptionError(
      'basicAuth',
      `not set together with ${other} (a request carries one kind of credentials)`,
      'both',
    );
  }
  return {
    namenodes,
    user: optionalName('user', options.user),
    doAs: optionalName('doAs', options.doAs),
    delegationToken,
    tls: resolveTlsOptions(options.tls, 'tls'),
    kerberos,
    basicAuth,
    gateway: optionalBoolean('gateway', options.gateway),
    noRedirect: optionalBoolean('noRedirect', options.noRedirect),
    dataNodeRewrite: resolveRewrite(options.dataNodeRewrite),
    timeouts: {
      connect: positiveInteger('connectTimeout', options.connectTimeout, 10_000),
      request: positiveInteger('requestTimeout', options.requestTimeout, 60_000),
      stall: positiveInteger('stallTimeout', options.stallTimeout, 60_000),
    },
    maxSockets: positiveInteger('maxSockets', options.maxSockets, 8),
  };
}

function optionalName(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !USER_NAME.test(value)) {
    throw new InvalidOptionError(
      option,
      `a user name matching ${String(USER_NAME)}`,
      value,
    );
  }
  return value;
}

function optionalString(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    // Never echo a token back: it would land in logs.
    throw new InvalidOptionError(option, 'a non-empty string', typeof value);
  }
  return value;
}

function optionalBoolean(option: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new InvalidOptionError(option, 'true or false', value);
  return value;
}

function positiveInteger(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidOptionError(
      option,
      'a positive whole number of milliseconds',
      value,
    );
  }
  return value;
}

function resolveRewrite(value: unknown): ReadonlyMap<string, DataNodeRewriteTarget> {
  const map = new Map<string, DataNodeRewriteTarget>();
  if (value === undefined) return map;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(
      'dataNodeRewrite',
      'an object of "host[:port]": "URL"',
      value,
    );
  }
  for (const [from, to] of Object.entries(value as Record<string, unknown>)) {
    const option = `dataNodeRewrite[${JSON.stringify(from)}]`;
    if (typeof to !== 'string') throw new InvalidOptionError(option, 'a URL string', to);
    map.set(from.toLowerCase(), readRewriteTarget(option, to));
  }
  return map;
}

/** `http(s)://host[:port]`, or a bare `host[:port]` whose scheme is left open. */
function readRewriteTarget(option: string, to: string): DataNodeRewriteTarget {
  const bare = !/^[a-z]+:\/\//i.test(to);
  let url: URL;
  try {
    url = new URL(bare ? `http://${to}` : to);
  } catch {
    throw new InvalidOptionError(option, 'a URL such as "https://host:9865"', to);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionError(option, 'an http or https URL, or host:port', to);
  }
  if (!bare) return { protocol: url.protocol, host: url.host };

  // Parsed as http, `host:80` would lose its port, and then get 443 under https.
  const port = /:(\d+)$/.exec(to.split(/[/?#]/, 1)[0] ?? '')?.[1];
  const host = port === undefined ? url.hostname : `${url.hostname}:${Number(port)}`;
  return { protocol: undefined, host };
}
