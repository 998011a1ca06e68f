import ms from 'ms';
import { InvalidOptionError } from './errors.js';

/** Every unit spelling the `ms` package understands, in lower case. */
type LowerDurationUnit =
  | 'ms'
  | 'msec'
  | 'msecs'
  | 'millisecond'
  | 'milliseconds'
  | 's'
  | 'sec'
  | 'secs'
  | 'second'
  | 'seconds'
  | 'm'
  | 'min'
  | 'mins'
  | 'minute'
  | 'minutes'
  | 'h'
  | 'hr'
  | 'hrs'
  | 'hour'
  | 'hours'
  | 'd'
  | 'day'
  | 'days'
  | 'w'
  | 'week'
  | 'weeks'
  | 'y'
  | 'yr'
  | 'yrs'
  | 'year'
  | 'years';

/** A unit of a {@link Duration} string; `ms` reads units case-insensitively. */
export type DurationUnit =
  LowerDurationUnit | Uppercase<LowerDurationUnit> | Capitalize<LowerDurationUnit>;

/**
 * A duration written as a string: `'30s'`, `'5m'`, `'1.5h'`, `'2 hours'`, or
 * a bare number of milliseconds such as `'90000'`.
 *
 * The type is defined here rather than taken from `@types/ms` so that users of
 * this package do not need that development dependency. It still admits
 * strings that fail at run time (`'-5m'`: a template type cannot say "not
 * negative"); {@link parseDuration} is the real check.
 */
export type DurationString =
  `${number}` | `${number}${DurationUnit}` | `${number} ${DurationUnit}`;

/**
 * A duration option: a non-negative whole number of milliseconds, or a
 * {@link DurationString}. A value of type `string` (read from an environment
 * variable or a JSON file) does not fit; pass it to {@link parseDuration},
 * which takes `unknown`, or assert its type after checking it.
 */
export type Duration = number | DurationString;

const EXPECTED = 'a duration such as "30s", "5m" or a number of milliseconds';

/**
 * Reads a duration option and returns it in milliseconds.
 *
 * Accepts a non-negative safe integer (milliseconds) or a string the `ms`
 * package parses (`'5m'`, `'30s'`, `'1h'`, `'1d'`, `'1.5h'`, `'90000'`).
 * Note that `ms` is case-insensitive, so `'5M'` is five minutes, not months.
 * The result must be a whole number of milliseconds: `'1.5ms'` is refused.
 *
 * @param option - the option's name, for the error message
 * @throws {@link InvalidOptionError} for anything else (negative, NaN, `''`,
 *   `'5 minutes later'`, objects)
 */
export function parseDuration(value: unknown, option: string): number {
  let millis: number | undefined;
  if (typeof value === 'number') {
    millis = value;
  } else if (typeof value === 'string' && value !== '') {
    // ms() returns undefined for text it cannot read, whatever its typings
    // say; `millis` is declared to hold that.
    millis = ms(value as ms.StringValue);
  }

  if (millis === undefined || !Number.isSafeInteger(millis) || millis < 0) {
    throw new InvalidOptionError(option, EXPECTED, value);
  }
  return millis;
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/**
 * Writes a duration for messages and status tables, largest unit first and
 * without zero parts: `'5m'`, `'1h30m'`, `'250ms'`, `'0ms'`. Fractions of a
 * millisecond are rounded. The output is for people; it is not always
 * readable back by {@link parseDuration} (`'1h30m'` is not).
 */
export function formatDuration(millis: number): string {
  if (!Number.isFinite(millis)) return String(millis);
  if (millis < 0) return `-${formatDuration(-millis)}`;

  let rest = Math.round(millis);
  let text = '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text === '' ? '0ms' : text;
}
