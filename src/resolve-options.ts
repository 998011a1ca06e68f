import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parseDuration } from './duration.js';
import { describeValue, InvalidOptionError } from './errors.js';
import {
  DEFAULTS,
  WEBHDFS_SETTING_KEYS,
  type HdfsLogOptions,
  type WebHdfsSettings,
} from './options.js';
import { parseRotationPeriod, validateTimeZone } from './segment/rotation-policy.js';
import { sanitizeHost, validateStreamName } from './segment/segment-name.js';
import { parseSize } from './size.js';
import type { Destination } from './upload/destination.js';

/** Options with every default applied and every value checked; numbers in ms and bytes. */
export interface ResolvedOptions {
  readonly destination: string | Destination;
  readonly spoolDir: string;
  readonly name: string;
  readonly host: string;
  readonly namenodes: readonly string[];
  readonly user: string | undefined;
  readonly rotate: {
    readonly size: number;
    readonly every: number;
    readonly timeZone: string;
  };
  readonly upload: {
    readonly interval: number;
    readonly concurrency: number;
    readonly retries: number;
    readonly retryDelay: number;
    readonly maxRetryDelay: number;
    readonly onClose: boolean;
    readonly closeTimeout: number;
  };
  readonly compress: 'gzip' | false;
  readonly maxSpoolBytes: number;
  readonly minFreeBytes: number;
  /** Milliseconds to keep published segments, 0 to delete them at once. */
  readonly keepUploaded: number;
  readonly verify: 'length' | 'checksum';
  readonly buffer: { readonly size: number; readonly onFull: 'write' | 'drop' };
  readonly webhdfs: WebHdfsSettings;
}

const OPTION_NAMES = new Set([
  'destination',
  'spoolDir',
  'name',
  'namenodes',
  'user',
  'rotate',
  'upload',
  'compress',
  'maxSpoolBytes',
  'minFreeBytes',
  'keepUploaded',
  'verify',
  'buffer',
  'webhdfs',
]);

/**
 * Applies the defaults and checks every option before any I/O. Errors name
 * the option, what was expected and what was received. Unknown options are
 * refused too: a misspelt `rotate.evry` would otherwise be silently ignored.
 */
export function resolveOptions(options: HdfsLogOptions): ResolvedOptions {
  const given = record(options, 'options');
  refuseUnknown(given, OPTION_NAMES, '');
  const rotate = record(given.rotate ?? {}, 'rotate');
  refuseUnknown(rotate, new Set(['size', 'every', 'timeZone']), 'rotate.');
  const upload = record(given.upload ?? {}, 'upload');
  refuseUnknown(upload, new Set(Object.keys(DEFAULTS.upload)), 'upload.');
  const buffer = record(given.buffer ?? {}, 'buffer');
  refuseUnknown(buffer, new Set(['size', 'onFull']), 'buffer.');
  // Each setting is checked by the client; a misspelt one would be ignored.
  const webhdfs = record(given.webhdfs ?? {}, 'webhdfs');
  refuseUnknown(webhdfs, new Set(WEBHDFS_SETTING_KEYS), 'webhdfs.');

  return {
    destination: destination(given.destination),
    spoolDir: spoolDir(given.spoolDir),
    name: validateStreamName(given.name ?? DEFAULTS.name, 'name'),
    host: sanitizeHost(hostname()),
    namenodes: stringList(given.namenodes ?? [], 'namenodes'),
    user: optionalString(given.user, 'user'),
    rotate: {
      size: positiveSize(rotate.size ?? DEFAULTS.rotate.size, 'rotate.size'),
      every: parseRotationPeriod(rotate.every ?? DEFAULTS.rotate.every, 'rotate.every'),
      timeZone: validateTimeZone(
        rotate.timeZone ?? DEFAULTS.rotate.timeZone,
        'rotate.timeZone',
      ),
    },
    upload: {
      interval: positiveDuration(
        upload.interval ?? DEFAULTS.upload.interval,
        'upload.interval',
      ),
      concurrency: integer(
        upload.concurrency ?? DEFAULTS.upload.concurrency,
        'upload.concurrency',
        1,
      ),
      retries: integer(upload.retries ?? DEFAULTS.upload.retries, 'upload.retries', 1),
      retryDelay: parseDuration(
        upload.retryDelay ?? DEFAULTS.upload.retryDelay,
        'upload.retryDelay',
      ),
      maxRetryDelay: parseDuration(
        upload.maxRetryDelay ?? DEFAULTS.upload.maxRetryDelay,
        'upload.maxRetryDelay',
      ),
      onClose: boolean(upload.onClose ?? DEFAULTS.upload.onClose, 'upload.onClose'),
      closeTimeout: parseDuration(
        upload.closeTimeout ?? DEFAULTS.upload.closeTimeout,
        'upload.closeTimeout',
      ),
    },
    compress: oneOf(given.compress ?? DEFAULTS.compress, 'compress', [
      'gzip',
      false,
    ] as const),
    maxSpoolBytes: positiveSize(
      given.maxSpoolBytes ?? DEFAULTS.maxSpoolBytes,
      'maxSpoolBytes',
    ),
    minFreeBytes: parseSize(given.minFreeBytes ?? DEFAULTS.minFreeBytes, 'minFreeBytes'),
    keepUploaded: retention(given.keepUploaded ?? DEFAULTS.keepUploaded),
    verify: oneOf(given.verify ?? DEFAULTS.verify, 'verify', [
      'length',
      'checksum',
    ] as const),
    buffer: {
      size: positiveSize(buffer.size ?? DEFAULTS.buffer.size, 'buffer.size'),
      onFull: oneOf(buffer.onFull ?? DEFAULTS.buffer.onFull, 'buffer.onFull', [
        'write',
        'drop',
      ] as const),
    },
    webhdfs,
  };
}

