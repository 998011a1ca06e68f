/**
 * The config file of `hdfs-log-transport ship`: JSON, read and checked
 * whole before any job starts, so that a mistake in the last job does not
 * leave the first ones running. Every mistake names its key, as
 * `jobs.nginx.interval`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDuration } from '../duration.js';
import { describeValue, InvalidOptionError } from '../errors.js';
import type { CopyJobOptions } from '../upload/copy-options.js';
import { defaultStateDir } from '../upload/copy-state-dir.js';
import { resolveCopyJob } from '../upload/resolve-copy-job.js';
import { CliUsageError } from './cli-error.js';

/** A config file, checked, with paths made absolute. */
export interface ShipConfig {
  /** Where jobs keep their state files. */
  readonly stateDir: string;
  /** How long a stop waits for uploads in flight, in ms. */
  readonly stopTimeout: number;
  /** Every job, in the file's order. */
  readonly jobs: readonly ShipJob[];
}

/** One job of the file. */
export interface ShipJob {
  readonly name: string;
  /** Its options, the defaults applied, for `startCopy`. */
  readonly options: CopyJobOptions;
  /** What it was checked into: milliseconds between runs… */
  readonly interval: number;
  /** …and the destination's description (never a user name or token). */
  readonly destination: string;
}

/** `stopTimeout` when the file does not say. */
export const DEFAULT_STOP_TIMEOUT = '10s';

const TOP_KEYS = ['stateDir', 'stopTimeout', 'defaults', 'jobs'];

/**
 * Reads and checks the config at `path`. Relative paths in it (`stateDir`,
 * `patterns`, `stateFile`) are taken from the file's directory, not from
 * wherever the daemon was started.
 *
 * @throws {@link CliUsageError} naming the file and the key at fault
 */
export async function readShipConfig(path: string): Promise<ShipConfig> {
  const file = resolve(path);
  const mistake = (message: string) => new CliUsageError(`--config ${path}: ${message}`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw mistake(`cannot read it (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw mistake(`not valid JSON (${(error as Error).message})`);
  }

  try {
    return checkConfig(value, dirname(file));
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    throw mistake(
      `${error.option} must be ${error.expected}; got ${describeValue(error.received)}`,
    );
  }
}

function checkConfig(value: unknown, base: string): ShipConfig {
  const config = record(value, 'the file');
  for (const key of Object.keys(config)) {
    if (!TOP_KEYS.includes(key)) {
      throw new InvalidOptionError(
        key,
        `one of the known keys (${TOP_KEYS.join(', ')})`,
        key,
      );
    }
  }
  const stateDir =
    config.stateDir === undefined
      ? defaultStateDir()
      : path(config.stateDir, 'stateDir', base);
  const stopTimeout = parseDuration(
    config.stopTimeout ?? DEFAULT_STOP_TIMEOUT,
    'stopTimeout',
  );
  const defaults = record(config.defaults ?? {}, 'defaults');
  const jobs = record(config.jobs, 'jobs');
  if (Object.keys(jobs).length === 0) {
    throw new InvalidOptionError('jobs', 'an object with at least one job', jobs);
  }

  const checked = Object.entries(jobs).map(([name, job]) => {
    const own = record(job, `jobs.${name}`);
    const options = withAbsolutePaths({ ...defaults, ...own }, base);
    return checkJob(name, options, { stateDir, base }, (key) =>
      key in own || !(key in defaults) ? `jobs.${name}` : 'defaults',
    );
  });
  return { stateDir, stopTimeout, jobs: checked };
}

/**
 * Runs the copy jobs' own checks (pure: no file, no request) and renames
 * the option they name (`job.interval`) after the key it came from.
 */
function checkJob(
  name: string,
  job: CopyJobOptions,
  dirs: { readonly stateDir: string; readonly base: string },
  ownerOf: (key: string) => string,
): ShipJob {
  try {
    const resolved = resolveCopyJob(name, job, dirs.stateDir, dirs.base);
    // Only checked, never used: no request sent, so no token to cancel.
    void resolved.destination.close?.();
    const { interval, destination } = resolved;
    return { name, options: job, interval, destination: destination.description };
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    if (error.option === 'name') {
      throw new InvalidOptionError(`jobs.${JSON.stringify(name)}`, error.expected, name);
    }
    // `job.patterns[1]` came from the job's own `patterns`, or from the defaults'.
    const option = error.option.replace(/^job\./, '');
    const key = /^[A-Za-z]+/.exec(option)?.[0] ?? option;
    throw new InvalidOptionError(
      `${ownerOf(key)}.${option}`,
      error.expected,
      error.received,
    );
  }
}

/** The job with its relative paths taken from `base`. */
function withAbsolutePaths(job: Record<string, unknown>, base: string): CopyJobOptions {
  const absolute = (item: unknown) =>
    typeof item === 'string' && item !== '' && !isAbsolute(item)
      ? resolve(base, item)
      : item;
  const { patterns, stateFile } = job;
  return {
    ...job,
    ...(patterns === undefined
      ? {}
      : {
          patterns: Array.isArray(patterns) ? patterns.map(absolute) : absolute(patterns),
        }),
    ...(stateFile === undefined ? {} : { stateFile: absolute(stateFile) }),
  } as CopyJobOptions;
}

function record(value: unknown, key: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(key, 'an object', value);
  }
  return value as Record<string, unknown>;
}

function path(value: unknown, key: string, base: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidOptionError(key, 'a directory path', value);
  }
  return resolve(base, value);
}
