import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatSegmentName } from '../../src/segment/segment-name.js';
import { ensureSpool, spoolLayout } from '../../src/segment/spool-layout.js';
import {
  NO_STATS,
  readSpoolStats,
  recordDrops,
  spoolStatsPath,
} from '../../src/upload/spool-stats.js';
import { Uploader } from '../../src/upload/uploader.js';
import { MemoryDestination } from '../helpers/memory-destination.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const drop = (bytes: number) => ({ segment: 'x', bytes, reason: 'disk-budget' as const });

test('a spool without stats.json has dropped nothing', async (t) => {
  const spool = await makeTempDir(t);

  assert.deepEqual(await readSpoolStats(spool), NO_STATS);
});

test('drops add up across calls, with the time of the last one', async (t) => {
  const spool = await makeTempDir(t);

  await recordDrops(spool, [drop(100), drop(50)], 1000);
  await recordDrops(spool, [drop(7)], 2000);

  assert.deepEqual(await readSpoolStats(spool), {
    droppedSegments: 3,
    droppedBytes: 157,
    lastDropAt: 2000,
  });
  assert.deepEqual(await readdir(spool), ['stats.json'], 'no temporary file is left');
});

test('nothing dropped writes nothing', async (t) => {
  const spool = await makeTempDir(t);

  const written = await recordDrops(spool, [], 1000);

  assert.equal(written, undefined);
  assert.deepEqual(await readdir(spool), []);
});

test('lines dropped by a writer are not counted as dropped segments', async (t) => {
  const spool = await makeTempDir(t);

  await recordDrops(spool, [{ bytes: 10, lines: 1, reason: 'buffer-full' }], 1000);

  assert.deepEqual(await readdir(spool), []);
});

test('a stats.json that is not ours is refused on read and replaced on write', async (t) => {
  const spool = await makeTempDir(t);
  await writeFile(spoolStatsPath(spool), '{"droppedSegments": -1');

  await assert.rejects(readSpoolStats(spool), /is not a stats file of this package/);
  await recordDrops(spool, [drop(10)], 5);

  assert.deepEqual(await readSpoolStats(spool), {
    droppedSegments: 1,
    droppedBytes: 10,
    lastDropAt: 5,
  });
});

test('the uploader counts the segments its disk budget drops in stats.json', async (t) => {
  const spool = await makeTempDir(t);
  const layout = spoolLayout(spool);
  await ensureSpool(layout);
  const names = [0, 1, 2].map((seq) =>
    formatSegmentName({
      name: 'app',
      start: Date.UTC(2026, 0, 1, 0, seq),
      host: 'web-1',
      writerId: 'abcdefgh',
      seq,
    }),
  );
  for (const name of names)
    await writeFile(join(layout.ready, name), 'x'.repeat(999) + '\n');
  const uploader = new Uploader({
    layout,
    destination: new MemoryDestination(),
    interval: 60_000,
    concurrency: 1,
    retries: 1,
    retryDelay: 0,
    maxRetryDelay: 0,
    verify: 'length',
    keepUploaded: 0,
    // The journal's few bytes and two segments fit; the third must go.
    maxSpoolBytes: 2500,
    minFreeBytes: 0,
    compress: false,
    now: () => 42_000,
  });
  t.after(() => uploader.stop());

  const summary = await uploader.runCycle();

  assert.equal(summary.published, 2);
  assert.deepEqual(await readSpoolStats(spool), {
    droppedSegments: 1,
    droppedBytes: 1000,
    lastDropAt: 42_000,
  });
  assert.match(await readFile(spoolStatsPath(spool), 'utf8'), /^\{.*\}\n$/);
});
