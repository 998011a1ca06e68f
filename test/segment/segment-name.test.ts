import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidOptionError } from '../../src/errors.js';
import { findComponentProblem } from '../../src/hdfs/hdfs-path.js';
import {
  compareSegmentNames,
  formatSegmentName,
  MAX_HOST_LENGTH,
  newWriterId,
  parseSegmentName,
  sanitizeHost,
  sortSegmentNames,
  validateStreamName,
  type SegmentNameInput,
} from '../../src/segment/segment-name.js';

const START = Date.UTC(2026, 11, 3, 15, 19, 0);
const fields: SegmentNameInput = {
  name: 'app',
  start: START,
  host: 'web-1.example.com',
  writerId: 'k3v9x2qa',
  seq: 42,
};

test('formats the suggested shape with the UTC start in basic format', () => {
  assert.equal(
    formatSegmentName(fields),
    'app.20261203T151900Z.web-1.example.com.k3v9x2qa.000042.log',
  );
});

test('appends .gz to a compressed segment', () => {
  assert.equal(
    formatSegmentName({ ...fields, compressed: true }),
    'app.20261203T151900Z.web-1.example.com.k3v9x2qa.000042.log.gz',
  );
});

test('keeps the start to the second and takes a Date as well as a number', () => {
  const fromDate = formatSegmentName({ ...fields, start: new Date(START + 999) });
  assert.equal(fromDate, formatSegmentName(fields));
});

test('writes the start in UTC whatever zone the process runs in', () => {
  const name = formatSegmentName({ ...fields, start: Date.UTC(2026, 2, 29, 1, 30, 5) });
  assert.match(name, /\.20260329T013005Z\./);
});

test('parses a name back into its fields', () => {
  assert.deepEqual(
    parseSegmentName('app.20261203T151900Z.web-1.example.com.k3v9x2qa.000042.log.gz'),
    {
      name: 'app',
      start: START,
      host: 'web-1.example.com',
      writerId: 'k3v9x2qa',
      seq: 42,
      compressed: true,
    },
  );
});

const roundTrips: SegmentNameInput[] = [
  fields,
  { ...fields, compressed: true },
  { ...fields, host: 'a' },
  { ...fields, host: '000042.k3v9x2qa.log' },
  { ...fields, host: 'h.20261203T151900Z' },
  { ...fields, host: 'x'.repeat(MAX_HOST_LENGTH) },
  { ...fields, name: 'A_b-9', seq: 0 },
  { ...fields, seq: 999_999 },
  { ...fields, seq: 1_000_000 },
  { ...fields, start: 0 },
  { ...fields, start: Date.UTC(9999, 11, 31, 23, 59, 59) },
];

for (const input of roundTrips) {
  const name = formatSegmentName(input);
  test(`round-trips ${name}`, () => {
    const parsed = parseSegmentName(name);
    assert.ok(parsed);
    assert.equal(formatSegmentName(parsed), name);
    assert.equal(parsed.host, input.host);
    assert.equal(parsed.seq, input.seq);
  });
}

const notOurs = [
  '',
  'app.log',
  '.app.20261203T151900Z.web-1.k3v9x2qa.000042.log',
  '_app.20261203T151900Z.web-1.k3v9x2qa.000042.log',
  '.app.20261203T151900Z.web-1.k3v9x2qa.000042.log.3f2a.inprogress',
  'app.20261203T151900Z.web-1.k3v9x2qa.000042.log.tmp',
  'app.20261203T151900Z.web-1.k3v9x2qa.000042.txt',
  'app.20261203T151900Z..k3v9x2qa.000042.log',
  'app.20261203T151900Z.web_1.k3v9x2qa.000042.log',
  'app.20261203T151900Z..web-1.k3v9x2qa.000042.log',
  'app.20261203T151900Z.web-1..k3v9x2qa.000042.log',
  'app.20260230T151900Z.web-1.k3v9x2qa.000042.log',
  'app.20261203T240000Z.web-1.k3v9x2qa.000042.log',
  'app.20261203T151960Z.web-1.k3v9x2qa.000042.log',
  'app.2026-12-03T15:19:00Z.web-1.k3v9x2qa.000042.log',
  'app.20261203T151900Z.web-1.K3V9X2QA.000042.log',
  'app.20261203T151900Z.web-1.k3v9x2q.000042.log',
  'app.20261203T151900Z.web-1.k3v9x2qa.42.log',
  'app.20261203T151900Z.web-1.k3v9x2qa.0000042.log',
  'app.20261203T151900Z.web-1.k3v9x2qa.-00042.log',
  `app.20261203T151900Z.${'x'.repeat(MAX_HOST_LENGTH + 1)}.k3v9x2qa.000042.log`,
];

for (const fileName of notOurs) {
  test(`does not take ${JSON.stringify(fileName)} for a segment name`, () => {
    assert.equal(parseSegmentName(fileName), undefined);
  });
}

test('never starts a name with "." or "_", and makes valid HDFS components', () => {
  const longest = formatSegmentName({
    name: 'n'.repeat(64),
    start: Date.UTC(9999, 0, 1),
    host: 'h'.repeat(MAX_HOST_LENGTH),
    writerId: newWriterId(),
    seq: 999_999_999_999_999,
    compressed: true,
  });
  for (const name of [formatSegmentName(fields), longest]) {
    assert.doesNotMatch(name, /^[._]/);
    assert.doesNotMatch(name, /:/);
    assert.equal(findComponentProblem(name), undefined);
  }
  // The publish protocol adds a hidden prefix and an attempt suffix.
  assert.ok(Buffer.byteLength(`.${longest}.0123456789abcdef.inprogress`) <= 255);
});

