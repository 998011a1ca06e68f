import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration } from '../../src/duration.js';
import { InvalidOptionError } from '../../src/errors.js';
import {
  nextBoundary,
  parseRotationPeriod,
  periodStart,
  shouldRotate,
  validateTimeZone,
  type RotationCheck,
} from '../../src/segment/rotation-policy.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** An instant written with its offset, so a repeated local hour is unambiguous. */
const at = (iso: string): number => {
  const millis = Date.parse(iso);
  assert.ok(!Number.isNaN(millis), iso);
  return millis;
};

const periods: Array<[unknown, number]> = [
  ['1s', 1000],
  ['30s', 30_000],
  ['1m', MINUTE],
  ['5m', 5 * MINUTE],
  ['15m', 15 * MINUTE],
  ['90m', 90 * MINUTE],
  ['1h', HOUR],
  ['6h', 6 * HOUR],
  ['1d', DAY],
  ['24h', DAY],
  ['1w', 7 * DAY],
  [300_000, 5 * MINUTE],
];

for (const [value, period] of periods) {
  test(`accepts the rotation period ${JSON.stringify(value)}`, () => {
    assert.equal(parseRotationPeriod(value, 'rotate.every'), period);
  });
}

for (const value of [
  '7m',
  '5h',
  '2d',
  '1500ms',
  '500ms',
  '0',
  0,
  '-5m',
  'hourly',
  null,
]) {
  test(`refuses the rotation period ${JSON.stringify(value)} naming the rule`, () => {
    assert.throws(
      () => parseRotationPeriod(value, 'rotate.every'),
      (error: unknown) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.equal(error.option, 'rotate.every');
        assert.match(error.message, /divides a day evenly/);
        return true;
      },
    );
  });
}

test('defaults the time zone to UTC and returns the canonical spelling', () => {
  assert.equal(validateTimeZone(undefined, 'rotate.timeZone'), 'UTC');
  assert.equal(validateTimeZone('Europe/Berlin', 'rotate.timeZone'), 'Europe/Berlin');
  assert.equal(validateTimeZone('europe/berlin', 'rotate.timeZone'), 'Europe/Berlin');
});

test('refuses a time zone that is not an IANA zone, naming the option', () => {
  for (const value of ['', 'local', 'system', 'Mars/Olympus', '+01:00', 60, null]) {
    assert.throws(() => validateTimeZone(value, 'rotate.timeZone'), {
      name: 'InvalidOptionError',
      option: 'rotate.timeZone',
    });
  }
});

// [zone, period, now, expected next boundary]; every row also checks that
// periodStart(next) is next and that the period holding `now` starts before it.
type Row = [string, number, string, string];

const utc: Row[] = [
  ['UTC', MINUTE, '2026-12-03T15:19:30Z', '2026-12-03T15:20:00Z'],
  ['UTC', 5 * MINUTE, '2026-12-03T15:19:00Z', '2026-12-03T15:20:00Z'],
  ['UTC', HOUR, '2026-12-03T15:19:00Z', '2026-12-03T16:00:00Z'],
  ['UTC', DAY, '2026-12-03T15:19:00Z', '2026-12-04T00:00:00Z'],
  ['UTC', 7 * DAY, '2026-12-03T15:19:00Z', '2026-12-07T00:00:00Z'],
  ['UTC', DAY, '2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00Z'],
];

const zones: Row[] = [
  ['Europe/Berlin', DAY, '2026-12-03T15:19:00Z', '2026-12-04T00:00:00+01:00'],
  ['Europe/Berlin', DAY, '2026-07-01T23:30:00+02:00', '2026-07-02T00:00:00+02:00'],
  ['America/Los_Angeles', DAY, '2026-07-01T05:00:00Z', '2026-07-01T00:00:00-07:00'],
  ['Asia/Tokyo', DAY, '2026-12-03T15:19:00Z', '2026-12-05T00:00:00+09:00'],
  ['Europe/Berlin', HOUR, '2026-12-03T15:19:00Z', '2026-12-03T17:00:00+01:00'],
  ['Europe/Berlin', 7 * DAY, '2026-12-03T15:19:00Z', '2026-12-07T00:00:00+01:00'],
  ['Asia/Kolkata', HOUR, '2026-12-03T20:49:00+05:30', '2026-12-03T21:00:00+05:30'],
  ['Asia/Kolkata', DAY, '2026-12-03T20:49:00+05:30', '2026-12-04T00:00:00+05:30'],
  ['Asia/Kathmandu', HOUR, '2026-12-03T21:04:00+05:45', '2026-12-03T22:00:00+05:45'],
  [
    'Asia/Kathmandu',
    15 * MINUTE,
    '2026-12-03T21:04:00+05:45',
    '2026-12-03T21:15:00+05:45',
  ],
  ['Asia/Kathmandu', DAY, '2026-12-03T21:04:00+05:45', '2026-12-04T00:00:00+05:45'],
  ['Australia/Adelaide', HOUR, '2026-12-03T10:10:00+10:30', '2026-12-03T11:00:00+10:30'],
];

