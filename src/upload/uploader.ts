import { EventEmitter } from 'node:events';
import { readdir } from 'node:fs/promises';
import type { SpoolLayout } from '../segment/spool-layout.js';
import { recoverAbandonedSegments } from '../segment/recover-segments.js';
import { cleanUpCompression, compressSealedSegment } from './compress-segment.js';
import type { Destination } from './destination.js';
import { toErrorInfo } from './error-info.js';
import { PublishJournal } from './publish-journal.js';
import type { TransferSlots } from './transfer-slots.js';
import { publishQueue } from './publish-queue.js';
import { publishSegment } from './publish-segment.js';
import {
  countWaitingSegments,
  expireRetained,
  listReadySegments,
  releaseLocalCopy,
} from './ready-segments.js';
import { requestFlush, serveFlushRequests } from './flush-requests.js';
import {
  keepBudget,
  settleJournal,
  type HousekeepingEmit,
} from './spool-housekeeping.js';
import { UploaderLock } from './uploader-lock.js';
import type { ErrorInfo, UploaderEvents } from './uploader-events.js';
import { UploaderStatusBoard, type UploaderStatus } from './uploader-status.js';
import { failpoint } from '../failpoints.js';

export interface UploaderConfig {
  readonly layout: SpoolLayout;
  readonly destination: Destination;
  readonly interval: number;
  readonly concurrency: number;
  readonly retries: number;
  readonly retryDelay: number;
  readonly maxRetryDelay: number;
  readonly verify: 'length' | 'checksum';
  readonly keepUploaded: number;
  readonly maxSpoolBytes: number;
  readonly minFreeBytes: number;
  readonly compress: boolean;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** What one run of the uploader achieved. */
export interface CycleSummary {
  /** False when another uploader holds the spool: this one published nothing. */
  readonly holdsSpool: boolean;
  readonly published: number;
  /** Segments that could not be published in this run, with the last error. */
  readonly failures: ReadonlyMap<string, ErrorInfo>;
  /** Sealed segments still waiting after this run. */
  readonly pendingSegments: number;
}

/**
 * Publishes a spool's sealed segments: every `interval`, and when asked. One
 * uploader per spool holds it (see `UploaderLock`); others wait and take over
 * when it dies. A run: settle the journal (sweeping stale temporary files),
 * seal what dead writers left, compress what waits for gzip, expire retained
 * copies, keep the disk budget, publish `ready/` oldest first. The timer
 * never keeps the process alive.
 */
export class Uploader extends EventEmitter<UploaderEvents> {
  readonly #config: UploaderConfig;
  readonly #now: () => number;
  readonly #board: UploaderStatusBoard;
  readonly #stopping = new AbortController();
  readonly #reported = new Map<string, Set<string>>();
  readonly #vanished = new Set<string>();
  #lock: UploaderLock | undefined;
  #journal: PublishJournal | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<CycleSummary> | undefined;
  #compression: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(config: UploaderConfig) {
    super();
    this.#config = config;
    this.#now = config.now ?? Date.now;
    this.#board = new UploaderStatusBoard(this.#now);
    this.on('uploaded', (event) => this.#board.recordUpload(event));
    this.on('error', (event) => this.#board.recordError(event.error));
    this.on('dropped', (event) => this.#board.recordDrop(event));
  }

  /** Runs a first cycle now, then one every interval. */
  start(): void {
    this.#schedule(0);
  }

  /**
   * Runs a cycle now (after the one in progress, if any). When another
   * process's uploader holds the spool, asks it to run instead and reports
   * its result.
   */
  async runCycle(): Promise<CycleSummary> {
    return this.#serialized(async () => {
      const summary = await this.#cycle();
      if (summary.holdsSpool) return summary;
      return (await this.#askHolder()) ?? this.#cycle();
    });
  }

  async #serialized(action: () => Promise<CycleSummary>): Promise<CycleSummary> {
    const previous = this.#running;
    const run = (async () => {
      await previous?.catch(() => undefined);
      return action();
    })();
    this.#running = run;
    try {
      return await run;
    } finally {
      if (this.#running === run) this.#running = undefined;
    }
  }

  get status(): UploaderStatus {
    return this.#board.snapshot(this.#lock !== undefined);
  }

  /**
   * Stops: no new cycle starts; the one in progress gets `timeoutMs` to end,
   * then its uploads are aborted (their temporary files stay hidden, and the
   * next uploader finishes or replaces them).
   */
  async stop(timeoutMs = 0): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    const running = this.#running;
    if (running !== undefined) {
      const timer = setTimeout(() => this.#stopping.abort(), timeoutMs).unref();
      await running.catch(() => undefined);
      clearTimeout(timer);
    }
    this.#stopping.abort();
    await this.#journal?.close();
    this.#lock?.release();
    try {
      await this.#config.destination.close?.();
    } catch (error) {
      // Stopped all the same (a token not cancelled expires by itself): only reported.
      this.emit('error', { error: toErrorInfo(error) });
    }
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#serialized(() => this.#cycle())
        .catch((error: unknown) => this.emit('error', { error: toErrorInfo(error) }))
        .finally(() => this.#schedule(this.#config.interval));
    }, delay).unref();
  }

  async #cycle(): Promise<CycleSummary> {
    const summary = await this.#publishWaiting();
    this.emit('cycle', {
      holdsSpool: summary.holdsSpool,
      published: summary.published,
      failed: summary.failures.size,
      pendingSegments: summary.pendingSegments,
    });
    return summary;
  }

