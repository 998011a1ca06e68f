/**
 * Copy jobs (issue 5): named background jobs that publish log files written
 * by other programs (log4j, nginx, logrotate), matched by glob patterns, once
 * they are complete, with the same guarantees as the shipper's segments.
 * Several run at once, each on its own interval; they can be started,
 * stopped and listed at run time. Nothing here keeps the process alive: a
 * daemon keeps itself alive.
 *
 * Known limits, for README: a file some process keeps open for writing (a
 * live `nginx` log) is copied only once it is rotated and closed, so
 * patterns should match rotated files; a copy logrotate makes
 * (`copytruncate`, or its `compress`) is a new file with lines already
 * copied from the original, so a pattern should match one or the other;
 * one process at a time runs a job (its lock), and its state must stay.
 */
import { EventEmitter } from 'node:events';
import { parseDuration, type Duration } from '../duration.js';
import { CopyJobError, InvalidOptionError } from '../errors.js';
import type { CopyEvents, CopyJobStatus } from './copy-events.js';
import { CopyJob } from './copy-job.js';
import type { CopyJobOptions } from './copy-options.js';
import { resolveCopyJob } from './resolve-copy-job.js';
import { defaultStateDir } from './copy-state-dir.js';

/** Options of {@link createCopyManager}. */
export interface CopyManagerOptions {
  /**
   * Where jobs keep their state files (`<name>.json`) unless a job names
   * its own `stateFile`. Use a persistent local disk: losing it makes every
   * file look new.
   * @default `$XDG_STATE_HOME/hdfs-log-transport/copy-jobs`, or
   *   `~/.local/state/hdfs-log-transport/copy-jobs`
   */
  readonly stateDir?: string;
  /** The clock (epoch ms) of quiet periods and status times; for tests. @default Date.now */
  readonly now?: () => number;
}

/** Options of {@link CopyManager.stopCopy}. */
export interface StopCopyOptions {
  /**
   * How long an upload in flight may take to finish before it is aborted
   * (its hidden temporary file stays; the next start resumes it).
   * @default '10s'
   */
  readonly timeout?: Duration;
}

const DEFAULT_STOP_TIMEOUT = '10s';

/** Runs named copy jobs; see {@link createCopyManager}. */
export class CopyManager extends EventEmitter<CopyEvents> {
  readonly #stateDir: string;
  readonly #now: () => number;
  readonly #jobs = new Map<string, CopyJob>();

  constructor(options: CopyManagerOptions = {}) {
    super();
    const { stateDir = defaultStateDir(), now = Date.now } = options;
    if (typeof stateDir !== 'string' || stateDir === '') {
      throw new InvalidOptionError('stateDir', 'a directory path', stateDir);
    }
    if (typeof now !== 'function') throw new InvalidOptionError('now', 'a function', now);
    this.#stateDir = stateDir;
    this.#now = now;
  }

  /**
   * Starts job `name`: a first run now, then one every `interval`. The
   * options are checked before anything is touched.
   *
   * @throws {@link InvalidOptionError} naming the option (`job.<option>`)
   * @throws {@link CopyJobError} when a job of that name is running or
   *   stopping, or a running job uses the same state file
   */
  startCopy(name: string, job: CopyJobOptions): void {
    if (this.#isActive(name)) {
      throw new CopyJobError(
        name,
        'is already running; stop it before starting it again',
      );
    }
    const config = resolveCopyJob(name, job, this.#stateDir);
    const sharing = [...this.#jobs.values()].find(
      (other) =>
        other.state !== 'stopped' &&
        other.state !== 'failed' &&
        other.config.files.stateFile === config.files.stateFile,
    );
    if (sharing !== undefined) {
      // Never used: it sent nothing, so it has no token to cancel.
      void config.destination.close?.();
      throw new CopyJobError(
        name,
        `its state file ${config.files.stateFile} is job "${sharing.config.name}"'s`,
      );
    }

    const runner = new CopyJob(config, { emit: this.#emitter(), now: this.#now });
    this.#jobs.set(name, runner);
    runner.start();
  }

  /**
   * Stops job `name` and resolves once it has stopped: no new run starts, a
   * run in progress gets `timeout` to end and is then aborted. A published
   * file is never left partial at its final name. Stopping a stopped or
   * failed job resolves at once.
   *
   * @throws {@link CopyJobError} for a name that was never started
   */
  async stopCopy(name: string, options: StopCopyOptions = {}): Promise<void> {
    const timeout = parseDuration(options.timeout ?? DEFAULT_STOP_TIMEOUT, 'timeout');
    const job = this.#jobs.get(name);
    if (job === undefined) throw new CopyJobError(name, 'no such job was started');
    await job.stop(timeout);
  }

  /** Stops every job, all at once, each as {@link stopCopy} does. */
  async stopAllCopies(options: StopCopyOptions = {}): Promise<void> {
    const timeout = parseDuration(options.timeout ?? DEFAULT_STOP_TIMEOUT, 'timeout');
    await Promise.all([...this.#jobs.values()].map((job) => job.stop(timeout)));
  }

  /** Every job started (stopped and failed ones too), in the order they started. */
  listCopies(): CopyJobStatus[] {
    return [...this.#jobs.values()].map((job) => job.status());
  }

  #isActive(name: string): boolean {
    const state = this.#jobs.get(name)?.state;
    return state === 'running' || state === 'stopping';
  }

  /** Emits for the jobs; `error` only while someone listens (never thrown into the app). */
  #emitter() {
    return <K extends keyof CopyEvents>(event: K, ...args: CopyEvents[K]): void => {
      if (event === 'error' && this.listenerCount('error') === 0) return;
      // EventEmitter's typings cannot follow a generic event name through a spread.
      (this.emit as (name: K, ...rest: CopyEvents[K]) => boolean)(event, ...args);
    };
  }
}

/**
 * Creates a copy manager. Jobs are started with `startCopy(name, job)`; see
 * `CopyJobOptions` for what a job does.
 */
export function createCopyManager(options: CopyManagerOptions = {}): CopyManager {
  return new CopyManager(options);
}
