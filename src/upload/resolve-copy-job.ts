/**
 * Applies a copy job's defaults and checks every option before any I/O,
 * as `resolveOptions` does for the shipper.
 */
import { hostname } from 'node:os';
import { parseDuration } from '../duration.js';
import { describeValue, InvalidOptionError } from '../errors.js';
import { validateTimeZone } from '../segment/rotation-policy.js';
import { sanitizeHost, validateStreamName } from '../segment/segment-name.js';
import { COPY_DEFAULTS, type CopyJobOptions } from './copy-options.js';
import { parsePattern, type CopyPattern } from './copy-patterns.js';
import { copyJobFiles, type CopyJobFiles } from './copy-state-dir.js';
import type { Destination } from './destination.js';
import { resolveDestination } from './resolve-destination.js';

/** A copy job with every default applied and every value checked; times in ms. */
export interface ResolvedCopyJob {
  readonly name: string;
  readonly host: string;
  readonly patterns: readonly CopyPattern[];
  readonly destination: Destination;
  readonly interval: number;
  readonly quietPeriod: number;
  readonly retries: number;
  readonly retryDelay: number;
  readonly maxRetryDelay: number;
  readonly layout: 'preserve' | 'flatten';
  readonly compress: boolean;
  readonly verify: 'length' | 'checksum';
  readonly afterUpload: 'keep' | 'delete';
  readonly files: CopyJobFiles;
}

const OPTION_NAMES = new Set([
  ...['patterns', 'destination', 'interval', 'quietPeriod', 'retries', 'retryDelay'],
  ...['maxRetryDelay', 'layout', 'compress', 'verify', 'afterUpload', 'timeZone'],
  ...['namenodes', 'user', 'webhdfs', 'stateFile'],
]);

/**
 * Applies the defaults and checks a job's options, touching no file and
 * sending no request. Errors name the option as `job.<option>`.
 *
 * @param stateDir - where state files go by default (absolute)
 * @param cwd - what relative patterns and state files are taken from
 * @throws {@link InvalidOptionError}
 */
export function resolveCopyJob(
  name: string,
  job: CopyJobOptions,
  stateDir: string,
  cwd = process.cwd(),
): ResolvedCopyJob {
  validateStreamName(name, 'name');
  const given = record(job, 'job');
  for (const key of Object.keys(given)) {
    if (!OPTION_NAMES.has(key)) {
      throw new InvalidOptionError(
        `job.${key}`,
        `one of ${[...OPTION_NAMES].join(', ')}`,
        key,
      );
    }
  }

  const interval = positiveDuration(given.interval ?? COPY_DEFAULTS.interval, 'interval');
  const quietPeriod =
    given.quietPeriod === undefined
      ? 2 * interval
      : parseDuration(given.quietPeriod, 'job.quietPeriod');
  const timeZone = validateTimeZone(
    given.timeZone ?? COPY_DEFAULTS.timeZone,
    'job.timeZone',
  );
  const namenodes = stringList(given.namenodes ?? [], 'namenodes');
  const user = optionalString(given.user, 'user');
  const host = sanitizeHost(hostname());
  const resolved = {
    name,
    host,
    patterns: patternList(given.patterns, cwd),
    interval,
    quietPeriod,
    retries: integer(given.retries ?? COPY_DEFAULTS.retries, 'retries', 1),
    retryDelay: parseDuration(
      given.retryDelay ?? COPY_DEFAULTS.retryDelay,
      'job.retryDelay',
    ),
    maxRetryDelay: parseDuration(
      given.maxRetryDelay ?? COPY_DEFAULTS.maxRetryDelay,
      'job.maxRetryDelay',
    ),
    layout: oneOf(given.layout ?? COPY_DEFAULTS.layout, 'layout', [
      'preserve',
      'flatten',
    ]),
    compress: oneOf(given.compress ?? COPY_DEFAULTS.compress, 'compress', [
      'gzip',
      false,
    ]),
    verify: oneOf(given.verify ?? COPY_DEFAULTS.verify, 'verify', ['length', 'checksum']),
    afterUpload: oneOf(given.afterUpload ?? COPY_DEFAULTS.afterUpload, 'afterUpload', [
      'keep',
      'delete',
    ]),
    files: copyJobFiles(name, given.stateFile, stateDir, cwd),
  };
  const webhdfs = record(given.webhdfs ?? {}, 'job.webhdfs');

  // Last: a WebHDFS destination makes a client, which holds connections once used.
  const destination = resolveDestination(given.destination, {
    option: 'job.destination',
    name,
    host,
    timeZone,
    namenodes,
    ...(user === undefined ? {} : { user }),
    webhdfs,
    verify: resolved.verify,
  });
  return { ...resolved, compress: resolved.compress === 'gzip', destination };
}

function patternList(value: unknown, cwd: string): CopyPattern[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidOptionError(
      'job.patterns',
      'a glob pattern or path, or a non-empty list of them',
      value,
    );
  }
  return list.map((item: unknown, index) =>
    parsePattern(
      item,
      typeof value === 'string' ? 'job.patterns' : `job.patterns[${index}]`,
      cwd,
    ),
  );
}

function record(value: unknown, option: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(option, 'an object', value);
  }
  return value as Record<string, unknown>;
}

function positiveDuration(value: unknown, option: string): number {
  const millis = parseDuration(value, `job.${option}`);
  if (millis === 0)
    throw new InvalidOptionError(`job.${option}`, 'a duration above zero', value);
  return millis;
}

function integer(value: unknown, option: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidOptionError(
      `job.${option}`,
      `a whole number of at least ${min}`,
      value,
    );
  }
  return value;
}

function stringList(value: unknown, option: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw new InvalidOptionError(`job.${option}`, 'a list of URLs', value);
  }
  return list as string[];
}

function optionalString(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new InvalidOptionError(`job.${option}`, 'a non-empty string', value);
  }
  return value;
}

function oneOf<const T extends readonly unknown[]>(
  value: unknown,
  option: string,
  allowed: T,
): T[number] {
  if (!allowed.includes(value)) {
    const list = allowed.map((item) => describeValue(item)).join(' or ');
    throw new InvalidOptionError(`job.${option}`, list, value);
  }
  return value;
}