  async #publishWaiting(): Promise<CycleSummary> {
    if (!(await this.#holdSpool())) {
      // What waits is another uploader's to publish, but it still waits: a
      // flush that found no uploader to run it must not pass for a clean one,
      // and this shipper's status shows the spool's backlog all the same.
      const pendingSegments = await countWaitingSegments(this.#config.layout);
      this.#board.recordPending(await listReadySegments(this.#config.layout));
      return { holdsSpool: false, published: 0, failures: new Map(), pendingSegments };
    }
    const { layout, keepUploaded } = this.#config;
    await settleJournal(layout, this.#journal as PublishJournal, {
      destination: this.#config.destination,
      signal: this.#stopping.signal,
      emit: this.#emitter(),
      vanished: this.#vanished,
    });
    await this.#recover();
    if (this.#config.compress) await this.compressSealed();
    if (keepUploaded > 0) await expireRetained(layout, keepUploaded, this.#now());
    // Between compressions: a segment of sealed/ being gzipped is not the budget's to drop.
    const overBudget = await this.#betweenCompressions(() =>
      keepBudget(this.#config, this.#journal as PublishJournal, {
        signal: this.#stopping.signal,
        now: this.#now(),
        emit: this.#emitter(),
        vanished: this.#vanished,
      }),
    );
    // Reported when it starts, not at every run while it lasts; status shows it meanwhile.
    if (overBudget !== undefined && !this.#board.overBudget) {
      this.emit('error', { error: overBudget });
    }
    this.#board.recordBudget(overBudget === undefined);

    const segments = await listReadySegments(layout);
    const outcome = await publishQueue(segments, this.#queueOptions());
    const pending = await listReadySegments(layout);
    this.#board.recordPending(pending);
    return { holdsSpool: true, ...outcome, pendingSegments: pending.length };
  }

  /**
   * The uploader holding the spool runs a cycle for us; `undefined` when it
   * died meanwhile (the caller then takes over and runs itself).
   */
  async #askHolder(): Promise<CycleSummary | undefined> {
    const answer = await requestFlush(UploaderLock.socketPath(this.#config.layout.root));
    if (answer === undefined) return undefined;
    return {
      holdsSpool: false,
      published: answer.published,
      failures: new Map(answer.failures),
      pendingSegments: answer.pendingSegments,
    };
  }

  /** Takes the spool when free; the first time, resumes what the journal left open. */
  async #holdSpool(): Promise<boolean> {
    if (this.#lock !== undefined) return true;
    const serve = serveFlushRequests(async () => {
      const summary = await this.#serialized(() => this.#cycle());
      return { ...summary, failures: [...summary.failures] };
    });
    const lock = await UploaderLock.acquire(this.#config.layout.root, serve);
    if (lock === undefined) return false;
    this.#lock = lock;
    this.#journal = await PublishJournal.open(this.#config.layout.journal);
    await cleanUpCompression(this.#config.layout);
    return true;
  }

  /** `emit`, typed for callers that hand events over without knowing the class. */
  #emitter(): HousekeepingEmit {
    return (event, payload) => {
      (this.emit as (name: string, value: unknown) => boolean)(event, payload);
    };
  }

  async #recover(): Promise<void> {
    const { layout, compress } = this.#config;
    const sealInto = compress ? 'sealed' : 'ready';
    for (const recovered of await recoverAbandonedSegments(layout, { sealInto })) {
      this.emit('recovered', {
        segment: recovered.name,
        bytes: recovered.bytes,
        cutBytes: recovered.cutBytes,
      });
    }
  }

  /**
   * Compresses what waits in `sealed/`, now: called when a segment is sealed,
   * so that gzip happens at seal time rather than at the next run, and by
   * every run. Only the uploader holding the spool compresses; compressions
   * take turns, uploads go on meanwhile.
   */
  async compressSealed(): Promise<void> {
    await this.#betweenCompressions(async () => {
      if (this.#lock === undefined) return;
      const { layout } = this.#config;
      for (const name of await readdir(layout.sealed)) {
        if (this.#stopping.signal.aborted) return;
        await compressSealedSegment(layout, name);
      }
    });
  }

  /** Runs `action` once the compressions asked for before it are done, and before later ones. */
  #betweenCompressions<T>(action: () => Promise<T>): Promise<T> {
    const run = this.#compression.then(action);
    this.#compression = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #queueOptions() {
    const config = this.#config;
    const journal = this.#journal as PublishJournal;
    const context = {
      destination: config.destination,
      journal,
      verify: config.verify,
      signal: this.#stopping.signal,
    };
    return {
      concurrency: config.concurrency,
      // As many may be finishing: their few small requests need no bandwidth.
      finishing: config.concurrency,
      retries: config.retries,
      backoff: { base: config.retryDelay, max: config.maxRetryDelay },
      signal: this.#stopping.signal,
      ...(config.random === undefined ? {} : { random: config.random }),
      now: this.#now,
      reported: this.#reported,
      publish: (
        segment: Parameters<typeof publishSegment>[0],
        transfers: TransferSlots,
      ) => publishSegment(segment, { ...context, transfers }),
      finishLocal: async (segment: Parameters<typeof publishSegment>[0]) => {
        failpoint('before-local-delete');
        await releaseLocalCopy(config.layout, segment, config.keepUploaded, this.#now());
        // A temporary file whose DELETE failed keeps the entry: the next
        // run's settleJournal deletes it, then forgets the segment.
        const left = journal.entries.get(segment.name)?.temps.length ?? 0;
        if (left === 0) await journal.forgetPublished(segment.name);
      },
      emit: <K extends keyof UploaderEvents>(event: K, ...args: UploaderEvents[K]) => {
        // EventEmitter's typings cannot follow a generic event name through a spread.
        (this.emit as (name: K, ...rest: UploaderEvents[K]) => boolean)(event, ...args);
      },
    };
  }
}
