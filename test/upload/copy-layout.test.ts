/**
 * Layouts against the dev server: `preserve` keeps a file's path below its
 * pattern's base; `flatten` puts every file in one directory, and two files
 * of one name both keep their content, neither overwriting the other.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lines, readCopies, startCopyRig, waitForCopyEvents } from './copy-rig.js';

test('preserve: a file keeps its path below the base of its pattern', async (t) => {
  const { manager, logs, root, job } = await startCopyRig(t);
  await mkdir(join(logs, 'nginx', 'site-a'), { recursive: true });
  await writeFile(join(logs, 'nginx', 'site-a', 'access.log'), lines(0, 5));
  await writeFile(join(logs, 'nginx', 'error.log'), lines(0, 2, 'error'));
  manager.startCopy('web', job({ patterns: join(logs, 'nginx', '**', '*.log') }));
  await waitForCopyEvents(manager, 'uploaded', 'both logs', { count: 2 });

  assert.deepEqual(
    [...(await readCopies(root, 'web'))],
    [
      ['error.log', lines(0, 2, 'error')],
      [join('site-a', 'access.log'), lines(0, 5)],
    ],
  );
});

test('flatten: files of one name from two directories are both kept', async (t) => {
  const { manager, logs, root, job } = await startCopyRig(t);
  for (const [dir, from] of [
    ['web1', 0],
    ['web2', 100],
  ] as const) {
    await mkdir(join(logs, dir));
    await writeFile(join(logs, dir, 'access.log'), lines(from, 20));
  }
  manager.startCopy(
    'web',
    job({ patterns: join(logs, '*', 'access.log'), layout: 'flatten' }),
  );
  await waitForCopyEvents(manager, 'uploaded', 'both access logs', { count: 2 });

  const copies = await readCopies(root, 'web');
  const names = [...copies.keys()];
  assert.equal(names.length, 2);
  assert.ok(names.includes('access.log'));
  assert.match(
    names.find((name) => name !== 'access.log') ?? '',
    /^access-[0-9a-f]{8}\.log$/,
  );
  assert.deepEqual(
    [...copies.values()].sort(),
    [lines(0, 20), lines(100, 20)].sort(),
    'each file whole, neither overwritten',
  );
});
