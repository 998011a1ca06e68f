import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frameLine } from '../../src/segment/line-framing.js';

const framed: Array<[string, string, string]> = [
  ['ends a record with a single newline', 'hello', 'hello\n'],
  ['frames an empty record as an empty line', '', '\n'],
  ['escapes a newline inside a record', 'a\nb', 'a\\nb\n'],
  ['escapes a carriage return inside a record', 'a\rb', 'a\\rb\n'],
  ['escapes a CRLF pair as both characters', 'a\r\nb', 'a\\r\\nb\n'],
  ['escapes a trailing newline rather than dropping it', 'a\n', 'a\\n\n'],
  [
    'escapes every line break of a stack trace',
    'E\n  at f\n  at g',
    'E\\n  at f\\n  at g\n',
  ],
  [
    'leaves other control characters and separators alone',
    'a\tb\u2028c',
    'a\tb\u2028c\n',
  ],
  ['leaves non-ASCII text alone', 'Grüße 日本 🙂', 'Grüße 日本 🙂\n'],
];

for (const [behaviour, text, line] of framed) {
  test(behaviour, () => {
    assert.equal(frameLine(text), line);
  });
}

test('writes a JSON record byte for byte, its own escapes included', () => {
  const record = JSON.stringify({ msg: 'two\nlines', path: 'C:\\logs', quote: '"' });
  assert.equal(frameLine(record), `${record}\n`);
  assert.deepEqual(JSON.parse(frameLine(record)), JSON.parse(record));
});

test('makes a record that contains newlines exactly one line', () => {
  const records = ['first', 'multi\nline\r\nrecord\r', '', 'last\n\n'];
  const segment = records.map(frameLine).join('');
  assert.equal(segment.split('\n').length - 1, records.length);
  assert.ok(!segment.includes('\r'));
  assert.deepEqual(segment.split('\n').slice(0, -1), [
    'first',
    'multi\\nline\\r\\nrecord\\r',
    '',
    'last\\n\\n',
  ]);
});
