/**
 * README's table of error codes must name every code the package throws:
 * each `'ERR_…'` code given to an error class in src/errors.ts has its row.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);

test('README lists every error code of src/errors.ts in its table', async () => {
  const source = await readFile(new URL('src/errors.ts', root), 'utf8');
  const readme = await readFile(new URL('README.md', root), 'utf8');
  const codes = new Set(
    [...source.matchAll(/'(ERR_[A-Z_]+)'/g)].map((match) => match[1]),
  );
  const rows = new Set(
    [...readme.matchAll(/^\| `(ERR_[A-Z_]+)` +\|/gm)].map((match) => match[1]),
  );

  assert.ok(codes.size > 10, `${codes.size} codes found in src/errors.ts`);
  const missing = [...codes].filter((code) => !rows.has(code));
  assert.deepEqual(missing, [], 'codes without a row in README');
});
