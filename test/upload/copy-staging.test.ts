/**
 * A snapshot is exactly the version the scan judged complete: a file that
 * changed after the scan, or while it was being copied, gives no snapshot
 * (and leaves no partial one behind); the next run looks at it again.
 */
import assert from 'node:assert/strict';
import { appendFileSync, statSync } from 'node:fs';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFileVersion } from '../../src/upload/copy-identity.js';
import { stageSnapshot } from '../../src/upload/copy-staging.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { lines } from './copy-rig.js';

const options = { compress: false, signal: new AbortController().signal };

/**
 * Appends a line to `source` as soon as `target` has its first bytes, and
 * while it has less than half of `size`. The copy moves on only through
 * callbacks of this event loop, a chunk (64 KiB) or two per turn, so a
 * copy of megabytes cannot end between the look and the append: the
 * append comes after the snapshot's first stat and before its last.
 */
async function appendDuringCopy(source: string, target: string, size: number) {
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    let copied: number;
    try {
      copied = statSync(target).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (copied === 0) continue;
    assert.ok(
      copied < size / 2,
      `the copy was caught only at ${copied} of ${size} bytes`,
    );
    appendFileSync(source, 'a late line\n');
    return;
  }
}

test('a file appended to while it is being copied gives no snapshot', async (t) => {
  const dir = await makeTempDir(t);
  const source = join(dir, 'app.log');
  const target = join(dir, 'snapshot');
  await writeFile(source, lines(0, 400_000));
  const { version } =
    (await readFileVersion(source, undefined)) ?? assert.fail('not a regular file');

  const appended = appendDuringCopy(source, target, version.size);
  const result = await stageSnapshot(source, version, target, options);
  await appended;

  assert.deepEqual(result, {
    staged: false,
    why: 'it changed while it was being copied',
  });
  await assert.rejects(stat(target), { code: 'ENOENT' }, 'the partial snapshot is gone');
});

test('a file appended to after the scan gives no snapshot', async (t) => {
  const dir = await makeTempDir(t);
  const source = join(dir, 'app.log');
  const target = join(dir, 'snapshot');
  await writeFile(source, lines(0, 10));
  const { version } =
    (await readFileVersion(source, undefined)) ?? assert.fail('not a regular file');
  await appendFile(source, lines(10, 1));

  const result = await stageSnapshot(source, version, target, options);

  assert.deepEqual(result, {
    staged: false,
    why: 'it changed after it was found complete',
  });
  await assert.rejects(stat(target), { code: 'ENOENT' });
});

test('an unchanged file is snapshotted whole', async (t) => {
  const dir = await makeTempDir(t);
  const source = join(dir, 'app.log');
  const target = join(dir, 'snapshot');
  await writeFile(source, lines(0, 400_000));
  const { version } =
    (await readFileVersion(source, undefined)) ?? assert.fail('not a regular file');

  const result = await stageSnapshot(source, version, target, options);

  assert.deepEqual(result, { staged: true, bytes: version.size });
  assert.equal(await readFile(target, 'utf8'), lines(0, 400_000));
});
