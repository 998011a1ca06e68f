import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration, type Duration } from '../src/duration.js';
import { describeValue, InvalidOptionError } from '../src/errors.js';

const accepted: Array<[unknown, number]> = [
  [0, 0],
  [250, 250],
  [90_000, 90_000],
  ['90000', 90_000],
  ['250ms', 250],
  ['30s', 30_000],
  ['1.5s', 1500],
  ['5m', 300_000],
  ['5 minutes', 300_000],
  ['1h', 3_600_000],
  ['1.5h', 5_400_000],
  ['2 hours', 7_200_000],
  ['1d', 86_400_000],
  ['1w', 604_800_000],
];

for (const [value, millis] of accepted) {
  test(`reads ${JSON.stringify(value)} as ${millis} ms`, () => {
    assert.equal(parseDuration(value, 'upload.interval'), millis);
  });
}

const refused: unknown[] = [
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  '',
  ' 5m',
  '-5m',
  '1.5ms',
  '5 minutes later',
  '5mn',
  'soon',
  '1e3',
  null,
  undefined,
  true,
  {},
  ['5m'],
  300_000n,
];

for (const value of refused) {
  test(`refuses ${show(value)} with an error naming the option`, () => {
    assert.throws(
      () => parseDuration(value, 'upload.interval'),
      (error: unknown) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.equal(error.code, 'ERR_INVALID_OPTION');
        assert.equal(error.option, 'upload.interval');
        assert.equal(error.received, value);
        assert.match(
          error.message,
          /^option "upload\.interval" must be a duration such as/,
        );
        return true;
      },
    );
  });
}

test('shows the received value in the message', () => {
  assert.throws(() => parseDuration('5 minutes later', 'rotate.every'), {
    message:
      'option "rotate.every" must be a duration such as "30s", "5m" or a number of ' +
      'milliseconds; received "5 minutes later"',
  });
});

test('reads units case-insensitively, as ms does, so "5M" is five minutes', () => {
  assert.equal(parseDuration('5M', 'x'), 300_000);
  assert.equal(parseDuration('1H', 'x'), 3_600_000);
});

test('types duration strings at compile time', () => {
  const values: Duration[] = [1000, '30s', '5m', '1.5h', '2 hours', '90000', '1D'];
  // @ts-expect-error a typo in the unit is a type error
  const typo: Duration = '5mn';
  // @ts-expect-error a sentence is a type error
  const sentence: Duration = '5 minutes later';
  assert.equal(values.length + [typo, sentence].length, 9);
});

const formatted: Array<[number, string]> = [
  [0, '0ms'],
  [250, '250ms'],
  [1500, '1s500ms'],
  [30_000, '30s'],
  [90_000, '1m30s'],
  [300_000, '5m'],
  [5_400_000, '1h30m'],
  [86_400_000, '1d'],
  [90_061_001, '1d1h1m1s1ms'],
  [-5000, '-5s'],
  [0.4, '0ms'],
];

for (const [millis, text] of formatted) {
  test(`formats ${millis} ms as "${text}"`, () => {
    assert.equal(formatDuration(millis), text);
  });
}

test('formats what it cannot measure as the number itself', () => {
  assert.equal(formatDuration(Number.NaN), 'NaN');
  assert.equal(formatDuration(Number.POSITIVE_INFINITY), 'Infinity');
});

function show(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : describeValue(value);
}
