import bytes from 'bytes';
import { InvalidOptionError } from './errors.js';

type LowerSizeUnit =
  'b' | 'kb' | 'mb' | 'gb' | 'tb' | 'pb' | 'kib' | 'mib' | 'gib' | 'tib' | 'pib';

/** A unit of a {@link SizeString}; units are read case-insensitively. */
export type SizeUnit =
  LowerSizeUnit | Uppercase<LowerSizeUnit> | 'KiB' | 'MiB' | 'GiB' | 'TiB' | 'PiB';

/**
 * A size written as a string: `'64MB'`, `'64MiB'`, `'512kb'`, `'1 GiB'`, or a
 * bare number of bytes such as `'1048576'`. Every unit is a power of 1024.
 */
export type SizeString = `${number}` | `${number}${SizeUnit}` | `${number} ${SizeUnit}`;

/**
 * A size option: a non-negative whole number of bytes or a {@link SizeString}.
 * A value of type `string` goes through {@link parseSize}, which takes
 * `unknown`.
 */
export type Size = number | SizeString;

const EXPECTED = 'a size such as "64MiB", "512KB" or a number of bytes';

// Checked before `bytes` sees the text: on its own it reads "64 apples" as 64
// and "-1MB" as a negative size, and it rounds "0.1kb" down without a word.
const SIZE_PATTERN = /^(\d+(?:\.\d+)?) ?((?:[kmgtp]i?)?b)?$/i;

/**
 * Reads a size option and returns it in bytes.
 *
 * Accepts a non-negative safe integer, or a string in the units of the `bytes`
 * package (`'64MB'`, `'1GB'`, `'512kb'`; 1024-based, as `bytes` reads them)
 * or in IEC spelling (`'64MiB'`, `'1GiB'`, `'512KiB'`), which means the same.
 * A decimal is accepted when it comes to a whole number of bytes (`'1.5KiB'`
 * is 1536; `'0.1KiB'` is refused rather than rounded).
 *
 * @param option - the option's name, for the error message
 * @throws {@link InvalidOptionError} for anything else
 */
export function parseSize(value: unknown, option: string): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new InvalidOptionError(option, EXPECTED, value);
  }

  const match = typeof value === 'string' ? SIZE_PATTERN.exec(value) : null;
  if (match === null) throw new InvalidOptionError(option, EXPECTED, value);

  // `bytes` knows "mb" but not "mib"; both are 2^20 bytes.
  const [, amount = '', written = 'b'] = match;
  const unit = written.toLowerCase().replace('i', '');
  const unitBytes = bytes.parse(`1${unit}`);
  const exact = Number(amount) * (unitBytes ?? Number.NaN);
  if (!Number.isSafeInteger(exact)) throw new InvalidOptionError(option, EXPECTED, value);

  // `bytes` floors; the check above makes sure there was nothing to floor.
  return bytes.parse(`${amount}${unit}`) ?? exact;
}

const IEC_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * Writes a size for messages and status tables with one decimal and an IEC
 * unit: `'512 B'`, `'1.5 KiB'`, `'64.0 MiB'`. The unit is chosen after
 * rounding, so 1,048,575 bytes is `'1.0 MiB'` rather than `'1024.0 KiB'`.
 */
export function formatSize(byteCount: number): string {
  if (!Number.isFinite(byteCount)) return String(byteCount);
  if (byteCount < 0) return `-${formatSize(-byteCount)}`;
  if (byteCount < 1024) return `${Math.round(byteCount)} B`;

  let scaled = byteCount;
  let unit = 0;
  do {
    scaled /= 1024;
    unit += 1;
  } while (unit < IEC_UNITS.length && Number(scaled.toFixed(1)) >= 1024);
  return `${scaled.toFixed(1)} ${IEC_UNITS[unit - 1] ?? 'PiB'}`;
}
