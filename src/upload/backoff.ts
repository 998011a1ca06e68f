/**
 * How long the uploader waits before it tries a failed request again
 * (DESIGN.md section 4, issue 3 "Retries"). Pure: the random source is a
 * parameter, so tests choose the jitter.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { InvalidOptionError } from '../errors.js';
import type { ErrorClass } from '../hdfs/error-class.js';

/** The bounds of an exponential backoff, in milliseconds. */
export interface BackoffOptions {
  /** The cap of the first wait (`upload.retryDelay`); it doubles each attempt. */
  readonly base: number;
  /** The cap no wait goes beyond (`upload.maxRetryDelay`). */
  readonly max: number;
}

/**
 * HDFS's soft lease limit: after this long without renewal, the NameNode lets
 * another client recover a file whose lease is held
 * (`HdfsConstants.LEASE_SOFTLIMIT_PERIOD`, 60 s). Retrying a lease conflict
 * earlier meets the same `AlreadyBeingCreatedException`.
 */
export const leaseRetryDelay = 60_000;

/**
 * An exponential backoff with full jitter: a random wait in
 * `[0, min(max, base × 2^attempt))`, whole milliseconds. Full jitter spreads
 * the retries of many writers that failed together (a NameNode failover, an
 * outage ending) instead of sending them back in one wave.
 *
 * @param attempt - how many retries came before this one, from 0
 * @param random - a source like `Math.random`, returning a number in `[0, 1)`
 * @throws {@link InvalidOptionError} for a negative or fractional attempt, or
 *   bounds that are not finite non-negative numbers
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const { base, max } = options;
  if (!Number.isSafeInteger(attempt) || attempt < 0) {
    throw new InvalidOptionError('attempt', 'an integer from 0', attempt);
  }
  if (!isDuration(base)) throw new InvalidOptionError('base', 'a delay in ms', base);
  if (!isDuration(max)) throw new InvalidOptionError('max', 'a delay in ms', max);

  // 2 ** attempt becomes Infinity past 1023, and 0 × Infinity is NaN.
  const cap = base === 0 ? 0 : Math.min(max, base * 2 ** attempt);
  return Math.floor(random() * cap);
}

/**
 * The wait before retrying after an error of the given class (see
 * `classifyError`). `retry` and `failover` back off as {@link backoffDelay}
 * says: a failover that reaches the uploader means every NameNode failed.
 * `lease` waits at least {@link leaseRetryDelay}, since the lease cannot be
 * recovered sooner; a longer backoff is kept as it is. `permanent` errors are
 * not retried and have no delay.
 */
export function retryDelayFor(
  errorClass: Exclude<ErrorClass, 'permanent'>,
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const wait = backoffDelay(attempt, options, random);
  return errorClass === 'lease' ? Math.max(leaseRetryDelay, wait) : wait;
}

/**
 * Waits `ms` milliseconds, or until `signal` aborts, then rejects with the
 * signal's reason (as `AbortSignal.throwIfAborted` would). The timer is
 * unref'd: a pending retry never keeps the process alive, like the
 * uploader's other timers.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  try {
    await delay(ms, undefined, { signal, ref: false });
  } catch (error) {
    // timers/promises rejects with its own AbortError; callers expect the reason.
    if (signal?.aborted === true) throw signal.reason;
    throw error;
  }
}

function isDuration(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}
