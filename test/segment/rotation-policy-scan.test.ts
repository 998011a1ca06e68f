/**
 * Cross-checks nextBoundary and periodStart, which work on UTC offsets, with
 * the rule they implement written a second, slower way on luxon's wall-clock
 * fields: a period starts whenever the local wall clock enters a slot (lands
 * on an aligned time, or moves to another slot, or onto another date).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DateTime } from 'luxon';
import { formatDuration } from '../../src/duration.js';
import { nextBoundary, periodStart } from '../../src/segment/rotation-policy.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Wall {
  readonly date: string;
  readonly minuteOfDay: number;
}

function wallClock(instant: number, zone: string): Wall {
  const time = DateTime.fromMillis(instant, { zone });
  return { date: time.toISODate() ?? '', minuteOfDay: time.hour * 60 + time.minute };
}

/** The wall clock at each minute from `from`, read once and shared by all periods. */
function wallClocks(zone: string, from: number, minutes: number): Wall[] {
  return Array.from({ length: minutes }, (_, minute) =>
    wallClock(from + minute * MINUTE, zone),
  );
}

/** Instants at which the wall clock did not move on by exactly one minute. */
function findJumps(walls: readonly Wall[], origin: number): number[] {
  const jumps: number[] = [];
  for (let minute = 1; minute < walls.length; minute += 1) {
    const step =
      (walls[minute]?.minuteOfDay ?? 0) - (walls[minute - 1]?.minuteOfDay ?? 0);
    if (step !== 1 && step !== -1439) jumps.push(origin + minute * MINUTE);
  }
  return jumps;
}

// Three days around each change; every change in these zones is on a whole minute.
const windows: Array<[string, string]> = [
  ['Europe/Berlin', '2026-03-28T00:00:00Z'],
  ['Europe/Berlin', '2026-10-24T00:00:00Z'],
  ['America/New_York', '2026-03-07T00:00:00Z'],
  ['America/New_York', '2026-10-31T00:00:00Z'],
  ['Australia/Lord_Howe', '2026-10-02T12:00:00Z'],
  ['Australia/Lord_Howe', '2026-04-03T12:00:00Z'],
  ['America/Santiago', '2026-09-05T00:00:00Z'],
  ['America/Santiago', '2026-04-03T00:00:00Z'],
  ['Asia/Kathmandu', '2026-12-02T00:00:00Z'],
];

for (const [zone, from] of windows) {
  // Two days of margin on each side: a 1d period may start 25 hours before.
  const origin = Date.parse(from) - 2 * DAY;
  const minutes = (7 * DAY) / MINUTE;
  let walls: Wall[] | undefined;

  for (const period of [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 2 * HOUR, DAY]) {
    const title = `agrees with the wall-clock rule for ${formatDuration(period)} in ${zone}`;
    test(`${title} from ${from}`, () => {
      walls ??= wallClocks(zone, origin, minutes);
      const jumps = findJumps(walls, origin);
      const slots = period / MINUTE;
      const slot = (wall: Wall) => `${wall.date}/${Math.floor(wall.minuteOfDay / slots)}`;
      const boundaries: number[] = [];
      for (let minute = 1; minute < minutes; minute += 1) {
        const now = walls[minute];
        const before = walls[minute - 1];
        assert.ok(now && before);
        if (now.minuteOfDay % slots === 0 || slot(now) !== slot(before)) {
          boundaries.push(origin + minute * MINUTE);
        }
      }

      // Every 7 minutes (a step no period divides, so each slot is probed at
      // different offsets), plus each boundary near a jump and the instant before.
      const probes = new Set<number>();
      for (
        let instant = origin + 2 * DAY;
        instant < origin + 5 * DAY;
        instant += 7 * MINUTE
      ) {
        probes.add(instant);
      }
      for (const boundary of boundaries) {
        if (jumps.some((jump) => Math.abs(jump - boundary) <= 3 * HOUR)) {
          probes.add(boundary - 1).add(boundary);
        }
      }

      for (const instant of probes) {
        const index = boundaries.findLastIndex((boundary) => boundary <= instant);
        const previous = boundaries[index];
        assert.equal(periodStart(instant, period, zone), previous, `start of ${instant}`);
        assert.equal(nextBoundary(instant, period, zone), boundaries[index + 1]);
      }
    });
  }
}

test('keeps every period of a day or less within one local date', () => {
  for (const [zone, from] of windows) {
    for (const period of [15 * MINUTE, HOUR, 6 * HOUR, DAY]) {
      let boundary = periodStart(Date.parse(from), period, zone);
      for (let count = 0; count < (3 * DAY) / period; count += 1) {
        const next = nextBoundary(boundary, period, zone);
        assert.ok(next > boundary);
        assert.equal(wallClock(next - 1, zone).date, wallClock(boundary, zone).date);
        boundary = next;
      }
    }
  }
});
