/**
 * Rotation maths, free of I/O and clocks: when a segment's period ends, and
 * whether a write must go to a new segment.
 *
 * ## Period boundaries
 *
 * A period divides the local day of a time zone into slots counted from local
 * midnight (`15m`: :00, :15, :30, :45; `1d`: midnight), or is a week starting
 * on Monday at local midnight (ISO 8601). A new period starts whenever the
 * wall clock *enters* a slot:
 *
 * - normally, at each aligned wall-clock time;
 * - when clocks go forward over aligned times (spring), at the instant of the
 *   jump: Berlin's 02:00 → 03:00 gives a `1h` boundary at 03:00 CEST and no
 *   empty period for the skipped hour; a `1d` period is one 23-hour day; in a
 *   zone whose midnight is skipped (America/Santiago), the day still starts a
 *   period, at 01:00;
 * - when clocks go back (autumn), at the instant of the jump if it lands on an
 *   aligned time or in another slot: the repeated hour is a period of its own
 *   for `1h` (02:00 CEST and 02:00 CET both start one), and each repeated
 *   quarter for `15m`, while `1d` stays one 25-hour day from midnight to
 *   midnight.
 *
 * So a segment never spans two local dates, and for periods of an hour or
 * less never two local hours: a `dt={yyyy-MM-dd}/hour={HH}` destination
 * template puts every line of a segment where its own time says. Zones with
 * 30- or 45-minute offsets (Asia/Kolkata, Asia/Kathmandu) align on their own
 * local hour, which is not a UTC hour.
 *
 * The search assumes a zone changes its offset at most once within one
 * period, which holds for every zone in the IANA database since 1970.
 */
import { IANAZone } from 'luxon';
import { parseDuration } from '../duration.js';
import { InvalidOptionError } from '../errors.js';

const SECOND = 1000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
// Epoch day 4 (1970-01-05) was a Monday; local weeks are counted from there.
const MONDAY_ORIGIN = 4 * DAY;

const PERIOD_EXPECTED =
  'a rotation period of whole seconds, at least 1s, that divides a day evenly ' +
  '(such as "1m", "5m", "15m", "1h", "6h" or "1d"), or "1w"';

/**
 * Reads a rotation period (`rotate.every`) and returns it in milliseconds.
 * Only periods that can be aligned on the clock are accepted: a whole number
 * of seconds that divides a day (`'1m'`, `'5m'`, `'15m'`, `'90m'`, `'1h'`,
 * `'6h'`, `'1d'`), or `'1w'` (weeks start on Monday). `'7m'` and `'5h'` would
 * drift against midnight and are refused, as are periods under one second.
 *
 * @throws {@link InvalidOptionError} naming `option`
 */
export function parseRotationPeriod(value: unknown, option: string): number {
  let period: number;
  try {
    period = parseDuration(value, option);
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    throw new InvalidOptionError(option, PERIOD_EXPECTED, value);
  }

  if (!isAlignable(period)) throw new InvalidOptionError(option, PERIOD_EXPECTED, value);
  return period;
}

function isAlignable(period: number): boolean {
  const dividesDay = period >= SECOND && period % SECOND === 0 && DAY % period === 0;
  return dividesDay || period === WEEK;
}

/**
 * Reads a time zone option (`rotate.timeZone`): an IANA zone name such as
 * `'Europe/Berlin'`, `'UTC'` when absent. Returns the canonical spelling
 * (`'europe/berlin'` gives `'Europe/Berlin'`). luxon's `'local'` and
 * `'system'` are refused on purpose: hosts that share one HDFS directory must
 * agree on the boundaries, whatever zone each machine is set to.
 *
 * @throws {@link InvalidOptionError} naming `option`
 */
export function validateTimeZone(value: unknown, option: string): string {
  if (value === undefined) return 'UTC';
  if (typeof value !== 'string' || !IANAZone.isValidZone(value)) {
    throw new InvalidOptionError(
      option,
      'an IANA time zone such as "UTC" or "Europe/Berlin"',
      value,
    );
  }
  return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
}

/**
 * The first period boundary strictly after `now` (epoch milliseconds), for a
 * period from {@link parseRotationPeriod} in an IANA `timeZone`. An instant
 * exactly on a boundary gets the next one. See the module comment for what
 * happens around daylight saving time changes.
 */
export function nextBoundary(now: number, period: number, timeZone: string): number {
  const zone = checkArguments(now, period, timeZone);
  const origin = period === WEEK ? MONDAY_ORIGIN : 0;

  let from = now;
  for (;;) {
    const offset = offsetAt(zone, from);
    const local = from + offset;
    const aligned = local - mod(local - origin, period) + period - offset;

    // No offset change before the aligned time: it is the answer. Otherwise
    // the wall clock jumped on the way; the jump may start a period itself.
    if (offsetAt(zone, aligned) === offset) return aligned;
    const jump = firstInstantWithout(zone, offset, from, aligned);
    if (jumpStartsPeriod(zone, jump, period, origin)) return jump;
    from = jump;
  }
}

