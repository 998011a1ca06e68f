/**
 * Publishes a spool's backlog once, from outside the applications that
 * write it: what `hdfs-log-transport flush` runs. A shipper would do it too,
 * but it also announces a writer and starts a segment writer and a timer,
 * none of which an operator's one-off run should leave traces of.
 */
import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import { InvalidOptionError } from '../errors.js';
import type { HdfsLogOptions, RotateOptions, UploadOptions } from '../options.js';
import { resolveOptions } from '../resolve-options.js';
import { ensureSpool, type SpoolLayout } from '../segment/spool-layout.js';
import { toErrorInfo } from './error-info.js';
import { countSegments, countWaitingSegments } from './ready-segments.js';
import { Uploader, type UploaderConfig } from './uploader.js';
import { destinationOf, uploaderConfigOf } from './uploader-config.js';
import {
  UPLOADER_EVENT_NAMES,
  type ErrorInfo,
  type UploaderEvents,
} from './uploader-events.js';

/**
 * The shipper's options that concern publishing. The disk budget is not
 * among them: it belongs to the spool's own uploader, and a one-off run that
 * does not know the applications' `maxSpoolBytes` must never drop a segment.
 */
export type SpoolPublisherOptions = Pick<
  HdfsLogOptions,
  'destination' | 'spoolDir' | 'namenodes' | 'user' | 'compress' | 'verify' | 'webhdfs'
> & {
  /** Only `timeZone`: the zone of the destination template's dates. */
  readonly rotate?: Pick<RotateOptions, 'timeZone'>;
  readonly upload?: Pick<
    UploadOptions,
    'concurrency' | 'retries' | 'retryDelay' | 'maxRetryDelay'
  >;
};

/** What one {@link SpoolPublisher.publish} run achieved. */
export interface SpoolPublication {
  /** False when another process's uploader holds the spool and published for us. */
  readonly holdsSpool: boolean;
  readonly published: number;
  /** Segments that could not be published, with the last error. */
  readonly failures: ReadonlyMap<string, ErrorInfo>;
  /** Segments still waiting once the run ended, in `ready/` and `sealed/`. */
  readonly pendingSegments: number;
  /** True when the signal ended the run early. */
  readonly aborted: boolean;
}

/**
 * After an abort, how long the run may take to stop. A run delegated to
 * another process's uploader cannot be cancelled from here: its answer is
 * not waited for past this.
 */
const STOP_GRACE_MS = 2_000;

const NOTHING = { holdsSpool: false, published: 0, failures: new Map() } as const;

/**
 * One run of an uploader over a spool, on this thread (a command line has
 * no event loop of an application to protect): seal what dead writers left,
 * gzip what waits in `sealed/` (the writers asked for it; `compress` only
 * decides for the segments this run seals), publish `ready/` oldest first,
 * then let go of the spool. When another process's uploader holds the spool, it
 * is asked to run instead, as `flush()` does. Emits the uploader's events;
 * `error` only to listeners. One run per publisher.
 */
export class SpoolPublisher extends EventEmitter<UploaderEvents> {
  readonly #config: UploaderConfig;
  #used = false;

  /** Validates the options (throwing `InvalidOptionError`) before any I/O. */
  constructor(options: SpoolPublisherOptions) {
    super();
    const resolved = resolveOptions({
      ...options,
      maxSpoolBytes: Number.MAX_SAFE_INTEGER,
      minFreeBytes: 0,
    });
    this.#config = uploaderConfigOf(resolved, destinationOf(resolved));
  }

  /**
   * Publishes what waits. Never creates a spool: a directory without
   * `ready/` is refused, so that a mistyped path is not taken for an empty
   * spool.
   *
   * @throws {@link InvalidOptionError} naming `spoolDir` for a directory
   *   that is not a spool
   */
  async publish(signal?: AbortSignal): Promise<SpoolPublication> {
    if (this.#used) throw new Error('a SpoolPublisher publishes once');
    this.#used = true;
    const { layout } = this.#config;
    await checkSpool(layout);
    if (signal?.aborted === true) {
      const pendingSegments = await countWaitingSegments(layout);
      return { ...NOTHING, pendingSegments, aborted: true };
    }

    // Only writers with `compress: 'gzip'` seal into sealed/: what waits
    // there is meant to be gzipped, whatever this publisher was told.
    const gzipWaiting = (await countSegments(layout.sealed)) > 0;
    const uploader = new Uploader({
      ...this.#config,
      compress: this.#config.compress || gzipWaiting,
    });
    let published = 0;
    uploader.on('uploaded', () => (published += 1));
    this.#relay(uploader);
    // The uploader's timers (backoff sleeps) are unref()ed, as befits one
    // running beside an application; a caller awaiting this run must not
    // see its process exit in the middle of a backoff instead.
    const keepAlive = setInterval(() => undefined, 60_000);
    const run = uploader.runCycle();
    const stopped = waitForAbort(signal);
    let outcome: Omit<SpoolPublication, 'pendingSegments'>;
    try {
      const ended = await Promise.race([run, stopped.promise]);
      if (ended === 'aborted') {
        // The run's own end, error or not, no longer decides anything.
        run.catch((error: unknown) => this.#reportError(error));
      }
      outcome =
        ended === 'aborted'
          ? {
              ...NOTHING,
              holdsSpool: uploader.status.holdsSpool,
              published,
              aborted: true,
            }
          : {
              holdsSpool: ended.holdsSpool,
              published: ended.published,
              failures: ended.failures,
              aborted: false,
            };
    } finally {
      stopped.dispose();
      await this.#stop(uploader);
      clearInterval(keepAlive);
    }
    return { ...outcome, pendingSegments: await countWaitingSegments(layout) };
  }

  /** Stops the run, bounded: see {@link STOP_GRACE_MS}. */
  async #stop(uploader: Uploader): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    // Not unref()ed: the caller awaits this, and the uploader's own abort
    // timer is unref()ed, so nothing else may keep the process up meanwhile.
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_GRACE_MS);
    });
    const stopping = uploader.stop(0).catch((error: unknown) => this.#reportError(error));
    await Promise.race([stopping, grace]);
    clearTimeout(timer);
  }

  #relay(uploader: Uploader): void {
    const relay = this as EventEmitter;
    for (const name of UPLOADER_EVENT_NAMES) {
      (uploader as EventEmitter).on(name, (payload: unknown) => {
        // Like the shipper: an error nobody listens to is not thrown at the caller.
        if (name !== 'error' || this.listenerCount('error') > 0)
          relay.emit(name, payload);
      });
    }
  }

  #reportError(error: unknown): void {
    if (this.listenerCount('error') > 0)
      this.emit('error', { error: toErrorInfo(error) });
  }
}

async function checkSpool(layout: SpoolLayout): Promise<void> {
  const ready = await unlessGone(stat(layout.ready));
  if (ready?.isDirectory() !== true) {
    throw new InvalidOptionError(
      'spoolDir',
      'a spool: a directory with a ready/ directory in it',
      layout.root,
    );
  }
  // A spool made by any version has them all; the uploader needs journal/ and retained/.
  await ensureSpool(layout);
}

/** `undefined` for a path that is not there (or whose parent is not a directory). */
async function unlessGone<T>(action: Promise<T>): Promise<T | undefined> {
  try {
    return await action;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function waitForAbort(signal: AbortSignal | undefined) {
  let dispose = (): void => undefined;
  const promise = new Promise<'aborted'>((resolve) => {
    if (signal === undefined) return;
    const onAbort = (): void => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    dispose = () => signal.removeEventListener('abort', onAbort);
  });
  return { promise, dispose: () => dispose() };
}
