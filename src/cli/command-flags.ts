/**
 * Reading a command's flags: every mistake becomes a {@link CliUsageError}
 * that names the flag, so the user sees one line (and the `--help` hint)
 * and exit code 2.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseDuration } from '../duration.js';
import { describeValue, InvalidOptionError } from '../errors.js';
import { CliUsageError } from './cli-error.js';

type FlagOptions = NonNullable<ParseArgsConfig['options']>;
type Strict<T extends FlagOptions> = {
  args: string[];
  options: T;
  strict: true;
  allowPositionals: false;
};
/** The flags' values, typed from their declaration. */
export type FlagValues<T extends FlagOptions> = ReturnType<
  typeof parseArgs<Strict<T>>
>['values'];

/** `parseArgs`, strict and without positionals, its errors as usage errors. */
export function parseFlags<const T extends FlagOptions>(
  args: string[],
  options: T,
): FlagValues<T> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

/** The value of a flag the command cannot do without. */
export function requireFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new CliUsageError(`${flag} is required`);
  return value;
}

/** A duration flag (`30s`, `5m`, milliseconds) above zero, in milliseconds. */
export function parseDurationFlag(text: string, flag: string): number {
  let millis = 0;
  try {
    millis = parseDuration(text, flag);
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
  }
  if (millis > 0) return millis;
  throw new CliUsageError(
    `${flag} must be a duration above zero such as "30s" or "5m"; got "${text}"`,
  );
}

/** A whole number flag of at least `min`. */
export function parseCountFlag(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (/^\d+$/.test(text) && Number.isSafeInteger(value) && value >= min) return value;
  throw new CliUsageError(
    `${flag} must be a whole number of at least ${min}; got "${text}"`,
  );
}

/**
 * An option the library refused, told in terms of the flag that set it:
 * `--destination must be a URL such as …; got "hdfs://nn1/logs"`.
 *
 * @param flagOf - the flag (or file and key) that set an option
 */
export function toUsageError(
  error: InvalidOptionError,
  flagOf: (option: string) => string,
): CliUsageError {
  return new CliUsageError(
    `${flagOf(error.option)} must be ${error.expected}; got ${describeValue(error.received)}`,
  );
}

/** The JSON object in the file a flag names; any problem is the user's to fix. */
export async function readJsonFlag(path: string, flag: string): Promise<object> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`${flag} ${path}: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliUsageError(`${flag} ${path}: must hold a JSON object`);
  }
  return value;
}
