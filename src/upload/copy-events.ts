/**
 * What copy jobs report: the manager's events and a job's status. Every
 * event names its job, so that one listener serves them all.
 */
import type { CopyJobError, CopyStateError, CopyUploadError } from '../errors.js';
import type { ProcCheck } from './copy-open-files.js';
import type { ErrorInfo, UploadedEvent } from './uploader-events.js';

/** A file's copy is published (and verified). */
export interface CopyUploadedEvent {
  readonly job: string;
  /** The local file copied, as the scan found it. */
  readonly file: string;
  /** The copy's path on the destination. */
  readonly path: string;
  /** Bytes published: the gzip's size with `compress`. */
  readonly bytes: number;
  /** Bytes of the local file copied. */
  readonly sourceBytes: number;
  /** True when the file had grown and this copy replaced its earlier one. */
  readonly replaced: boolean;
  readonly outcome: UploadedEvent['outcome'];
  readonly verification: UploadedEvent['verification'];
  readonly durationMs: number;
}

/**
 * A copy's RENAME was sent, its answer was lost, and the copy was gone when
 * looked at: a consumer moved it (Hive `LOAD DATA INPATH`). It counts as
 * published (an `uploaded` event with outcome `ambiguous` came first) and is
 * never sent again.
 */
export interface CopyAmbiguousEvent {
  readonly job: string;
  readonly file: string;
  /** Where the copy was published. */
  readonly path: string;
}

/** An attempt to publish a file failed; another follows after `delayMs`. */
export interface CopyRetryEvent {
  readonly job: string;
  readonly file: string;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: ErrorInfo;
}

/**
 * A matched file was left for a later run because it may not be complete:
 * - `not-quiet`: it changed less than `quietPeriod` ago;
 * - `open-for-writing`: a process holds it open with write access (`pids`);
 * - `changed-while-copying`: it changed between the scan and the snapshot.
 */
export interface CopySkippedEvent {
  readonly job: string;
  readonly file: string;
  readonly reason: 'not-quiet' | 'open-for-writing' | 'changed-while-copying';
  /** A sentence for people, e.g. "changed 120ms ago; quiet period 300ms". */
  readonly detail: string;
  /** The writers, for `open-for-writing`. */
  readonly pids?: readonly number[];
}

/** The end of one run of a job. */
export interface CopyCycleEvent {
  readonly job: string;
  /** Files the patterns matched. */
  readonly matched: number;
  /** Copies published in this run. */
  readonly uploaded: number;
  /** Files whose copy failed in this run. */
  readonly failed: number;
  /** Files left for later because they may not be complete. */
  readonly skipped: number;
  /** Files not yet copied in their current version (waiting, failed or skipped). */
  readonly pending: number;
  /** How far the open-for-writing check could see; `undefined` when nothing needed it. */
  readonly procCheck: ProcCheck | undefined;
  readonly durationMs: number;
}

/** What the `error` event carries: always an error of this package with a `job`. */
export type CopyFailure = CopyUploadError | CopyJobError | CopyStateError;

/** The copy manager's events. `error` is only emitted while someone listens. */
export interface CopyEvents {
  uploaded: [CopyUploadedEvent];
  ambiguous: [CopyAmbiguousEvent];
  retry: [CopyRetryEvent];
  skipped: [CopySkippedEvent];
  cycle: [CopyCycleEvent];
  error: [CopyFailure];
}

/** One job as `listCopies()` shows it. Times are epoch milliseconds. */
export interface CopyJobStatus {
  readonly name: string;
  /**
   * `running` (also while a run waits for its interval), `stopping` (waiting
   * for an upload in flight), `stopped`, or `failed` (could not start or go
   * on: see `lastError`).
   */
  readonly state: 'running' | 'stopping' | 'stopped' | 'failed';
  /** The patterns as given. */
  readonly patterns: readonly string[];
  /** The destination's description: never a user name or token. */
  readonly destination: string;
  /** Milliseconds between runs. */
  readonly interval: number;
  /** Copies published since the job started, and their bytes. */
  readonly filesUploaded: number;
  readonly bytesUploaded: number;
  /** Files not yet copied in their current version, as of the last run. */
  readonly pending: number;
  /** When the last run ended. */
  readonly lastRun: number | undefined;
  /** When the last run ended that published everything it found complete. */
  readonly lastSuccess: number | undefined;
  readonly lastError: (ErrorInfo & { readonly at: number }) | undefined;
  /** When the next run starts; `undefined` while one runs or once stopped. */
  readonly nextRun: number | undefined;
  /**
   * How far the last open-for-writing check could see (`incomplete` when
   * some process's open files could not be read, `unavailable` off Linux);
   * `undefined` before any check.
   */
  readonly procCheck: ProcCheck | undefined;
}