const dst: Row[] = [
  // Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST.
  ['Europe/Berlin', HOUR, '2026-03-29T01:30:00+01:00', '2026-03-29T03:00:00+02:00'],
  [
    'Europe/Berlin',
    15 * MINUTE,
    '2026-03-29T01:50:00+01:00',
    '2026-03-29T03:00:00+02:00',
  ],
  ['Europe/Berlin', 5 * MINUTE, '2026-03-29T01:57:00+01:00', '2026-03-29T03:00:00+02:00'],
  ['Europe/Berlin', 2 * HOUR, '2026-03-29T01:00:00+01:00', '2026-03-29T03:00:00+02:00'],
  ['Europe/Berlin', DAY, '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00'],
  ['Europe/Berlin', 7 * DAY, '2026-03-29T12:00:00+02:00', '2026-03-30T00:00:00+02:00'],
  // Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET.
  ['Europe/Berlin', HOUR, '2026-10-25T02:30:00+02:00', '2026-10-25T02:00:00+01:00'],
  ['Europe/Berlin', HOUR, '2026-10-25T02:00:00+01:00', '2026-10-25T03:00:00+01:00'],
  [
    'Europe/Berlin',
    15 * MINUTE,
    '2026-10-25T02:50:00+02:00',
    '2026-10-25T02:00:00+01:00',
  ],
  ['Europe/Berlin', 5 * MINUTE, '2026-10-25T02:57:00+02:00', '2026-10-25T02:00:00+01:00'],
  ['Europe/Berlin', MINUTE, '2026-10-25T02:59:30+02:00', '2026-10-25T02:00:00+01:00'],
  ['Europe/Berlin', DAY, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00'],
  // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT.
  ['America/New_York', HOUR, '2026-03-08T01:30:00-05:00', '2026-03-08T03:00:00-04:00'],
  ['America/New_York', DAY, '2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00'],
  // New York, 1 November 2026: 02:00 EDT becomes 01:00 EST.
  ['America/New_York', HOUR, '2026-11-01T01:30:00-04:00', '2026-11-01T01:00:00-05:00'],
  ['America/New_York', HOUR, '2026-11-01T01:00:00-05:00', '2026-11-01T02:00:00-05:00'],
  [
    'America/New_York',
    15 * MINUTE,
    '2026-11-01T01:45:00-04:00',
    '2026-11-01T01:00:00-05:00',
  ],
  ['America/New_York', DAY, '2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00'],
  // Lord Howe moves by 30 minutes: 02:00 becomes 02:30, and 02:00 becomes 01:30.
  ['Australia/Lord_Howe', HOUR, '2026-10-04T01:30:00+10:30', '2026-10-04T02:30:00+11:00'],
  ['Australia/Lord_Howe', HOUR, '2026-10-04T02:30:00+11:00', '2026-10-04T03:00:00+11:00'],
  ['Australia/Lord_Howe', HOUR, '2026-04-05T01:40:00+11:00', '2026-04-05T02:00:00+10:30'],
  [
    'Australia/Lord_Howe',
    30 * MINUTE,
    '2026-04-05T01:40:00+11:00',
    '2026-04-05T01:30:00+10:30',
  ],
  // Santiago skips midnight in September and repeats 23:00 in April.
  ['America/Santiago', DAY, '2026-09-05T00:00:00-04:00', '2026-09-06T01:00:00-03:00'],
  ['America/Santiago', DAY, '2026-09-06T01:00:00-03:00', '2026-09-07T00:00:00-03:00'],
  ['America/Santiago', DAY, '2026-04-04T00:00:00-03:00', '2026-04-05T00:00:00-04:00'],
];

for (const [zone, period, now, next] of [...utc, ...zones, ...dst]) {
  test(`puts the ${formatDuration(period)} boundary after ${now} in ${zone} at ${next}`, () => {
    assert.equal(new Date(nextBoundary(at(now), period, zone)).toISOString(), iso(next));
    assert.equal(periodStart(at(next), period, zone), at(next));
    assert.ok(periodStart(at(now), period, zone) <= at(now));
    assert.equal(
      nextBoundary(periodStart(at(now), period, zone), period, zone),
      at(next),
    );
  });
}

test('gives the next boundary, not the same one, for an instant exactly on it', () => {
  const boundary = at('2026-12-03T15:00:00Z');
  assert.equal(nextBoundary(boundary, HOUR, 'UTC'), boundary + HOUR);
  assert.equal(periodStart(boundary, HOUR, 'UTC'), boundary);
  assert.equal(periodStart(boundary - 1, HOUR, 'UTC'), boundary - HOUR);
});

test('makes the repeated autumn hour a period of its own for 1h', () => {
  const first = at('2026-10-25T02:00:00+02:00');
  const second = at('2026-10-25T02:00:00+01:00');
  assert.equal(periodStart(first + 30 * MINUTE, HOUR, 'Europe/Berlin'), first);
  assert.equal(periodStart(second + 30 * MINUTE, HOUR, 'Europe/Berlin'), second);
  assert.equal(nextBoundary(first, HOUR, 'Europe/Berlin'), second);
});

test('makes the spring and autumn days 23 and 25 hours long for 1d', () => {
  const length = (day: string, zone: string) => {
    const start = periodStart(at(day), DAY, zone);
    return (nextBoundary(start, DAY, zone) - start) / HOUR;
  };
  assert.equal(length('2026-03-29T12:00:00+02:00', 'Europe/Berlin'), 23);
  assert.equal(length('2026-10-25T12:00:00+01:00', 'Europe/Berlin'), 25);
  assert.equal(length('2026-03-08T12:00:00-04:00', 'America/New_York'), 23);
  assert.equal(length('2026-11-01T12:00:00-05:00', 'America/New_York'), 25);
});

const base: RotationCheck = {
  now: 1000,
  nextBoundary: 2000,
  segmentBytes: 100,
  incomingBytes: 10,
  maxBytes: 1000,
};

const decisions: Array<[string, Partial<RotationCheck>, 'period' | 'size' | undefined]> =
  [
    ['appends while the segment has room', {}, undefined],
    ['fills a segment up to exactly maxBytes', { segmentBytes: 990 }, undefined],
    ['rotates for size when a write would pass maxBytes', { segmentBytes: 991 }, 'size'],
    ['rotates for the period once now reaches the boundary', { now: 2000 }, 'period'],
    ['rotates for the period after a stalled event loop', { now: 9000 }, 'period'],
    ['reports the period before the size', { now: 2000, segmentBytes: 991 }, 'period'],
    [
      'reports the period for an empty segment too',
      { now: 2000, segmentBytes: 0 },
      'period',
    ],
    [
      'puts a write larger than maxBytes alone into an empty segment',
      { segmentBytes: 0, incomingBytes: 5000 },
      undefined,
    ],
    [
      'rotates a segment holding one oversized write on the next write',
      { segmentBytes: 5000, incomingBytes: 1 },
      'size',
    ],
    [
      'rotates before an oversized write rather than split it',
      { segmentBytes: 1, incomingBytes: 5000 },
      'size',
    ],
  ];

for (const [behaviour, overrides, expected] of decisions) {
  test(`shouldRotate ${behaviour}`, () => {
    assert.equal(shouldRotate({ ...base, ...overrides }), expected);
  });
}

function iso(text: string): string {
  return new Date(at(text)).toISOString();
}

test('refuses to compute a boundary from a period or zone it cannot align', () => {
  const now = Date.UTC(2026, 11, 3);
  for (const compute of [nextBoundary, periodStart]) {
    assert.throws(() => compute(now, 7 * MINUTE, 'UTC'), { option: 'period' });
    assert.throws(() => compute(now, 0, 'UTC'), { option: 'period' });
    assert.throws(() => compute(now, HOUR, 'Mars/Olympus'), { option: 'timeZone' });
    assert.throws(() => compute(Number.NaN, HOUR, 'UTC'), { option: 'now' });
  }
});
