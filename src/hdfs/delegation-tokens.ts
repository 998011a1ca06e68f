/**
 * The delegation token a client sends instead of Kerberos credentials
 * (webhdfs-reference.md section 8). An operator's token is used as given.
 * A token this client fetched (GETDELEGATIONTOKEN, after SPNEGO) is renewed
 * when 80% of its time is gone, and replaced by a new one once renewing no
 * longer extends it (its maximum lifetime is near) or the cluster refuses it,
 * and cancelled when the client closes, as Hadoop's WebHdfsFileSystem does.
 */
import { debuglog } from 'node:util';

const debug = debuglog('hdfs-log-transport');

/** The token operations, sent with SPNEGO by the transport. */
export interface TokenOperations {
  /** GETDELEGATIONTOKEN: a new token's `urlString`. */
  fetch(): Promise<string>;
  /** RENEWDELEGATIONTOKEN: the token's new expiry time (ms since the epoch). */
  renew(token: string): Promise<number>;
  /** CANCELDELEGATIONTOKEN: the NameNode forgets the token. */
  cancel(token: string, signal?: AbortSignal): Promise<void>;
}

export interface DelegationTokensOptions {
  /** A token given by the operator: used as is, never renewed nor replaced. */
  readonly given?: string | undefined;
  /** Whether to fetch tokens (Kerberos is configured and tokens are wanted). */
  readonly fetch: boolean;
  readonly now?: () => number;
}

/** Part of a token's remaining time after which it is renewed. */
const RENEW_AT = 0.8;

interface Held {
  readonly token: string;
  /** When to renew (or replace, when `final`). */
  renewAt: number;
  expiresAt: number;
  /** Renewing stopped extending it: its maximum lifetime is near. */
  final: boolean;
}

export class DelegationTokens {
  readonly #ops: TokenOperations;
  readonly #given: string | undefined;
  readonly #fetch: boolean;
  readonly #now: () => number;
  /** Every token this client has held, for redaction. */
  readonly #seen = new Set<string>();
  #held: Held | undefined;
  #busy: Promise<string> | undefined;
  /** Set by {@link cancel}: no token is fetched any more. */
  #closed = false;

  constructor(ops: TokenOperations, options: DelegationTokensOptions) {
    this.#ops = ops;
    this.#given = options.given;
    this.#fetch = options.fetch;
    this.#now = options.now ?? Date.now;
    if (options.given !== undefined) this.#seen.add(options.given);
  }

  /** Whether this client has or fetches tokens at all. */
  get enabled(): boolean {
    return this.#given !== undefined || this.#fetch;
  }

  /** Whether `token` came from the operator (a refusal is then final). */
  isGiven(token: string): boolean {
    return token === this.#given;
  }

  /** Tokens that must never be shown. */
  get secrets(): Iterable<string> {
    return this.#seen;
  }

  /**
   * The token to send now, fetched or renewed first when that is due;
   * undefined when this client does not use tokens. Concurrent callers share
   * one fetch or renewal.
   */
  async current(): Promise<string | undefined> {
    if (this.#given !== undefined) return this.#given;
    if (!this.#fetch || this.#closed) return undefined;
    const held = this.#held;
    if (held !== undefined && this.#now() < held.renewAt) return held.token;
    this.#busy ??= this.#refresh(held).finally(() => {
      this.#busy = undefined;
    });
    return this.#busy;
  }

  /**
   * The cluster refused `token`. A fetched one is dropped, so that the next
   * {@link current} fetches another; answers whether that is worth a retry.
   */
  refused(token: string): boolean {
    if (this.isGiven(token) || !this.#fetch) return false;
    if (this.#held?.token === token) this.#held = undefined;
    return true;
  }

  /**
   * Closing: cancels the token this client fetched, once a fetch under way
   * has ended, and fetches none after. An operator's token is never
   * cancelled: others may hold it. Resolves to whether a token was
   * cancelled; rejects when the NameNode did not cancel it (it then lives
   * until it expires).
   */
  async cancel(signal?: AbortSignal): Promise<boolean> {
    this.#closed = true;
    // Its failure is the request's that started it; only its token matters here.
    await this.#busy?.catch(() => undefined);
    const held = this.#held;
    this.#held = undefined;
    if (held === undefined) return false;
    await this.#ops.cancel(held.token, signal);
    return true;
  }

  async #refresh(held: Held | undefined): Promise<string> {
    if (held !== undefined && !held.final) {
      try {
        this.#extend(held, await this.#ops.renew(held.token));
        return held.token;
      } catch (error) {
        // Refused (expired, past its maximum lifetime): a new token replaces it.
        debug(
          'delegation token renewal refused (%s); fetching a new one',
          errorCode(error),
        );
      }
    }
    const token = await this.#ops.fetch();
    this.#seen.add(token);
    const fresh: Held = {
      token,
      renewAt: Number.POSITIVE_INFINITY,
      expiresAt: 0,
      final: false,
    };
    // The fetch answer has no expiry; a first renewal tells it.
    try {
      this.#extend(fresh, await this.#ops.renew(token));
    } catch (error) {
      // Not renewable by us (another renewer): used until the cluster refuses it.
      debug('new delegation token not renewable (%s)', errorCode(error));
    }
    this.#held = fresh;
    return token;
  }

  #extend(held: Held, expiresAt: number): void {
    const now = this.#now();
    held.final = expiresAt <= held.expiresAt || expiresAt <= now;
    held.expiresAt = expiresAt;
    held.renewAt = now + Math.max(0, expiresAt - now) * RENEW_AT;
  }
}

function errorCode(error: unknown): string {
  return (error as { code?: unknown } | undefined)?.code?.toString() ?? 'unknown error';
}
