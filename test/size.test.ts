import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeValue, InvalidOptionError } from '../src/errors.js';
import { formatSize, parseSize, type Size } from '../src/size.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

const accepted: Array<[unknown, number]> = [
  [0, 0],
  [1_048_576, MiB],
  ['0', 0],
  ['1048576', MiB],
  ['100b', 100],
  ['100B', 100],
  ['512kb', 512 * KiB],
  ['512KB', 512 * KiB],
  ['512KiB', 512 * KiB],
  ['64MB', 64 * MiB],
  ['64mb', 64 * MiB],
  ['64MiB', 64 * MiB],
  ['64 MiB', 64 * MiB],
  ['64mib', 64 * MiB],
  ['1GB', GiB],
  ['1GiB', GiB],
  ['1.5KiB', 1536],
  ['1.5GB', 1.5 * GiB],
  ['2TiB', 2 * 1024 * GiB],
  ['7PB', 7 * 1024 * 1024 * GiB],
];

for (const [value, byteCount] of accepted) {
  test(`reads ${JSON.stringify(value)} as ${byteCount} bytes`, () => {
    assert.equal(parseSize(value, 'rotate.size'), byteCount);
  });
}

const refused: unknown[] = [
  -1,
  1.5,
  Number.NaN,
  2 ** 53,
  '',
  '-1MB',
  '+1MB',
  '64 apples',
  '64M',
  '64 megabytes',
  'MB',
  '1.5',
  '1.5b',
  '0.1KiB',
  '1.1MB',
  '8PiB',
  '.5MB',
  '64  MB',
  null,
  undefined,
  {},
  64n,
];

for (const value of refused) {
  test(`refuses ${show(value)}`, () => {
    assert.throws(
      () => parseSize(value, 'maxSpoolBytes'),
      (error: unknown) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.equal(error.option, 'maxSpoolBytes');
        assert.equal(error.received, value);
        assert.match(error.message, /^option "maxSpoolBytes" must be a size such as/);
        return true;
      },
    );
  });
}

test('refuses a decimal that is not a whole number of bytes rather than round it', () => {
  assert.throws(() => parseSize('0.1KiB', 'rotate.size'), {
    message:
      'option "rotate.size" must be a size such as "64MiB", "512KB" or a number of ' +
      'bytes; received "0.1KiB"',
  });
});

test('types size strings at compile time', () => {
  const values: Size[] = [1024, '64MB', '64MiB', '512kb', '1 GiB', '100'];
  // @ts-expect-error a unit bytes does not know is a type error
  const typo: Size = '64M';
  assert.equal(values.length + [typo].length, 7);
});

const formatted: Array<[number, string]> = [
  [0, '0 B'],
  [512, '512 B'],
  [1023, '1023 B'],
  [1024, '1.0 KiB'],
  [1536, '1.5 KiB'],
  [64 * MiB, '64.0 MiB'],
  [MiB - 1, '1.0 MiB'],
  [1.25 * GiB, '1.3 GiB'],
  [3 * 1024 * GiB, '3.0 TiB'],
  [2048 * 1024 * 1024 * GiB, '2048.0 PiB'],
  [-2048, '-2.0 KiB'],
];

for (const [byteCount, text] of formatted) {
  test(`formats ${byteCount} bytes as "${text}"`, () => {
    assert.equal(formatSize(byteCount), text);
  });
}

function show(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : describeValue(value);
}
