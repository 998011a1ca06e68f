import { parseSegmentName } from '../segment/segment-name.js';
import type { PublishableSegment } from './publish-segment.js';
import type { DroppedEvent, ErrorInfo, UploadedEvent } from './uploader-events.js';

/** What the uploader has done and what waits, for `status()`. */
export interface UploaderStatus {
  /** False when another process's uploader holds the spool (it publishes for all). */
  readonly holdsSpool: boolean;
  /** Sealed segments waiting to be published, as of the last run. */
  readonly pendingSegments: number;
  readonly pendingBytes: number;
  /** Age of the oldest waiting segment (ms since it was opened), or 0. */
  readonly oldestPendingMs: number;
  readonly uploadedSegments: number;
  readonly uploadedBytes: number;
  /** Segments dropped to keep the disk budget, and their bytes. */
  readonly droppedSegments: number;
  readonly droppedBytes: number;
  /** When the last segment was published (epoch ms). */
  readonly lastSuccess: number | undefined;
  readonly lastError: (ErrorInfo & { readonly at: number }) | undefined;
}

/** Keeps the counters behind {@link UploaderStatus}. */
export class UploaderStatusBoard {
  readonly #now: () => number;
  #pending: readonly PublishableSegment[] = [];
  #uploadedSegments = 0;
  #uploadedBytes = 0;
  #droppedSegments = 0;
  #droppedBytes = 0;
  #lastSuccess: number | undefined;
  #lastError: (ErrorInfo & { at: number }) | undefined;

  constructor(now: () => number) {
    this.#now = now;
  }

  recordUpload(event: UploadedEvent): void {
    this.#uploadedSegments += 1;
    this.#uploadedBytes += event.bytes;
    this.#lastSuccess = this.#now();
    this.#pending = this.#pending.filter((segment) => segment.name !== event.segment);
  }

  recordError(error: ErrorInfo): void {
    this.#lastError = { ...error, at: this.#now() };
  }

  recordDrop(event: DroppedEvent): void {
    if (event.reason !== 'disk-budget') return;
    this.#droppedSegments += 1;
    this.#droppedBytes += event.bytes;
  }

  recordPending(pending: readonly PublishableSegment[]): void {
    this.#pending = pending;
  }

  snapshot(holdsSpool: boolean): UploaderStatus {
    const starts = this.#pending.map(
      (segment) => parseSegmentName(segment.name)?.start ?? 0,
    );
    const oldest = starts.length === 0 ? undefined : Math.min(...starts);
    return {
      holdsSpool,
      pendingSegments: this.#pending.length,
      pendingBytes: this.#pending.reduce((sum, segment) => sum + segment.bytes, 0),
      oldestPendingMs: oldest === undefined ? 0 : Math.max(0, this.#now() - oldest),
      uploadedSegments: this.#uploadedSegments,
      uploadedBytes: this.#uploadedBytes,
      droppedSegments: this.#droppedSegments,
      droppedBytes: this.#droppedBytes,
      lastSuccess: this.#lastSuccess,
      lastError: this.#lastError,
    };
  }
}