/**
 * The start of the period that holds `now`: the last boundary at or before
 * it, so that `periodStart(b) === b` on a boundary and
 * `nextBoundary(periodStart(t)) === nextBoundary(t)` for every `t`.
 */
export function periodStart(now: number, period: number, timeZone: string): number {
  const zone = checkArguments(now, period, timeZone);
  const origin = period === WEEK ? MONDAY_ORIGIN : 0;

  let to = now;
  for (;;) {
    const offset = offsetAt(zone, to);
    const local = to + offset;
    const aligned = local - mod(local - origin, period) - offset;

    if (offsetAt(zone, aligned) === offset) return aligned;
    const jump = firstInstantWith(zone, offset, aligned, to);
    if (jumpStartsPeriod(zone, jump, period, origin)) return jump;
    to = jump - 1;
  }
}

/** What {@link shouldRotate} looks at before a write is appended. */
export interface RotationCheck {
  /** The current time, epoch milliseconds. */
  readonly now: number;
  /** The end of the open segment's period, from {@link nextBoundary}. */
  readonly nextBoundary: number;
  /** Bytes already in the open segment. */
  readonly segmentBytes: number;
  /** Bytes of the write about to be appended (whole lines). */
  readonly incomingBytes: number;
  /** `rotate.size`. */
  readonly maxBytes: number;
}

/** Why a segment is rotated. */
export type RotationReason = 'period' | 'size';

/**
 * Decides, before a write is appended, whether the open segment must be
 * sealed first and the write go to a new segment.
 *
 * - `'period'` once `now` has reached the boundary, even when the segment is
 *   empty: the write belongs to the new period, whose segment has another
 *   start time (and maybe destination). An empty segment is discarded by the
 *   caller, never sealed.
 * - `'size'` when the write would take a non-empty segment past `maxBytes`.
 *   A write is never split: one larger than `maxBytes` goes alone into a fresh
 *   segment (an empty segment never rotates for size), which the next write
 *   then rotates. A segment may fill up to exactly `maxBytes`.
 *
 * @returns the reason to rotate, or `undefined` to append to the open segment
 */
export function shouldRotate(check: RotationCheck): RotationReason | undefined {
  if (check.now >= check.nextBoundary) return 'period';
  if (
    check.segmentBytes > 0 &&
    check.segmentBytes + check.incomingBytes > check.maxBytes
  ) {
    return 'size';
  }
  return undefined;
}

/**
 * Guards the search: with a NaN offset or a period of 0 it would return
 * nonsense instead of failing. Values come from the parse functions above.
 */
function checkArguments(now: number, period: number, timeZone: string): IANAZone {
  if (!Number.isFinite(now)) throw new InvalidOptionError('now', 'a time in ms', now);
  if (!isAlignable(period))
    throw new InvalidOptionError('period', PERIOD_EXPECTED, period);
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) {
    throw new InvalidOptionError('timeZone', 'an IANA time zone', timeZone);
  }
  return zone;
}

/** The zone's UTC offset at `instant`, in milliseconds. */
function offsetAt(zone: IANAZone, instant: number): number {
  // luxon gives minutes; historic local mean times are not whole minutes.
  return Math.round(zone.offset(instant) * 60_000);
}

/**
 * Whether the offset change at `jump` starts a period: the wall clock lands
 * on an aligned time, or in another slot than the one it left.
 */
function jumpStartsPeriod(zone: IANAZone, jump: number, period: number, origin: number) {
  const before = jump - 1 + offsetAt(zone, jump - 1) - origin;
  const after = jump + offsetAt(zone, jump) - origin;
  return (
    mod(after, period) === 0 || Math.floor(before / period) !== Math.floor(after / period)
  );
}

/** The first instant in (`low`, `high`] whose offset is not `offset`; `high`'s is not. */
function firstInstantWithout(zone: IANAZone, offset: number, low: number, high: number) {
  let before = low;
  let after = high;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (offsetAt(zone, middle) === offset) before = middle;
    else after = middle;
  }
  return after;
}

/** The first instant in (`low`, `high`] from which the offset is `offset`; `low`'s is not. */
function firstInstantWith(zone: IANAZone, offset: number, low: number, high: number) {
  let before = low;
  let after = high;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (offsetAt(zone, middle) === offset) after = middle;
    else before = middle;
  }
  return after;
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
