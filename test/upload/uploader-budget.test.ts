import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { WriterAnnouncement } from '../../src/segment/writer-liveness.js';
import type { DroppedEvent } from '../../src/upload/uploader-events.js';
import { segmentName, setupUploader } from './uploader-rig.js';

test('a budget that cannot be met is reported once and shown in status', async (t) => {
  const { layout, uploader, errors } = await setupUploader(t, { maxSpoolBytes: 1000 });
  // A live writer's open segment: it counts, and it can never be dropped.
  const writer = WriterAnnouncement.announce(layout.writers, 'k3v9x2qa');
  t.after(() => writer.withdraw());
  const open = join(layout.active, segmentName(1));
  await writeFile(open, 'x'.repeat(2000));

  await uploader.runCycle();
  await uploader.runCycle();
  const during = uploader.status.overBudget;
  await rm(open);
  await uploader.runCycle();

  assert.deepEqual(
    errors.map((event) => event.error.code),
    ['ERR_SPOOL_BUDGET'],
    'reported once, when it started',
  );
  assert.match(
    errors[0]?.error.message ?? '',
    /holds 2\.0 KiB, above maxSpoolBytes 1000 B/,
  );
  assert.equal(during, true);
  assert.equal(uploader.status.overBudget, false, 'cleared once the spool fits');
});

test('a retained copy dropped for the budget is reported and counted, not as a loss', async (t) => {
  const { uploader, seal } = await setupUploader(t, {
    keepUploaded: 3_600_000,
    maxSpoolBytes: 15_000,
  });
  const dropped: DroppedEvent[] = [];
  uploader.on('dropped', (event) => dropped.push(event));
  const first = await seal(1, 'x'.repeat(9_999) + '\n');
  await uploader.runCycle();

  await seal(2, 'y'.repeat(9_999) + '\n');
  await uploader.runCycle();

  assert.deepEqual(dropped, [{ segment: first, bytes: 10_000, reason: 'retained' }]);
  const { droppedRetained, droppedSegments, uploadedSegments } = uploader.status;
  assert.deepEqual(
    { droppedRetained, droppedSegments, uploadedSegments },
    {
      droppedRetained: 1,
      droppedSegments: 0,
      uploadedSegments: 2,
    },
  );
});

test('the budget never drops a segment of sealed/ while it is being gzipped', async (t) => {
  const { layout, destination, uploader } = await setupUploader(t, {
    maxSpoolBytes: 1000,
  });
  const dropped: DroppedEvent[] = [];
  uploader.on('dropped', (event) => dropped.push(event));
  await uploader.runCycle(); // takes the spool: only its holder compresses
  const name = segmentName(1);
  // Big enough that gzip is still running when the run measures the spool.
  await writeFile(
    join(layout.sealed, name),
    randomBytes(4 * 1024 * 1024).toString('hex'),
  );

  const compressing = uploader.compressSealed();
  await uploader.runCycle();
  await compressing;

  // Whatever was dropped is gone for good, and nothing dropped was published.
  const names = dropped.map((event) => event.segment);
  assert.deepEqual(names, [`${name}.gz`], 'its gzip is dropped, once it exists');
  assert.deepEqual(await readdir(layout.sealed), []);
  assert.deepEqual(await readdir(layout.ready), []);
  assert.deepEqual([...destination.files.keys()], []);
});
