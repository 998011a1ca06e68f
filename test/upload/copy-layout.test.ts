/**
 * Layouts against the dev server: `preserve` keeps a file's path below its
 * pattern's base; `flatten` puts every file in one directory, and two files
 * of one name both keep their content, neither overwriting the other.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { layOut } from '../dev-hdfs/fixture.js';
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

test('flatten: a file already at the destination of the same length is kept', async (t) => {
  const { manager, logs, root, job } = await startCopyRig(t);
  // Another host's file (or a copy whose state was lost): same length, other lines.
  const theirs = lines(30, 20);
  await layOut(root, [{ file: 'logs/web/access.log', content: theirs }]);
  await mkdir(join(logs, 'web1'));
  await writeFile(join(logs, 'web1', 'access.log'), lines(10, 20));
  assert.equal(theirs.length, lines(10, 20).length);
  manager.startCopy(
    'web',
    job({ patterns: join(logs, '*', 'access.log'), layout: 'flatten' }),
  );
  const [event] = await waitForCopyEvents(manager, 'uploaded', 'the access log');

  assert.equal(event?.outcome, 'published', 'sent, not taken as already there');
  assert.match(event.path, /^\/logs\/web\/access-[0-9a-f]{8}\.log$/);
  const copies = await readCopies(root, 'web');
  assert.equal(copies.get('access.log'), theirs, 'the file already there is untouched');
  assert.equal(copies.get(event.path.slice('/logs/web/'.length)), lines(10, 20));
  assert.equal(copies.size, 2);
});
