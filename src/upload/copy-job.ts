/**
 * One running copy job: a run at start, then one every `interval` after the
 * previous ends; the timer never keeps the process alive. The job holds a
 * lock in its work directory (the uploader's socket lock), so that a second
 * process started with the same state file cannot copy the same files.
 */
import { mkdir } from 'node:fs/promises';
import { CopyJobError, CopyStateError } from '../errors.js';
import type { CopyJobStatus } from './copy-events.js';
import { runCopyCycle, type CycleOutcome } from './copy-cycle.js';
import type { OpenFileOptions, ProcCheck } from './copy-open-files.js';
import type { ResolvedCopyJob } from './resolve-copy-job.js';
import { settleCopyJob } from './copy-recovery.js';
import { CopyReporter, type CopyEmit } from './copy-reporter.js';
import { QuietWatch } from './copy-scan.js';
import { CopyState } from './copy-state.js';
import { toErrorInfo } from './error-info.js';
import { PublishJournal } from './publish-journal.js';
import { UploaderLock } from './uploader-lock.js';

/** What a job needs besides its options. */
export interface CopyJobContext {
  readonly emit: CopyEmit;
  readonly now: () => number;
  readonly random?: () => number;
  readonly openFiles?: OpenFileOptions;
}

interface Held {
  readonly state: CopyState;
  readonly journal: PublishJournal;
  readonly lock: UploaderLock;
}

/** A job's life: started by the manager, stopped once. */
export class CopyJob {
  readonly config: ResolvedCopyJob;
  readonly #context: CopyJobContext;
  readonly #reporter: CopyReporter;
  readonly #watch = new QuietWatch();
  readonly #stopping = new AbortController();
  #state: CopyJobStatus['state'] = 'running';
  #held: Held | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped: Promise<void> | undefined;
  #nextRun: number | undefined;
  #lastRun: number | undefined;
  #lastSuccess: number | undefined;
  #pending = 0;
  // Off Linux there is nothing to wait for: say so before the first look.
  #procCheck: ProcCheck | undefined =
    process.platform === 'linux' ? undefined : 'unavailable';

  constructor(config: ResolvedCopyJob, context: CopyJobContext) {
    this.config = config;
    this.#context = context;
    this.#reporter = new CopyReporter(config.name, context.emit, context.now);
  }

  /** `running`, `stopping`, `stopped` or `failed`. */
  get state(): CopyJobStatus['state'] {
    return this.#state;
  }

  /** Runs at once, then every interval. */
  start(): void {
    this.#schedule(0);
  }

  /**
   * Stops: no run starts any more; a run in progress gets `timeoutMs` to
   * end, then is aborted. An aborted upload leaves only its hidden temporary
   * name; the snapshot and journal entry stay for the next start.
   */
  stop(timeoutMs: number): Promise<void> {
    this.#stopped ??= this.#stop(timeoutMs);
    return this.#stopped;
  }

  status(): CopyJobStatus {
    const { name, patterns, destination, interval } = this.config;
    return {
      name,
      state: this.#state,
      patterns: patterns.map((pattern) => pattern.source),
      destination: destination.description,
      interval,
      ...this.#reporter.counters,
      pending: this.#pending,
      lastRun: this.#lastRun,
      lastSuccess: this.#lastSuccess,
      nextRun: this.#nextRun,
      procCheck: this.#procCheck,
    };
  }

  async #stop(timeoutMs: number): Promise<void> {
    if (this.#state === 'failed') return;
    this.#state = 'stopping';
    clearTimeout(this.#timer);
    this.#nextRun = undefined;
    const running = this.#running;
    if (running !== undefined) {
      const timer = setTimeout(() => this.#stopping.abort(), timeoutMs).unref();
      await running;
      clearTimeout(timer);
    }
    this.#stopping.abort();
    await this.#release();
    this.#state = 'stopped';
  }

  #schedule(delay: number): void {
    if (this.#state !== 'running') return;
    this.#nextRun = this.#context.now() + delay;
    this.#timer = setTimeout(() => {
      this.#nextRun = undefined;
      this.#running = this.#run().finally(() => {
        this.#running = undefined;
        this.#schedule(this.config.interval);
      });
    }, delay).unref();
  }

  /** One run; never rejects: what fails is reported, or fails the job. */
  async #run(): Promise<void> {
    const { now } = this.#context;
    const started = now();
    let held: Held;
    try {
      held = this.#held ??= await this.#hold();
    } catch (error) {
      await this.#fail(error);
      return;
    }
    try {
      const outcome = await runCopyCycle({
        ...this.#context,
        job: this.config,
        ...held,
        watch: this.#watch,
        reporter: this.#reporter,
        signal: this.#stopping.signal,
      });
      this.#record(outcome, now() - started);
    } catch (error) {
      if (this.#stopping.signal.aborted) return;
      const failure =
        error instanceof CopyStateError
          ? error
          : new CopyJobError(this.config.name, `a run failed: ${String(error)}`, {
              cause: error,
            });
      this.#reporter.jobFailure(failure);
    }
  }

  #record(outcome: CycleOutcome, durationMs: number): void {
    this.#lastRun = this.#context.now();
    if (outcome.failed === 0) this.#lastSuccess = this.#lastRun;
    this.#pending = outcome.pending;
    this.#procCheck = outcome.procCheck ?? this.#procCheck;
    this.#context.emit('cycle', { job: this.config.name, ...outcome, durationMs });
  }

  /** Takes the lock, reads the state and journal, repairs what a crash left. */
  async #hold(): Promise<Held> {
    const { name, files } = this.config;
    await mkdir(files.stagedDir, { recursive: true });
    const lock = await UploaderLock.acquire(files.workDir);
    if (lock === undefined) {
      throw new CopyJobError(
        name,
        `another process runs a job with state file ${files.stateFile}`,
      );
    }
    let journal: PublishJournal | undefined;
    try {
      const state = await CopyState.load(name, files.stateFile);
      journal = await PublishJournal.open(files.journalDir);
      const signal = this.#stopping.signal;
      await settleCopyJob(this.config, state, journal, this.#reporter, signal);
      return { state, journal, lock };
    } catch (error) {
      await journal?.close();
      lock.release();
      throw error;
    }
  }

  /** The job cannot go on (no state, no lock): it reports once and stops. */
  async #fail(error: unknown): Promise<void> {
    if (this.#stopping.signal.aborted) return;
    this.#state = 'failed';
    const failure =
      error instanceof CopyStateError || error instanceof CopyJobError
        ? error
        : new CopyJobError(this.config.name, `cannot start: ${String(error)}`, {
            cause: error,
          });
    this.#reporter.jobFailure(failure);
    this.#stopping.abort();
    await this.#release();
  }

  async #release(): Promise<void> {
    const held = this.#held;
    this.#held = undefined;
    await held?.journal.close();
    held?.lock.release();
    try {
      await this.config.destination.close?.();
    } catch (error) {
      // Released all the same (a token not cancelled expires by itself): only reported.
      this.#reporter.relay(undefined, 'error', { error: toErrorInfo(error) });
    }
  }
}
