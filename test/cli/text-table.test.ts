import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTextTable } from '../../src/cli/text-table.js';

test('aligns words left and numbers right, under an underlined header', () => {
  const table = formatTextTable(
    [
      ['job', 'files', 'note'],
      ['nginx', '12', 'ok'],
      ['app', '3', ''],
    ],
    ['left', 'right', 'left'],
  );

  assert.equal(
    table,
    ['job    files  note', '-----  -----  ----', 'nginx     12  ok', 'app        3'].join(
      '\n',
    ),
  );
});

test('draws no rule under a column without a heading', () => {
  const table = formatTextTable(
    [
      ['', 'n'],
      ['backlog', '2'],
    ],
    ['left', 'right'],
  );

  assert.equal(table, ['         n', '         -', 'backlog  2'].join('\n'));
});

test('an empty table is an empty string', () => {
  assert.equal(formatTextTable([], []), '');
});
