import type { ErrorClass } from '../hdfs/error-class.js';

/**
 * An error as events carry it: plain data, so that it crosses from the
 * uploader's worker thread intact (structured cloning drops an Error's own
 * fields such as `code`).
 */
export interface ErrorInfo {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  /** What retrying can do about it (see `classifyError`). */
  readonly errorClass: ErrorClass;
  /** The RemoteException's simple class name, for WebHDFS errors. */
  readonly exception?: string;
  /** The HTTP status, for WebHDFS errors. */
  readonly status?: number;
}

export interface UploadedEvent {
  readonly segment: string;
  /** The final path on the destination. */
  readonly path: string;
  readonly bytes: number;
  readonly outcome: 'published' | 'already-published' | 'ambiguous';
  readonly verification: 'checksum' | 'length' | 'none';
  readonly durationMs: number;
}

export interface RetryEvent {
  readonly segment: string;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  /** Milliseconds until the next attempt. */
  readonly delayMs: number;
  readonly error: ErrorInfo;
}

export interface UploadErrorEvent {
  /** The segment concerned, when there is one. */
  readonly segment?: string;
  readonly error: ErrorInfo;
}

export interface DroppedEvent {
  /** The segment dropped, when a whole segment was. */
  readonly segment?: string;
  readonly bytes: number;
  /** Lines lost, when known (lines dropped by the writer). */
  readonly lines?: number;
  /**
   * `disk-budget`: a waiting segment, lost; `retained`: a retained copy of a
   * published segment, nothing lost; `buffer-full`, `disk-error`: lines the
   * writer could not keep; `closed`: lines written after `close()`.
   */
  readonly reason: 'disk-budget' | 'retained' | 'buffer-full' | 'disk-error' | 'closed';
}

export interface RecoveredEvent {
  readonly segment: string;
  readonly bytes: number;
  /** Bytes of an incomplete last line that were cut off. */
  readonly cutBytes: number;
}

export interface AmbiguousEvent {
  readonly segment: string;
  readonly path: string;
}

/** The end of an uploader run (every interval, and on `flush()`). */
export interface CycleEvent {
  /** False when another process's uploader holds the spool and publishes for it. */
  readonly holdsSpool: boolean;
  readonly published: number;
  readonly failed: number;
  readonly pendingSegments: number;
}

/** An attempt to publish a segment starts. */
export interface PublishingEvent {
  readonly segment: string;
  readonly bytes: number;
  /** From 1. */
  readonly attempt: number;
}

/** The uploader's events, as the shipper and both front doors re-emit them. */
export interface UploaderEvents {
  cycle: [CycleEvent];
  publishing: [PublishingEvent];
  uploaded: [UploadedEvent];
  retry: [RetryEvent];
  error: [UploadErrorEvent];
  dropped: [DroppedEvent];
  recovered: [RecoveredEvent];
  ambiguous: [AmbiguousEvent];
}

/** Every event name of {@link UploaderEvents}, for relaying them all. */
export const UPLOADER_EVENT_NAMES = [
  'cycle',
  'publishing',
  'uploaded',
  'retry',
  'error',
  'dropped',
  'recovered',
  'ambiguous',
] as const satisfies ReadonlyArray<keyof UploaderEvents>;
