import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { isMainThread, parentPort } from 'node:worker_threads';
import { HdfsLogTransportError, UploadError } from './errors.js';
import type { HdfsLogOptions } from './options.js';
import { createShipper, type Shipper, type ShipperStatus } from './shipper.js';
import { UPLOADER_EVENT_NAMES } from './upload/uploader-events.js';
import { toErrorInfo } from './upload/error-info.js';

/** The options of the pino target: the shipper's, as plain data (a URL destination). */
export type HdfsPinoOptions = HdfsLogOptions & { readonly destination: string };

/** The event carrying a status snapshot after every other event. */
export const STATUS_EVENT = 'hdfsStatus';
/** Shipper errors reach the transport under this name, as plain data. */
export const ERROR_EVENT = 'hdfsError';

/**
 * A pino transport target: `pino.transport({ target: 'hdfs-log-transport/pino',
 * options })`. It runs in pino's worker thread and writes the chunks pino
 * hands over as they are (whole lines, no parsing) into the shipper's
 * segments. A chunk that ends inside a line keeps its tail until the rest
 * arrives, so a segment always ends on a line boundary.
 *
 * The shipper's events reach the transport stream in the application's
 * thread under their own names (`uploaded`, `sealed`…), errors as
 * `hdfsError`, each followed by a status snapshot (`hdfsStatus`, see
 * {@link trackStatus}).
 */
export default async function hdfsTarget(options: HdfsPinoOptions): Promise<Writable> {
  const shipper = createShipperForPino(withoutPinoKeys(options));
  relayEvents(shipper);
  let tail = '';

  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      const text = tail + (typeof chunk === 'string' ? chunk : chunk.toString());
      const end = text.lastIndexOf('\n') + 1;
      tail = text.slice(end);
      if (end > 0) shipper.writeLines(end === text.length ? text : text.slice(0, end));
      callback();
    },
    final(callback) {
      if (tail !== '') shipper.writeLines(`${tail}\n`);
      tail = '';
      shipper.close().then(() => callback(), callback);
    },
  });
  // pino's logger.flush() reaches here when this stream is the worker's only
  // destination: put what is buffered on the local disk.
  Object.assign(stream, { flush: () => shipper.drainSync() });
  drainOnFlush(shipper);
  return Promise.resolve(stream);
}

/**
 * thread-stream hands the target's failure to the application's thread as a
 * structured clone, which keeps an Error's message and drops its class,
 * `code` and fields: the message carries them instead, as in
 * `InvalidOptionError [ERR_INVALID_OPTION]: option "rotate.size" must be…`.
 */
function createShipperForPino(options: HdfsPinoOptions): Shipper {
  try {
    return createShipper(options);
  } catch (error) {
    if (!(error instanceof HdfsLogTransportError)) throw error;
    throw new Error(`${error.name} [${error.code}]: ${error.message}`, { cause: error });
  }
}

/**
 * Keys pino and thread-stream add to a target's options (`$context`,
 * `pinoWillSendConfig`, and the logger's `levels` and `dedupe`): not ours.
 */
const PINO_KEYS = new Set(['pinoWillSendConfig', 'levels', 'dedupe']);

function withoutPinoKeys(options: HdfsPinoOptions): HdfsPinoOptions {
  const entries = Object.entries(options).filter(
    ([key]) => !key.startsWith('$') && !PINO_KEYS.has(key),
  );
  return Object.fromEntries(entries) as HdfsPinoOptions;
}

/**
 * pino's `logger.flush()` reaches the worker as thread-stream's `FLUSH`
 * message, and thread-stream calls `flush()` on its destination only. Inside
 * `targets: [...]` or after a `pipeline` that destination is pino's own
 * stream in front of this one, which passes nothing on, so the flush would
 * answer while the lines wait in memory. thread-stream listens for the
 * message only once this target is built: this listener runs first, and the
 * lines are written (synchronously, in the worker) before the answer leaves.
 */
function drainOnFlush(shipper: Shipper): void {
  const port = isMainThread ? undefined : parentPort;
  port?.on('message', (message: { code?: unknown; context?: unknown } | null) => {
    if (message?.code === 'FLUSH' && message.context === 'thread-stream') {
      shipper.drainSync();
    }
  });
}

/** Sends the shipper's events to the transport stream in the application's thread. */
function relayEvents(shipper: Shipper): void {
  const port = isMainThread ? undefined : parentPort;
  if (port === null || port === undefined) return;
  const post = (name: string, payload: unknown): void => {
    port.postMessage({ code: 'EVENT', name, args: [payload] });
    port.postMessage({ code: 'EVENT', name: STATUS_EVENT, args: [shipper.status()] });
  };
  for (const name of [...UPLOADER_EVENT_NAMES, 'sealed'] as const) {
    if (name === 'error') continue;
    (shipper as EventEmitter).on(name, (payload: unknown) => post(name, payload));
  }
  shipper.on('error', (error) => {
    const segment = error instanceof UploadError ? error.segment : undefined;
    post(ERROR_EVENT, {
      ...toErrorInfo(error),
      ...(segment === undefined ? {} : { segment }),
    });
  });
}

/**
 * Follows the shipper's status from the application's thread: pass the
 * stream `pino.transport()` returned; call the function for the latest
 * snapshot (`undefined` until the first event). Snapshots come with events
 * only, so between two of them the backlog's age is carried forward on
 * `now` rather than shown as it was at the last event.
 */
export function trackStatus(
  transport: EventEmitter,
  now: () => number = Date.now,
): () => ShipperStatus | undefined {
  let latest: ShipperStatus | undefined;
  let receivedAt = 0;
  transport.on(STATUS_EVENT, (status: ShipperStatus) => {
    latest = status;
    receivedAt = now();
  });
  return () => {
    if (latest === undefined || latest.pendingSegments === 0) return latest;
    const waited = Math.max(0, now() - receivedAt);
    return { ...latest, oldestPendingMs: latest.oldestPendingMs + waited };
  };
}