test('sorts the names of one stream by time as plain strings', () => {
  const names = [
    formatSegmentName({ ...fields, start: Date.UTC(2026, 11, 3, 15, 20), seq: 1 }),
    formatSegmentName({ ...fields, start: Date.UTC(2026, 11, 3, 9, 0), seq: 0 }),
    formatSegmentName({ ...fields, start: Date.UTC(2027, 0, 1), seq: 2 }),
  ];
  assert.deepEqual(names.toSorted(), [names[1], names[0], names[2]]);
});

test('orders oldest first, then by stream, host, writer and sequence number', () => {
  const name = (overrides: Partial<SegmentNameInput>) =>
    formatSegmentName({ ...fields, ...overrides });
  const expected = [
    name({ start: START - 1000, name: 'zz', host: 'z' }),
    name({ name: 'api' }),
    name({ host: 'a-host' }),
    name({ writerId: '00000000' }),
    name({ seq: 9 }),
    name({ seq: 10 }),
    name({ seq: 1_000_000 }),
    name({ seq: 1_000_000, compressed: true }),
  ];
  const shuffled = [...expected].reverse();
  assert.deepEqual(sortSegmentNames([...shuffled, 'b.tmp', 'a.tmp']), [
    ...expected,
    'a.tmp',
    'b.tmp',
  ]);
  assert.deepEqual(shuffled.sort(compareSegmentNames), expected);
});

test('orders sequence numbers as numbers past six digits', () => {
  const small = formatSegmentName({ ...fields, seq: 999_999 });
  const large = formatSegmentName({ ...fields, seq: 1_000_000 });
  assert.ok(compareSegmentNames(small, large) < 0);
  assert.ok(compareSegmentNames(large, small) > 0);
});

test('sorts names that are not segment names last, and consistently', () => {
  const ours = formatSegmentName(fields);
  assert.deepEqual(['b.tmp', ours, 'a.tmp'].sort(compareSegmentNames), [
    ours,
    'a.tmp',
    'b.tmp',
  ]);
  assert.equal(compareSegmentNames(ours, ours), 0);
  assert.equal(compareSegmentNames('a.tmp', 'a.tmp'), 0);
});

test('makes writer ids of 8 lower-case letters and digits, different each time', () => {
  const ids = new Set(Array.from({ length: 1000 }, newWriterId));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[0-9a-z]{8}$/);
});

const hosts: Array<[string, string]> = [
  ['web-1', 'web-1'],
  ['Web-1.Example.COM', 'Web-1.Example.COM'],
  ['web-1.example.com.', 'web-1.example.com'],
  ['..hidden', 'hidden'],
  ['a/b\\c:d e', 'a-b-c-d-e'],
  ['../../etc', '-..-etc'],
  ['host\nname\u0000', 'host-name-'],
  ['bücher.example', 'b-cher.example'],
  ['日本', '--'],
  ['🙂host', '-host'],
  ['', 'unknown-host'],
  ['...', 'unknown-host'],
  ['a'.repeat(100), 'a'.repeat(MAX_HOST_LENGTH)],
  [`${'a'.repeat(MAX_HOST_LENGTH - 1)}.b`, 'a'.repeat(MAX_HOST_LENGTH - 1)],
];

for (const [hostname, safe] of hosts) {
  test(`sanitizes the host ${JSON.stringify(hostname)} to ${JSON.stringify(safe)}`, () => {
    assert.equal(sanitizeHost(hostname), safe);
    assert.equal(sanitizeHost(safe), safe);
    assert.ok(formatSegmentName({ ...fields, host: safe }));
  });
}

test('refuses a host that sanitizeHost would change, naming the field', () => {
  for (const host of ['a/b', '', '.a', 'a.', 'a:b', 'x'.repeat(MAX_HOST_LENGTH + 1)]) {
    assert.throws(() => formatSegmentName({ ...fields, host }), {
      name: 'InvalidOptionError',
      option: 'host',
    });
  }
});

test('refuses a writer id, sequence number or start it did not make', () => {
  const cases: Array<[Partial<SegmentNameInput>, string]> = [
    [{ writerId: 'K3V9X2QA' }, 'writerId'],
    [{ writerId: 'k3v9x2q' }, 'writerId'],
    [{ seq: -1 }, 'seq'],
    [{ seq: 1.5 }, 'seq'],
    [{ seq: 1e15 }, 'seq'],
    [{ start: Number.NaN }, 'start'],
    [{ start: new Date(Number.NaN) }, 'start'],
    [{ start: Date.UTC(10_000, 0, 1) }, 'start'],
    [{ start: Date.UTC(-1, 0, 1) }, 'start'],
  ];
  for (const [overrides, option] of cases) {
    assert.throws(() => formatSegmentName({ ...fields, ...overrides }), { option });
  }
});

test('accepts stream names of letters, digits, "_" and "-"', () => {
  for (const name of ['app', 'A', '9', 'my_app-2', 'a'.repeat(64)]) {
    assert.equal(validateStreamName(name, 'name'), name);
  }
});

test('refuses stream names that could hide a segment or break its name', () => {
  for (const name of [
    '',
    '_app',
    '-app',
    '.app',
    'my.app',
    'my app',
    'a:b',
    'a/b',
    'é',
  ]) {
    assert.throws(
      () => validateStreamName(name, 'name'),
      (error: unknown) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.equal(error.option, 'name');
        assert.match(error.message, /must be a stream name of 1 to 64 letters/);
        return true;
      },
    );
  }
  assert.throws(() => validateStreamName('a'.repeat(65), 'name'), InvalidOptionError);
  assert.throws(() => validateStreamName(42, 'name'), InvalidOptionError);
});
