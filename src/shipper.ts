import diagnostics from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import { FlushError, SpoolWriteError, UploadError } from './errors.js';
import type { HdfsLogOptions } from './options.js';
import { resolveOptions, type ResolvedOptions } from './resolve-options.js';
import type { SealedSegment } from './segment/open-segment.js';
import { frameLine } from './segment/line-framing.js';
import { newWriterId } from './segment/segment-name.js';
import { SegmentWriter } from './segment/segment-writer.js';
import {
  ensureSpoolSync,
  spoolLayout,
  type SpoolLayout,
} from './segment/spool-layout.js';
import { WriterAnnouncement } from './segment/writer-liveness.js';
import { validateBudget } from './upload/disk-budget.js';
import type { CycleReport } from './upload/uploader-messages.js';
import { startUploader, type UploaderHandle } from './upload/uploader-host.js';
import { destinationOf } from './upload/uploader-config.js';
import { checkWriterBudget } from './upload/writer-budget.js';
import {
  UPLOADER_EVENT_NAMES,
  type DroppedEvent,
  type UploaderEvents,
} from './upload/uploader-events.js';
import type { UploaderStatus } from './upload/uploader-status.js';

/** The shipper's events. `error` carries an Error; it is only emitted to listeners. */
export interface ShipperEvents extends Omit<UploaderEvents, 'error'> {
  sealed: [SealedSegment];
  error: [SpoolWriteError | UploadError];
}

/** `status()`: the uploader's view plus this shipper's writer. */
export interface ShipperStatus extends UploaderStatus {
  /** Bytes written to this shipper's open segment, not sealed yet. */
  readonly activeBytes: number;
  /**
   * Lines this shipper's writer dropped: a full buffer with `onFull: 'drop'`,
   * disk errors, writes after `close()`.
   */
  readonly droppedLines: number;
}

/** diagnostics_channel channels, named as undici names its own. */
export const channels = {
  uploadStart: diagnostics.channel('hdfs-log-transport:upload:start'),
  uploadEnd: diagnostics.channel('hdfs-log-transport:upload:end'),
  uploadError: diagnostics.channel('hdfs-log-transport:upload:error'),
} as const;

/**
 * The engine under both front doors: log lines in, segments on HDFS out.
 * Writes go to a local segment at disk speed; an uploader in a worker thread
 * publishes sealed segments every `upload.interval`. Nothing here keeps the
 * process alive, and a process that just exits loses nothing it wrote: its
 * last segment is sealed at exit and published by the next start.
 */
export class Shipper extends EventEmitter<ShipperEvents> {
  readonly options: ResolvedOptions;
  readonly #writer: SegmentWriter;
  readonly #announcement: WriterAnnouncement;
  readonly #uploader: UploaderHandle;
  #droppedLines = 0;
  #closing: Promise<void> | undefined;

