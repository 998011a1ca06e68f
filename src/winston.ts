import TransportStream from 'winston-transport';
import type { HdfsLogOptions } from './options.js';
import { createShipper, type Shipper } from './shipper.js';

/** winston's key for the formatted line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');
/** A bound on the records taken from winston at the end: its buffer holds a few dozen. */
const MAX_TAKEN = 1_000_000;

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

interface WinstonLogger {
  readonly readableLength?: number;
  read(): unknown;
  listenerCount(event: string): number;
}

/**
 * A winston transport that ships to HDFS: each record's formatted line
 * (`info[MESSAGE]`) becomes one line of a local segment, and sealed segments
 * are published by the shipper's uploader. `transport.shipper` has the
 * events and `status()`.
 *
 * winston's `logger.end()` ends its transports while the logger may still
 * hold records (winston issue 2219); this transport takes them before it
 * ends, and it finishes only once what it was given is sealed on disk.
 */
export class HdfsTransport extends TransportStream {
  readonly shipper: Shipper;

  constructor(options: HdfsTransportOptions) {
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
   * hold records for them (winston issue 2219): its pipe is paused when a
   * slower transport pushed back, and once that one ends it never resumes.
   * Before ending, read what the logger holds: each record read is handed to
   * every transport still piped, this one included.
   */
  override end(...args: unknown[]): this {
    const logger = this.#logger();
    for (
      let taken = 0;
      logger !== undefined && (logger.readableLength ?? 0) > 0;
      taken++
    ) {
      if (taken >= MAX_TAKEN || logger.read() === null) break;
    }
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

  /** Called by winston when the transport is removed: seals and stops. */
  override close(): void {
    this.shipper.close().catch((error: unknown) => this.#report(error));
  }

  /**
   * winston re-emits a transport's errors on the logger, which throws when
   * nobody listens there: report through winston only where someone does.
   * The shipper's own events carry every error regardless.
   */
  #report(error: unknown): void {
    const listeners =
      this.#logger()?.listenerCount('error') ?? this.listenerCount('error');
    if (listeners > 0) this.emit('error', error);
  }

  #logger(): WinstonLogger | undefined {
    return (this as unknown as { parent?: WinstonLogger | null }).parent ?? undefined;
  }
}

function fallbackLine(info: Record<string | symbol, unknown>): string {
  try {
    return JSON.stringify(info);
  } catch {
    // A circular object: keep what can be shown rather than lose the record.
    return JSON.stringify({ level: info.level, message: String(info.message) });
  }
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as T;
}

export default HdfsTransport;
