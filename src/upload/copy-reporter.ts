/**
 * Turns what a copy job's runs see into the manager's events, the
 * uploader's diagnostics channels, and the job's counters. Failures that
 * are not the publish queue's (a file that cannot be read, a name that
 * cannot be placed) are reported once per file and cause, as the queue
 * reports permanent ones, so that a broken file does not flood listeners
 * every interval.
 */
import { CopyUploadError, type CopyJobError, type CopyStateError } from '../errors.js';
import { channels } from '../shipper.js';
import type { CopyEvents, CopySkippedEvent } from './copy-events.js';
import type { StagedCopy } from './copy-state.js';
import { causeKey, toErrorInfo } from './error-info.js';
import type { ErrorInfo, UploaderEvents } from './uploader-events.js';

/** Emits one of the manager's events (the manager drops `error` without listeners). */
export type CopyEmit = <K extends keyof CopyEvents>(
  event: K,
  ...args: CopyEvents[K]
) => void;

/** One job's voice: events out, counters kept for `listCopies()`. */
export class CopyReporter {
  readonly job: string;
  /** Causes already reported, per file or snapshot: shared with the publish queue. */
  readonly reported = new Map<string, Set<string>>();
  readonly #emit: CopyEmit;
  readonly #now: () => number;
  #filesUploaded = 0;
  #bytesUploaded = 0;
  #lastError: (ErrorInfo & { readonly at: number }) | undefined;

  constructor(job: string, emit: CopyEmit, now: () => number) {
    this.job = job;
    this.#emit = emit;
    this.#now = now;
  }

  get counters() {
    return {
      filesUploaded: this.#filesUploaded,
      bytesUploaded: this.#bytesUploaded,
      lastError: this.#lastError,
    };
  }

  skipped(skip: Omit<CopySkippedEvent, 'job'>): void {
    this.#emit('skipped', { job: this.job, ...skip });
  }

  /** A file could not be looked at, placed, snapshotted or deleted: reported once. */
  failure(file: string, info: ErrorInfo): void {
    const causes = this.reported.get(file) ?? new Set<string>();
    if (causes.has(causeKey(info))) return;
    this.reported.set(file, causes.add(causeKey(info)));
    this.#error(file, info);
  }

  /** A file the job will not copy; the state has told that it is news. */
  refused(file: string, info: ErrorInfo): void {
    this.#error(file, info);
  }

  /** The job itself failed (its state file, its lock). */
  jobFailure(error: CopyJobError | CopyStateError): void {
    this.#lastError = { ...toErrorInfo(error), at: this.#now() };
    channels.uploadError.publish({ job: this.job, error });
    this.#emit('error', error);
  }

  /** Translates an event of the publish queue about one snapshot. */
  relay<K extends keyof UploaderEvents>(
    staged: StagedCopy | undefined,
    event: K,
    payload: UploaderEvents[K][0],
  ): void {
    const file = staged?.source;
    const job = this.job;
    if (event === 'error') {
      this.#error(file, (payload as UploaderEvents['error'][0]).error);
      return;
    }
    if (staged === undefined || file === undefined) return;
    if (event === 'publishing') {
      const { attempt } = payload as UploaderEvents['publishing'][0];
      const { key: segment, path, bytes } = staged;
      channels.uploadStart.publish({ job, file, segment, path, bytes, attempt });
    } else if (event === 'retry') {
      const { attempt, delayMs, error } = payload as UploaderEvents['retry'][0];
      this.#emit('retry', { job, file, attempt, delayMs, error });
    } else if (event === 'uploaded') {
      const uploaded = payload as UploaderEvents['uploaded'][0];
      this.#filesUploaded += 1;
      this.#bytesUploaded += uploaded.bytes;
      // A file that works again may fail again later: that is news.
      this.reported.delete(file);
      channels.uploadEnd.publish({ job, file, ...uploaded });
      this.#emit('uploaded', {
        job,
        file,
        path: uploaded.path,
        bytes: uploaded.bytes,
        sourceBytes: staged.version.size,
        replaced: staged.replace,
        outcome: uploaded.outcome,
        verification: uploaded.verification,
        durationMs: uploaded.durationMs,
      });
    } else if (event === 'ambiguous') {
      const { path } = payload as UploaderEvents['ambiguous'][0];
      this.#emit('ambiguous', { job, file, path });
    }
  }

  #error(file: string | undefined, info: ErrorInfo): void {
    this.#lastError = { ...info, at: this.#now() };
    const error = new CopyUploadError(this.job, file, info);
    // `segment` as in the shipper's messages, `file` as in the other copy ones.
    channels.uploadError.publish({ job: this.job, file, segment: file, error });
    this.#emit('error', error);
  }
}
