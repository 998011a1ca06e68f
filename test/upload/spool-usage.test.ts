import assert from 'node:assert/strict';
import { mkdir, rm, statfs, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { formatSegmentName } from '../../src/segment/segment-name.js';
import {
  ensureSpool,
  spoolLayout,
  type SpoolLayout,
} from '../../src/segment/spool-layout.js';
import { planDrops } from '../../src/upload/disk-budget.js';
import { measureSpool } from '../../src/upload/spool-usage.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const START = Date.UTC(2026, 11, 3, 15, 19, 0);

function segment(seq: number, minutes = 0): string {
  return formatSegmentName({
    name: 'app',
    start: START + minutes * 60_000,
    host: 'web1',
    writerId: 'k3v9x2qa',
    seq,
  });
}

async function setup(t: TestContext): Promise<SpoolLayout> {
  const layout = spoolLayout(await makeTempDir(t));
  await ensureSpool(layout);
  return layout;
}

/** Files found, keyed by their path below the spool's root. */
async function measured(layout: SpoolLayout) {
  const { files } = await measureSpool(layout);
  return new Map(files.map((found) => [found.path.slice(layout.root.length + 1), found]));
}

test('finds every file of the spool with the state of the directory it lies in', async (t) => {
  const layout = await setup(t);
  await writeFile(join(layout.active, segment(4)), 'a'.repeat(4));
  await writeFile(join(layout.sealed, segment(3)), 'b'.repeat(3));
  await writeFile(join(layout.ready, segment(2)), 'c'.repeat(2));
  await writeFile(join(layout.retained, segment(1)), 'd'.repeat(1));
  await writeFile(join(layout.tmp, `${segment(3)}.gz.0123456789abcdef`), 'e'.repeat(5));
  await writeFile(join(layout.journal, 'attempt.json'), 'f'.repeat(6));
  await writeFile(join(layout.writers, 'k3v9x2qa.path'), 'g'.repeat(7));
  await writeFile(join(layout.root, 'uploader.lock'), 'h'.repeat(8));

  const files = await measured(layout);
  const summary = [...files].map(([path, found]) => [path, found.state, found.bytes]);
  assert.deepEqual(
    summary.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    [
      [`active/${segment(4)}`, 'active', 4],
      ['journal/attempt.json', 'journal', 6],
      [`ready/${segment(2)}`, 'ready', 2],
      [`retained/${segment(1)}`, 'retained', 1],
      [`sealed/${segment(3)}`, 'sealed', 3],
      [`tmp/${segment(3)}.gz.0123456789abcdef`, 'tmp', 5],
      ['uploader.lock', 'other', 8],
      ['writers/k3v9x2qa.path', 'other', 7],
    ],
  );
});

test('takes a segment start from its name and any other start from the mtime', async (t) => {
  const layout = await setup(t);
  await writeFile(join(layout.ready, segment(0, 42)), 'x\n');
  const other = join(layout.journal, 'entry');
  await writeFile(other, '{}');
  const mtime = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
  await utimes(other, mtime, mtime);

  const files = await measured(layout);
  assert.equal(files.get(`ready/${segment(0, 42)}`)?.start, START + 42 * 60_000);
  assert.equal(files.get('journal/entry')?.start, mtime.getTime());
});

test('counts files in nested directories with the state of the top one', async (t) => {
  const layout = await setup(t);
  const nested = join(layout.retained, '2026-12-03');
  await mkdir(nested);
  await writeFile(join(nested, segment(7)), 'kept\n');
  await mkdir(join(layout.root, 'extra', 'deeper'), { recursive: true });
  await writeFile(join(layout.root, 'extra', 'deeper', 'notes'), '123');

  const files = await measured(layout);
  assert.equal(files.get(`retained/2026-12-03/${segment(7)}`)?.state, 'retained');
  assert.equal(files.get('extra/deeper/notes')?.state, 'other');
  assert.equal(files.get('extra/deeper/notes')?.bytes, 3);
});

test('a missing spool directory counts as empty', async (t) => {
  const layout = await setup(t);
  await rm(layout.retained, { recursive: true });
  await rm(layout.tmp, { recursive: true });
  await writeFile(join(layout.ready, segment(0)), 'x\n');
  assert.deepEqual([...(await measured(layout)).keys()], [`ready/${segment(0)}`]);
});

test('reads the free space of the spool file system', async (t) => {
  const layout = await setup(t);
  const { freeBytes } = await measureSpool(layout);
  const { bavail, bsize } = await statfs(layout.root);
  assert.ok(Number.isSafeInteger(freeBytes) && freeBytes >= 0);
  // Other processes write meanwhile; the two readings are close, not equal.
  assert.ok(Math.abs(freeBytes - bavail * bsize) < 256 * 1024 * 1024);
});

test('its measure lets the planner drop the oldest ready segment first', async (t) => {
  const layout = await setup(t);
  await writeFile(join(layout.active, segment(3, 3)), 'a'.repeat(100));
  await writeFile(join(layout.ready, segment(2, 2)), 'b'.repeat(100));
  await writeFile(join(layout.ready, segment(1, 1)), 'c'.repeat(100));
  const { files, freeBytes } = await measureSpool(layout);
  const plan = planDrops(
    files,
    { maxSpoolBytes: 200, minFreeBytes: 0, freeBytes },
    new Set(),
  );
  assert.deepEqual(
    plan.drops.map((dropped) => dropped.path),
    [join(layout.ready, segment(1, 1))],
  );
});
