import TransportStream from 'winston-transport';
import type { HdfsLogOptions } from './options.js';
import { refuseUnknownOptions } from './resolve-options.js';
import { exitHooks } from './segment/exit-hooks.js';
import { createShipper, type Shipper } from './shipper.js';
import { takeBuffered, type WinstonLogger } from './winston-buffer.js';

/** winston's key for the formatted line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');

/** The shipper's options plus winston's transport options. */
export interface HdfsTransportOptions extends HdfsLogOptions {
  /** Most verbose level this transport writes. @default the logger's level */
  readonly level?: string;
  /** A format applied before the transport's line is taken. */
  readonly format?: TransportStream.TransportStreamOptions['format'];
  /** Write nothing. @default false */
  readonly silent?: boolean;
  /** Also write uncaught exceptions winston catches. @default false */
  readonly handleExceptions?: boolean;
  /** Also write unhandled rejections winston catches. @default false */
  readonly handleRejections?: boolean;
}

/** The keys of {@link HdfsTransportOptions} that winston takes, not the shipper. */
const WINSTON_KEYS = [
  'level',
  'format',
  'silent',
  'handleExceptions',
  'handleRejections',
];

/**
 * A winston transport that ships to HDFS: each record's formatted line
 * (`info[MESSAGE]`) becomes one line of a local segment, and sealed segments
 * are published by the shipper's uploader. `transport.shipper` has the
 * events and `status()`.
 *
 * winston ends or removes its transports while the logger may still hold
 * records for them (winston issue 2219), and a process exit leaves them
 * there too: this transport takes them first, on `logger.end()`,
 * `logger.close()` and at exit. It finishes only once what it was given is
 * sealed on disk.
 */
export class HdfsTransport extends TransportStream {
  readonly shipper: Shipper;
  /** The logger piping to this transport; kept when winston unpipes it. */
  #logger: WinstonLogger | undefined;
  /** True while an error is emitted: winston unpipes the transport, then adds it again. */
  #reporting = false;
  #ended = false;
  readonly #exitDrain = (): void => this.#takeBuffered();

  /** Validates the options (throwing `InvalidOptionError`) before any I/O. */
  constructor(options: HdfsTransportOptions) {
    refuseUnknownOptions(options, WINSTON_KEYS);
    const {
      level,
      format,
      silent,
      handleExceptions,
      handleRejections,
      ...shipperOptions
    } = options;
    super(definedOnly({ level, format, silent, handleExceptions, handleRejections }));
    this.shipper = createShipper(shipperOptions);
    this.shipper.on('error', (error) => this.#report(error));

    // winston-transport keeps its logger (the level to filter by) from the
    // first 'pipe' only, and calls close() on the first 'unpipe' only.
    this.on('pipe', (logger: WinstonLogger) => {
      this.#logger = logger;
      Object.assign(this, { parent: logger, levels: logger.levels });
    });
    this.on('unpipe', (logger: WinstonLogger) => {
      if (logger === this.#logger) this.close();
    });
    // At exit, before the shipper seals: what winston still holds goes in first.
    exitHooks.add(this.#exitDrain, 'drain');
  }

  /** winston's transport contract: write, emit `logged`, call back; never throw. */
  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    const line = info[MESSAGE];
    this.shipper.write(typeof line === 'string' ? line : fallbackLine(info));
    this.emit('logged', info);
    callback();
  }

  /**
   * winston's `logger.end()` ends the transports while the logger may still
   * hold records for them (winston issue 2219): take them before ending.
   */
  override end(...args: unknown[]): this {
    this.#takeBuffered();
    this.#ended = true;
    exitHooks.delete(this.#exitDrain, 'drain');
    return (super.end as (...rest: unknown[]) => this)(...args);
  }

  /** Seals what was written before the stream finishes. */
  override _final(callback: (error?: Error | null) => void): void {
    this.shipper.close().then(
      () => callback(),
      (error: unknown) =>
        callback(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /**
   * Called by winston when the transport is removed (`logger.close()`,
   * `logger.remove()`, `logger.clear()`): takes what the logger still holds
   * for it and ends, so `finish` comes once everything is sealed (and, with
   * `upload.onClose`, a last attempt to publish was made).
   */
  override close(): void {
    // The unpipe of an error being reported: winston adds the transport back.
    if (this.#reporting || this.#ended) return;
    this.end();
  }

  #takeBuffered(): void {
    const logger = this.#logger;
    if (logger !== undefined) takeBuffered(logger, this, (error) => this.#report(error));
  }

  /**
   * winston re-emits a transport's errors on the logger, which throws when
   * nobody listens there: report through winston only where someone does.
   * The shipper's own events carry every error regardless.
   */
  #report(error: unknown): void {
    const logger = this.#logger;
    if (logger === undefined) {
      if (this.listenerCount('error') > 0) this.emit('error', error);
      return;
    }
    if (logger.listenerCount('error') === 0) return;
    if (this.#ended) {
      // Emitted on the transport, winston would pipe the ended transport again.
      logger.emit('error', error, this);
      return;
    }
    this.#reporting = true;
    try {
      this.emit('error', error);
    } finally {
      this.#reporting = false;
    }
  }
}

function fallbackLine(info: Record<string | symbol, unknown>): string {
  try {
    return JSON.stringify(info);
  } catch {
    // A circular object or a BigInt: keep what can be shown, not lose the record.
    return JSON.stringify({ level: textOf(info.level), message: textOf(info.message) });
  }
}

/** String(value), which throws for an object without a prototype (querystring's). */
function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as T;
}

export default HdfsTransport;
