import type { BackoffOptions } from './backoff.js';
import { retryDelayFor, sleep } from './backoff.js';
import { causeKey, toErrorInfo } from './error-info.js';
import type { PublishableSegment, PublishResult } from './publish-segment.js';
import { TransferSlots } from './transfer-slots.js';
import type { ErrorInfo, UploaderEvents } from './uploader-events.js';

export interface PublishQueueOptions {
  /** Segments whose bodies are sent at the same time. */
  readonly concurrency: number;
  /**
   * Segments that may be in their closing steps (journal, RENAME, length
   * check: small requests) meanwhile, on top of `concurrency`.
   * @default 0
   */
  readonly finishing?: number;
  /** Attempts per segment in this run. */
  readonly retries: number;
  readonly backoff: BackoffOptions;
  readonly signal: AbortSignal;
  readonly random?: () => number;
  /** Publishes one segment, sending its body through `transfers`. */
  readonly publish: (
    segment: PublishableSegment,
    transfers: TransferSlots,
  ) => Promise<PublishResult>;
  /** Deletes or retains the local file once published. */
  readonly finishLocal: (segment: PublishableSegment) => Promise<void>;
  readonly emit: <K extends keyof UploaderEvents>(
    event: K,
    ...args: UploaderEvents[K]
  ) => void;
  /** Permanent failures already reported, per segment: each cause is reported once. */
  readonly reported: Map<string, Set<string>>;
  readonly now?: () => number;
}

export interface QueueOutcome {
  readonly published: number;
  readonly failures: ReadonlyMap<string, ErrorInfo>;
  /** True when the run stopped early because the destination kept failing. */
  readonly halted: boolean;
}

/**
 * Publishes segments in the given order (oldest first), `concurrency` bodies
 * at a time (and up to `finishing` more segments in their closing steps),
 * each with up to `retries` attempts and backoff between them. A
 * segment that fails permanently is skipped, its cause reported once; when a
 * segment runs out of attempts on a passing failure (the cluster is down),
 * the run stops instead of hammering it with every other segment: the next
 * interval tries again. Nothing is ever dropped for failing.
 */
export async function publishQueue(
  segments: readonly PublishableSegment[],
  options: PublishQueueOptions,
): Promise<QueueOutcome> {
  const failures = new Map<string, ErrorInfo>();
  let published = 0;
  let halted = false;
  let next = 0;
  const transfers = new TransferSlots(options.concurrency);

  const worker = async (): Promise<void> => {
    while (!halted && !options.signal.aborted && next < segments.length) {
      const segment = segments[next++] as PublishableSegment;
      const failure = await publishWithRetries(segment, transfers, options);
      if (failure === undefined) {
        published += 1;
        continue;
      }
      failures.set(segment.name, failure);
      if (failure.errorClass !== 'permanent') halted = true;
    }
  };
  const workers = Math.min(
    options.concurrency + (options.finishing ?? 0),
    segments.length,
  );
  await Promise.all(Array.from({ length: workers }, worker));
  return { published, failures, halted };
}

/** Resolves with the last failure, or undefined once the segment is published. */
async function publishWithRetries(
  segment: PublishableSegment,
  transfers: TransferSlots,
  options: PublishQueueOptions,
): Promise<ErrorInfo | undefined> {
  const now = options.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    const started = now();
    options.emit('publishing', { segment: segment.name, bytes: segment.bytes, attempt });
    let info: ErrorInfo;
    try {
      const result = await options.publish(segment, transfers);
      await options.finishLocal(segment);
      options.emit('uploaded', {
        segment: segment.name,
        path: result.path,
        bytes: segment.bytes,
        outcome: result.outcome,
        verification: result.verification,
        durationMs: now() - started,
      });
      if (result.outcome === 'ambiguous') {
        options.emit('ambiguous', { segment: segment.name, path: result.path });
      }
      return undefined;
    } catch (error) {
      info = toErrorInfo(error);
    }
    if (options.signal.aborted) return info;
    if (info.errorClass === 'permanent') {
      reportOnce(segment.name, info, options);
      return info;
    }
    if (attempt >= options.retries) {
      options.emit('error', { segment: segment.name, error: info });
      return info;
    }
    const delayMs = retryDelayFor(
      info.errorClass,
      attempt - 1,
      options.backoff,
      options.random,
    );
    options.emit('retry', { segment: segment.name, attempt, delayMs, error: info });
    try {
      await sleep(delayMs, options.signal);
    } catch {
      // Stopped while waiting: the segment waits for the next start.
      return info;
    }
  }
}

function reportOnce(
  segment: string,
  info: ErrorInfo,
  options: PublishQueueOptions,
): void {
  const causes = options.reported.get(segment) ?? new Set<string>();
  const key = causeKey(info);
  if (causes.has(key)) return;
  causes.add(key);
  options.reported.set(segment, causes);
  options.emit('error', { segment, error: info });
}