/**
 * Refuses a top-level key that is neither an option of {@link resolveOptions}
 * nor one of `accepted`: the keys a front door takes for itself (winston's
 * `level`, `format`…), so that the error lists everything that would do.
 */
export function refuseUnknownOptions(
  options: unknown,
  accepted: readonly string[],
): void {
  refuseUnknown(record(options, 'options'), new Set([...OPTION_NAMES, ...accepted]), '');
}

function record(value: unknown, option: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(option, 'an object', value);
  }
  return value as Record<string, unknown>;
}

function refuseUnknown(
  value: Record<string, unknown>,
  known: Set<string>,
  prefix: string,
) {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      const list = [...known].map((name) => `${prefix}${name}`).join(', ');
      throw new InvalidOptionError(
        `${prefix}${key}`,
        `one of the known options (${list})`,
        key,
      );
    }
  }
}

function destination(value: unknown): string | Destination {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'object' && value !== null) return value as Destination;
  throw new InvalidOptionError(
    'destination',
    'a URL such as "webhdfs://nn1:9870/logs/{name}" or a Destination object',
    value,
  );
}

function spoolDir(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidOptionError('spoolDir', 'a directory path', value);
  }
  return isAbsolute(value) ? value : resolve(value);
}

function retention(value: unknown): number {
  if (value === false) return 0;
  try {
    return parseDuration(value, 'keepUploaded');
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    throw new InvalidOptionError(
      'keepUploaded',
      'a duration such as "7d", "12h" or a number of milliseconds, or false',
      value,
    );
  }
}

function stringList(value: unknown, option: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw new InvalidOptionError(option, 'a list of URLs', value);
  }
  return list as string[];
}

function optionalString(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new InvalidOptionError(option, 'a non-empty string', value);
  }
  return value;
}

function positiveSize(value: unknown, option: string): number {
  const size = parseSize(value, option);
  if (size === 0) throw new InvalidOptionError(option, 'a size above zero', value);
  return size;
}

function positiveDuration(value: unknown, option: string): number {
  const duration = parseDuration(value, option);
  if (duration === 0)
    throw new InvalidOptionError(option, 'a duration above zero', value);
  return duration;
}

function integer(value: unknown, option: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidOptionError(option, `a whole number of at least ${min}`, value);
  }
  return value;
}

function boolean(value: unknown, option: string): boolean {
  if (typeof value !== 'boolean')
    throw new InvalidOptionError(option, 'true or false', value);
  return value;
}

function oneOf<const T extends readonly unknown[]>(
  value: unknown,
  option: string,
  allowed: T,
) {
  if (!allowed.includes(value)) {
    const list = allowed.map((item) => describeValue(item)).join(' or ');
    throw new InvalidOptionError(option, list, value);
  }
  return value as T[number];
}
