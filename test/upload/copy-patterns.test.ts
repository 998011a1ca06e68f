/**
 * Patterns: their base and glob, and what they match.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidOptionError } from '../../src/errors.js';
import { matchFiles, parsePattern } from '../../src/upload/copy-patterns.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const read = (value: unknown) => parsePattern(value, 'job.patterns', '/srv/app');

test('a pattern is split at its first wildcard', () => {
  assert.deepEqual(read('/var/log/nginx/*.log'), {
    source: '/var/log/nginx/*.log',
    base: '/var/log/nginx',
    glob: '*.log',
  });
  assert.deepEqual(read('/var/log/**/app.log.[0-9]'), {
    source: '/var/log/**/app.log.[0-9]',
    base: '/var/log',
    glob: '**/app.log.[0-9]',
  });
  assert.equal(read('/var/log/{a,b}/x.log').base, '/var/log');
});

test('a plain path is its directory and its name; a relative one starts at cwd', () => {
  assert.deepEqual(read('/var/log/app.log'), {
    source: '/var/log/app.log',
    base: '/var/log',
    glob: 'app.log',
  });
  assert.deepEqual(read('logs/*.log'), {
    source: 'logs/*.log',
    base: '/srv/app/logs',
    glob: '*.log',
  });
  assert.equal(read('/var/log/../tmp/*.log').base, '/var/tmp');
});

test('refuses what cannot name files, naming the option', () => {
  for (const bad of ['', 42, '/var/log/', '/var/log/*/../x.log', 'a\0b']) {
    assert.throws(
      () => read(bad),
      (error: unknown) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.equal(error.option, 'job.patterns');
        return true;
      },
    );
  }
});

test('matches files once, skipping dot files and directories', async (t) => {
  const dir = await makeTempDir(t);
  await mkdir(join(dir, 'sub', 'deeper'), { recursive: true });
  for (const name of ['a.log', '.hidden.log', 'sub/b.log', 'sub/deeper/c.log', 'x.txt']) {
    await writeFile(join(dir, name), name);
  }
  const patterns = [
    parsePattern(join(dir, '*.log'), 'p', dir),
    parsePattern(join(dir, '**', '*.log'), 'p', dir),
    parsePattern(join(dir, 'sub'), 'p', dir),
  ];

  const matched = await matchFiles(patterns);

  assert.deepEqual(
    [...matched].map(([file, pattern]) => [file.slice(dir.length + 1), pattern.glob]),
    [
      ['a.log', '*.log'],
      ['sub/b.log', '**/*.log'],
      ['sub/deeper/c.log', '**/*.log'],
    ],
  );
});

test('a trailing ** matches files whose names hold line breaks', async (t) => {
  const dir = await makeTempDir(t);
  await mkdir(join(dir, 'sub'));
  const names = ['a\nb.log', 'sub/c\rd.log', 'sub/e\u2028f.log', 'plain.log'];
  for (const name of names) await writeFile(join(dir, name), name);

  for (const glob of ['**', 'sub/**']) {
    const matched = await matchFiles([parsePattern(join(dir, glob), 'p', dir)]);
    const expected =
      glob === '**' ? names : names.filter((name) => name.startsWith('sub/'));
    assert.deepEqual(
      [...matched.keys()].map((file) => file.slice(dir.length + 1)).sort(),
      [...expected].sort(),
      glob,
    );
  }
});
