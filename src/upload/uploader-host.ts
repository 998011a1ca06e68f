import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { ResolvedOptions } from '../resolve-options.js';
import { toErrorInfo } from './error-info.js';
import type { Destination } from './destination.js';
import { Uploader } from './uploader.js';
import { uploaderConfigOf } from './uploader-config.js';
import { UPLOADER_EVENT_NAMES, type UploaderEvents } from './uploader-events.js';
import {
  toReport,
  type CycleReport,
  type FromUploader,
  type ToUploader,
} from './uploader-messages.js';
import type { UploaderStatus } from './uploader-status.js';

/** The shipper's view of its uploader, wherever it runs. */
export interface UploaderHandle extends EventEmitter<UploaderEvents> {
  /** Runs a cycle now: compress, recover, budget, publish. */
  runCycle(): Promise<CycleReport>;
  /** Stops, giving the cycle in progress `timeoutMs` before aborting it. */
  stop(timeoutMs: number): Promise<void>;
  /** Compresses sealed segments now (gzip at seal time); failures are `error` events. */
  compress(): void;
  readonly status: UploaderStatus;
}

const WORKER = new URL('./uploader-worker.js', import.meta.url);

const NO_STATUS: UploaderStatus = {
  holdsSpool: false,
  pendingSegments: 0,
  pendingBytes: 0,
  oldestPendingMs: 0,
  uploadedSegments: 0,
  uploadedBytes: 0,
  droppedSegments: 0,
  droppedBytes: 0,
  droppedRetained: 0,
  overBudget: false,
  lastSuccess: undefined,
  lastError: undefined,
};

/**
 * Starts the uploader: in a worker thread for a destination URL, so that the
 * application's event loop never waits on HDFS; on this thread for a
 * destination object, which cannot cross threads (its methods must not block).
 */
export function startUploader(options: ResolvedOptions, destination?: Destination) {
  if (destination !== undefined) return new InThreadUploader(options, destination);
  return new WorkerUploader(options);
}

class InThreadUploader extends EventEmitter<UploaderEvents> implements UploaderHandle {
  readonly #uploader: Uploader;

  constructor(options: ResolvedOptions, destination: Destination) {
    super();
    this.#uploader = new Uploader(uploaderConfigOf(options, destination));
    // Untyped views: the typings cannot follow one listener through every event name.
    const source = this.#uploader as EventEmitter;
    const relay = this as EventEmitter;
    for (const name of UPLOADER_EVENT_NAMES) {
      source.on(name, (payload: unknown) => relay.emit(name, payload));
    }
    this.#uploader.start();
  }

  async runCycle(): Promise<CycleReport> {
    return toReport(await this.#uploader.runCycle());
  }

  stop(timeoutMs: number): Promise<void> {
    return this.#uploader.stop(timeoutMs);
  }

  compress(): void {
    this.#uploader.compressSealed().catch((error: unknown) => {
      this.emit('error', { error: toErrorInfo(error) });
    });
  }

  get status(): UploaderStatus {
    return this.#uploader.status;
  }
}

interface Waiting {
  resolve(value: CycleReport | undefined): void;
  reject(error: Error): void;
}

class WorkerUploader extends EventEmitter<UploaderEvents> implements UploaderHandle {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #status = NO_STATUS;
  #statusAt = 0;
  #nextId = 0;

  constructor(options: ResolvedOptions) {
    super();
    this.#worker = new Worker(WORKER, { workerData: options });
    this.#worker.on('message', (message: FromUploader) => this.#receive(message));
    this.#worker.on('error', (error) =>
      this.emit('error', { error: toErrorInfo(error) }),
    );
    this.#worker.on('exit', (code) =>
      this.#rejectAll(new Error(`uploader exited (${code})`)),
    );
    // Like a daemon thread: the worker never keeps the application alive. After
    // the listeners: adding a 'message' listener refs the worker's port again.
    this.#worker.unref();
  }

  async runCycle(): Promise<CycleReport> {
    return (await this.#request({ type: 'run', id: this.#nextId++ })) as CycleReport;
  }

  async stop(timeoutMs: number): Promise<void> {
    await this.#request({ type: 'stop', id: this.#nextId++, timeoutMs });
  }

  compress(): void {
    this.#worker.postMessage({ type: 'compress' } satisfies ToUploader);
  }

  /**
   * The worker's last snapshot (sent with every event), its oldest pending
   * age brought up to now: between events that age is the one thing that
   * changes, and a quiet uploader must not show it frozen.
   */
  get status(): UploaderStatus {
    const status = this.#status;
    if (status.oldestPendingMs === 0) return status;
    const elapsed = Math.max(0, Date.now() - this.#statusAt);
    return { ...status, oldestPendingMs: status.oldestPendingMs + elapsed };
  }

  #request(
    message: Extract<ToUploader, { id: number }>,
  ): Promise<CycleReport | undefined> {
    return new Promise((resolve, reject) => {
      this.#waiting.set(message.id, { resolve, reject });
      // While the application waits for an answer, the worker must keep the process alive.
      this.#worker.ref();
      this.#worker.postMessage(message);
    });
  }

  #settle(id: number, outcome: (waiting: Waiting) => void): void {
    const waiting = this.#waiting.get(id);
    this.#waiting.delete(id);
    if (this.#waiting.size === 0) this.#worker.unref();
    if (waiting !== undefined) outcome(waiting);
  }

  #receive(message: FromUploader): void {
    switch (message.type) {
      case 'event':
        this.#status = message.status;
        this.#statusAt = message.statusAt;
        (this.emit as (name: string, payload: unknown) => boolean)(
          message.name,
          message.payload,
        );
        return;
      case 'ran':
        this.#settle(message.id, (waiting) => waiting.resolve(message.report));
        return;
      case 'stopped':
        this.#settle(message.id, (waiting) => waiting.resolve(undefined));
        return;
      case 'failed':
        this.#settle(message.id, (waiting) =>
          waiting.reject(new Error(message.error.message)),
        );
    }
  }

  #rejectAll(error: Error): void {
    for (const id of [...this.#waiting.keys()]) {
      this.#settle(id, (waiting) => waiting.reject(error));
    }
  }
}
