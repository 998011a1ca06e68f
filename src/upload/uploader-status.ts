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
  /** Retained copies (`keepUploaded`) the disk budget deleted: published, nothing lost. */
  readonly droppedRetained: number;
  /**
   * True when the last run could not bring the spool within `maxSpoolBytes`
   * and `minFreeBytes`: what holds the space may not be dropped (active
   * segments, segments being published). Reported by an `error` event
   * (`ERR_SPOOL_BUDGET`) when it starts.
   */
  readonly overBudget: boolean;
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
  #droppedRetained = 0;
  #overBudget = false;
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
    if (event.reason === 'retained') this.#droppedRetained += 1;
    if (event.reason !== 'disk-budget') return;
    this.#droppedSegments += 1;
    this.#droppedBytes += event.bytes;
  }

  /** Whether the last run's budget was met. */
  recordBudget(satisfied: boolean): void {
    this.#overBudget = !satisfied;
  }

  get overBudget(): boolean {
    return this.#overBudget;
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
      droppedRetained: this.#droppedRetained,
      overBudget: this.#overBudget,
      lastSuccess: this.#lastSuccess,
      lastError: this.#lastError,
    };
  }
}