  /** Validates the options (throwing `InvalidOptionError`) before any I/O. */
  constructor(options: HdfsLogOptions) {
    super();
    const resolved = resolveOptions(options);
    validateBudget({
      maxSpoolBytes: resolved.maxSpoolBytes,
      rotateSize: resolved.rotate.size,
    });
    const custom =
      typeof resolved.destination === 'string' ? undefined : resolved.destination;
    // Built here too so that a bad URL or template fails now, not in the worker.
    // It sent nothing, so it holds no token to cancel: its close cannot fail.
    if (custom === undefined) void destinationOf(resolved).close?.();
    this.options = resolved;

    const layout = spoolLayout(resolved.spoolDir);
    ensureSpoolSync(layout);
    const writerId = newWriterId();
    this.#announcement = WriterAnnouncement.announce(layout.writers, writerId);
    this.#writer = new SegmentWriter({
      layout,
      name: resolved.name,
      host: resolved.host,
      writerId,
      maxBytes: resolved.rotate.size,
      period: resolved.rotate.every,
      timeZone: resolved.rotate.timeZone,
      bufferBytes: resolved.buffer.size,
      onBufferFull: resolved.buffer.onFull,
      sealInto: resolved.compress === 'gzip' ? 'sealed' : 'ready',
    });
    this.#writer.on('sealed', (segment) => {
      this.emit('sealed', segment);
      if (resolved.compress === 'gzip') this.#uploader.compress();
    });
    this.#writer.on('error', (error) => this.#reportError(error));
    this.#writer.on('dropped', (drop) => {
      this.#droppedLines += drop.lines;
      this.emit('dropped', drop satisfies DroppedEvent);
    });
    this.#uploader = startUploader(resolved, custom);
    this.#relayUploader();
    this.#checkSharedBudget(layout, writerId);
  }

  /** Appends one record as one line (raw line breaks in it are escaped). Never throws. */
  write(record: string): void {
    this.#writer.write(frameLine(record));
  }

  /** Appends text that is already whole lines, as pino hands them over. Never throws. */
  writeLines(text: string): void {
    if (text === '') return;
    this.#writer.writeLines(text.endsWith('\n') ? text : `${text}\n`);
  }

  /**
   * Writes the lines held in memory to the local segment (without sealing it):
   * after this, a process crash cannot lose them.
   */
  async drain(): Promise<void> {
    await this.#writer.flush();
  }

  /**
   * As {@link drain}, synchronously, and without waiting for writes already
   * under way (their bytes are written again): for the pino target's flush.
   */
  drainSync(): void {
    this.#writer.flushSync();
  }

  /**
   * Seals what was written and publishes every waiting segment now. Resolves
   * when all are published; rejects with a `FlushError` saying why not.
   */
  async flush(): Promise<void> {
    await this.#writer.rotate();
    checkFlush(await this.#uploader.runCycle());
  }

  /**
   * Seals what was written and stops. With `upload.onClose`, first makes a
   * last attempt to publish, bounded by `upload.closeTimeout`; what is left
   * is published by the next start.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  status(): ShipperStatus {
    return {
      ...this.#uploader.status,
      activeBytes: this.#writer.unsealedBytes,
      droppedLines: this.#droppedLines,
    };
  }

  async #close(): Promise<void> {
    await this.#writer.close();
    const { onClose, closeTimeout } = this.options.upload;
    if (onClose) {
      const timeout = new Promise((resolve) => setTimeout(resolve, closeTimeout).unref());
      await Promise.race([this.#uploader.runCycle().catch(() => undefined), timeout]);
    }
    await this.#uploader.stop(0);
    // Only now: the writer's segments are sealed, so nothing of it looks abandoned.
    this.#announcement.withdraw();
  }

  #relayUploader(): void {
    const relay = this as EventEmitter;
    for (const name of UPLOADER_EVENT_NAMES) {
      if (name === 'error') continue;
      (this.#uploader as EventEmitter).on(name, (payload: unknown) =>
        relay.emit(name, payload),
      );
    }
    this.#uploader.on('error', ({ segment, error }) => {
      const failure = new UploadError({
        ...error,
        ...(segment === undefined ? {} : { segment }),
      });
      channels.uploadError.publish({ segment, error: failure });
      this.#reportError(failure);
    });
    this.#uploader.on('publishing', (event) => channels.uploadStart.publish(event));
    this.#uploader.on('uploaded', (event) => channels.uploadEnd.publish(event));
  }

  /** Reports, once, a budget too small for the writers already sharing the spool. */
  #checkSharedBudget(layout: SpoolLayout, writerId: string): void {
    const { maxSpoolBytes, rotate } = this.options;
    checkWriterBudget({ layout, writerId, maxSpoolBytes, rotateSize: rotate.size }).then(
      (problem) => {
        if (problem !== undefined) this.#reportError(new UploadError(problem));
      },
      (error: unknown) => {
        const cause = error as NodeJS.ErrnoException;
        this.#reportError(new SpoolWriteError('open', layout.writers, cause));
      },
    );
  }

  #reportError(error: SpoolWriteError | UploadError): void {
    // The library never throws into the application: no listener, no emit.
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}

function checkFlush(report: CycleReport): void {
  if (report.failures.length === 0 && report.pendingSegments === 0) return;
  const failures = report.failures.map(
    ([segment, error]) => new UploadError({ ...error, segment }),
  );
  const why = failures[0]?.message ?? 'segments are still waiting';
  throw new FlushError(
    `${report.pendingSegments} segment(s) not published: ${why}`,
    report.pendingSegments,
    failures,
  );
}

/** Creates a shipper: the package's engine, usable without a logger. */
export function createShipper(options: HdfsLogOptions): Shipper {
  return new Shipper(options);
}
