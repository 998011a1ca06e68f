import type { EventEmitter } from 'node:events';
import type { SealedSegment } from '../segment/open-segment.js';
import type {
  DroppedEvent,
  RetryEvent,
  UploadedEvent,
} from '../upload/uploader-events.js';

/** The counters of one demo stream, as its logger and shipper report them. */
export interface StreamCounts {
  readonly name: string;
  /** Lines handed to the logger. */
  readonly logged: number;
  readonly sealed: number;
  readonly uploaded: number;
  readonly uploadedBytes: number;
  /** Sealed segments not published yet: `sealed - uploaded`. */
  readonly backlog: number;
  readonly retries: number;
  readonly errors: number;
  /** Lines or segments the shipper reported dropped. */
  readonly dropped: number;
  /** The last error's message, to show when the verdict fails. */
  readonly lastError: string | undefined;
}

/**
 * Counts what happens to one stream from the events of its shipper: the
 * winston transport's `transport.shipper`, or the stream `pino.transport()`
 * returned (where the pino target relays them from its worker).
 *
 * The backlog is counted from the events rather than taken from
 * `status().pendingSegments`, which the uploader refreshes only once per
 * cycle: a segment sealed a moment ago is already waiting.
 */
export class StreamProgress {
  readonly name: string;
  #logged = 0;
  #sealed = 0;
  #uploaded = 0;
  #uploadedBytes = 0;
  #retries = 0;
  #errors = 0;
  #dropped = 0;
  #lastError: string | undefined;

  constructor(name: string) {
    this.name = name;
  }

  /**
   * Follows a source of the shipper's events. `errorEvent` is `'error'` on
   * a shipper and `'hdfsError'` on a pino transport stream; both carry a
   * `message`.
   */
  follow(source: EventEmitter, errorEvent: string): void {
    source.on('sealed', (_segment: SealedSegment) => (this.#sealed += 1));
    source.on('uploaded', (event: UploadedEvent) => {
      this.#uploaded += 1;
      this.#uploadedBytes += event.bytes;
    });
    source.on('retry', (event: RetryEvent) => {
      this.#retries += 1;
      this.#lastError = event.error.message;
    });
    source.on('dropped', (_event: DroppedEvent) => (this.#dropped += 1));
    source.on(errorEvent, (error: { message: string }) => {
      this.#errors += 1;
      this.#lastError = error.message;
    });
  }

  countLogged(lines: number): void {
    this.#logged += lines;
  }

  get counts(): StreamCounts {
    return {
      name: this.name,
      logged: this.#logged,
      sealed: this.#sealed,
      uploaded: this.#uploaded,
      uploadedBytes: this.#uploadedBytes,
      backlog: Math.max(0, this.#sealed - this.#uploaded),
      retries: this.#retries,
      errors: this.#errors,
      dropped: this.#dropped,
      lastError: this.#lastError,
    };
  }
}
