/**
 * Reading a WebHDFS request URL the way each role does (webhdfs-reference.md
 * sections 2 and 9): the NameNode lower-cases parameter names (ParamFilter)
 * and reports a bad value as Jersey's ParamException rewritten by its
 * ExceptionHandler; the DataNode looks names up exactly and throws the bare
 * IllegalArgumentException.
 */
import { HadoopException } from './hadoop-exception.js';

/** Prefix of every WebHDFS resource. */
export const WEBHDFS_PREFIX = '/webhdfs/v1';

/** The user Hadoop assumes when `user.name` is absent (hadoop.http.staticuser.user). */
export const ANONYMOUS_USER = 'dr.who';

/** UserParam's domain (dfs.webhdfs.user.provider.user.pattern default). */
const USER_PATTERN = /^[A-Za-z_][A-Za-z0-9._-]*[$]?$/;
const USER_PATTERN_TEXT = '^[A-Za-z_][A-Za-z0-9._-]*[$]?$';

const LONG_MAX = 2n ** 63n - 1n;

export type Role = 'namenode' | 'datanode';

/** A request aimed at `/webhdfs/v1/<path>`. */
export interface WebHdfsTarget {
  /** The decoded HDFS path exactly as sent, not yet checked against HDFS's rules. */
  readonly path: string;
  readonly params: WebHdfsParams;
}

/** A request target split into its raw path and its query, without normalising. */
export function splitRequestTarget(target: string): {
  rawPath: string;
  query: URLSearchParams;
} {
  const mark = target.indexOf('?');
  if (mark === -1) return { rawPath: target, query: new URLSearchParams() };
  return {
    rawPath: target.slice(0, mark),
    query: new URLSearchParams(target.slice(mark + 1)),
  };
}

/**
 * Splits a request target into the HDFS path and its parameters, or answers
 * undefined when it is not under `/webhdfs/v1`. The path is not normalised
 * (a WHATWG URL would resolve `..` and `%2E%2E` away, hiding exactly the
 * names HDFS rejects); percent-escapes are decoded and `+` stays literal, as
 * Jersey and Netty both do.
 */
export function parseWebHdfsUrl(target: string, role: Role): WebHdfsTarget | undefined {
  const { rawPath, query } = splitRequestTarget(target);
  const rest = rawPath.slice(WEBHDFS_PREFIX.length);
  if (!rawPath.startsWith(WEBHDFS_PREFIX) || (rest !== '' && !rest.startsWith('/'))) {
    return undefined;
  }

  let path: string;
  try {
    path = decodeURIComponent(rest === '' ? '/' : rest);
  } catch (error) {
    throw new HadoopException(
      'IllegalArgumentException',
      `Cannot decode the path ${JSON.stringify(rest)}: ${String(error)}`,
    );
  }
  return { path, params: new WebHdfsParams(query, role) };
}

/** Typed access to WebHDFS query parameters with Hadoop's defaults and errors. */
export class WebHdfsParams {
  readonly role: Role;
  readonly #values = new Map<string, string>();
  #authenticated: string | undefined;
  #actingAs: string | undefined;

  constructor(query: URLSearchParams, role: Role) {
    this.role = role;
    for (const [name, value] of query) {
      const key = role === 'namenode' ? name.toLowerCase() : name;
      // Jersey and Netty's QueryStringDecoder both use the first occurrence.
      if (!this.#values.has(key)) this.#values.set(key, value);
    }
  }

  /** The raw value, or undefined when absent. */
  get(name: string): string | undefined {
    return this.#values.get(name);
  }

  /** The `op` value upper-cased (EnumParam), or `''` when absent or empty. */
  op(): string {
    return (this.get('op') ?? '').toUpperCase();
  }

  /** BooleanParam: `true`/`false` in any case, the default when absent. */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.get(name);
    if (value === undefined) return fallback;
    if (value.toLowerCase() === 'true') return true;
    if (value.toLowerCase() === 'false') return false;
    throw this.invalid(name, `Failed to parse "${value}" to Boolean.`);
  }

  /** LongParam (radix 10) with its lower bound; undefined when absent. */
  long(name: string, min: number): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;

    const parsed = /^[+-]?\d+$/.test(value) ? BigInt(value) : undefined;
    if (parsed === undefined || parsed > LONG_MAX || parsed < -LONG_MAX - 1n) {
      throw this.invalid(name, `Failed to parse "${value}" as a radix-10 long integer.`);
    }
    if (parsed < BigInt(min)) {
      throw this.invalid(name, `Invalid parameter range: ${name} = ${parsed} < ${min}`);
    }
    return Number(parsed);
  }

  /** PermissionParam: an octal short in 0..01777; undefined when absent. */
  permission(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;

    if (!/^[+]?[0-7]+$/.test(value) || Number.parseInt(value, 8) > 0x7fff) {
      throw this.invalid(name, `Failed to parse "${value}" as a radix-8 short integer.`);
    }
    const bits = Number.parseInt(value, 8);
    if (bits > 0o1777) {
      throw this.invalid(
        name,
        `Invalid parameter range: ${name} = ${bits.toString(8)} > 1777`,
      );
    }
    return bits;
  }

  /**
   * The authenticated user with security off: `user.name`, or `dr.who` when
   * absent or empty. The NameNode checks the name against UserParam's domain.
   */
  user(): string {
    // Security on: the user is the one SPNEGO or the token named; user.name is ignored.
    if (this.#authenticated !== undefined) return this.#authenticated;
    const value = this.get('user.name');
    if (value === undefined || value === '') return ANONYMOUS_USER;
    if (this.role === 'namenode' && !USER_PATTERN.test(value)) {
      throw this.invalid(
        'user.name',
        `Invalid value: "${value}" does not belong to the domain ${USER_PATTERN_TEXT}`,
      );
    }
    return value;
  }

  /** Records the user security established for this request. */
  authenticatedAs(user: string): void {
    this.#authenticated = user;
  }

  /**
   * The user the request acts as: its `doas` user once authorised
   * (proxy-users.ts), else {@link user}. Owners and home directories are
   * this user's.
   */
  actingUser(): string {
    return this.#actingAs ?? this.user();
  }

  /** Records the `doas` user the request was allowed to act as. */
  actAs(user: string): void {
    this.#actingAs = user;
  }

  /** A parameter an op cannot do without (NamenodeWebHdfsMethods.checkOp…). */
  required(name: string, op: string): string {
    const value = this.get(name);
    if (value === undefined || value === '') {
      throw new HadoopException(
        'IllegalArgumentException',
        `Required param ${name} for op: ${op} is null or empty`,
      );
    }
    return value;
  }

  /**
   * A comma-separated enum set (createflag, renameoptions): upper-cased,
   * empty items dropped, each checked against `allowed`.
   */
  enumSet(name: string, allowed: readonly string[]): Set<string> {
    const items = (this.get(name) ?? '')
      .split(',')
      .map((item) => item.trim().toUpperCase())
      .filter((item) => item !== '');
    for (const item of items) {
      if (!allowed.includes(item)) {
        throw this.invalid(name, `No enum constant ${name}.${item}`);
      }
    }
    return new Set(items);
  }

  /** The error each role raises for an unusable value. */
  invalid(name: string, detail: string): HadoopException {
    const message =
      this.role === 'namenode'
        ? `Invalid value for webhdfs parameter "${name}": ${detail}`
        : detail;
    return new HadoopException('IllegalArgumentException', message);
  }
}
