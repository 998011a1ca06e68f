import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { formatSegmentName } from '../../src/segment/segment-name.js';
import { ensureSpool, spoolLayout } from '../../src/segment/spool-layout.js';
import { WriterAnnouncement } from '../../src/segment/writer-liveness.js';
import { Uploader, type UploaderConfig } from '../../src/upload/uploader.js';
import type { DroppedEvent, UploadErrorEvent } from '../../src/upload/uploader-events.js';
import { MemoryDestination } from '../helpers/memory-destination.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const START = Date.UTC(2026, 11, 3, 15, 19, 0);
const MINUTE = 60_000;

/** An uploader over a new spool, publishing to memory, on a clock the test moves. */
async function setup(t: TestContext, overrides: Partial<UploaderConfig> = {}) {
  const layout = spoolLayout(await makeTempDir(t, 'spool-'));
  await ensureSpool(layout);
  const destination = new MemoryDestination();
  let now = START;
  const config: UploaderConfig = {
    layout,
    destination,
    interval: 3_600_000,
    concurrency: 1,
    retries: 1,
    retryDelay: 1,
    maxRetryDelay: 1,
    verify: 'length',
    keepUploaded: 0,
    maxSpoolBytes: 1024 ** 3,
    minFreeBytes: 0,
    compress: false,
    now: () => now,
    random: () => 0,
    ...overrides,
  };
  const uploader = new Uploader(config);
  t.after(() => uploader.stop());
  const errors: UploadErrorEvent[] = [];
  uploader.on('error', (event) => errors.push(event));
  /** Puts a sealed segment into ready/, as a writer would; returns its name. */
  const seal = async (seq: number, content: string, start = START) => {
    const name = formatSegmentName({
      name: 'app',
      start,
      host: 'web1',
      writerId: 'k3v9x2qa',
      seq,
    });
    await writeFile(join(layout.ready, name), content);
    return name;
  };
  const hidden = () =>
    [...destination.files.keys()].filter((path) => /\/[._][^/]*$/.test(path));
  return {
    layout,
    destination,
    config,
    uploader,
    errors,
    seal,
    hidden,
    advance: (ms: number) => (now += ms),
  };
}

test('a temporary file whose DELETE failed is deleted by a later run', async (t) => {
  const { destination, uploader, seal, hidden } = await setup(t);
  const name = await seal(1, 'line 1\n');
  // The first attempt's body went out, then its connection broke: a stale temp.
  destination.after = (op) => {
    if (op === 'upload') throw new Error('connection reset');
  };
  await uploader.runCycle();
  // The next attempt publishes, but HDFS refuses the DELETE of the stale temp.
  destination.after = undefined;
  destination.before = (op) => {
    if (op === 'delete') throw new Error('connection reset');
  };
  const published = await uploader.runCycle();
  assert.equal(published.published, 1);
  assert.equal(hidden().length, 1, 'the stale temporary file is still there');

  destination.before = undefined;
  await uploader.runCycle();

  assert.deepEqual([...destination.files.keys()], [`/logs/app/${name}`]);
  assert.deepEqual(hidden(), []);
});

test('a segment removed by hand is reported once and its temporary files deleted', async (t) => {
  const { layout, destination, uploader, errors, seal, hidden } = await setup(t);
  const name = await seal(1, 'line 1\n');
  destination.after = (op) => {
    if (op === 'upload') throw new Error('connection reset');
  };
  await uploader.runCycle();
  await rm(join(layout.ready, name));
  errors.length = 0;

  destination.after = undefined;
  destination.before = (op) => {
    if (op === 'delete') throw new Error('connection reset');
  };
  await uploader.runCycle();
  assert.equal(hidden().length, 1, 'the DELETE failed: the temporary file stays');
  destination.before = undefined;
  await uploader.runCycle();

  assert.deepEqual(hidden(), []);
  assert.deepEqual(
    errors.map((event) => [event.segment, event.error.code]),
    [[name, 'ERR_SEGMENT_VANISHED']],
  );
});

test('keepUploaded keeps the published copy in retained/ until it expires', async (t) => {
  const keepUploaded = 10 * MINUTE;
  const { layout, uploader, seal, advance } = await setup(t, { keepUploaded });
  const name = await seal(1, 'line 1\n');

  await uploader.runCycle();
  const kept = await readdir(layout.retained);
  advance(keepUploaded - 1);
  await uploader.runCycle();
  const justBefore = await readdir(layout.retained);
  advance(1);
  await uploader.runCycle();

  assert.deepEqual(await readdir(layout.ready), []);
  assert.deepEqual(kept, [name], 'kept once published');
  assert.deepEqual(justBefore, [name], 'still kept just before it expires');
  assert.deepEqual(await readdir(layout.retained), [], 'deleted once expired');
});

test('a budget that cannot be met is reported once and shown in status', async (t) => {
  const { layout, uploader, errors } = await setup(t, { maxSpoolBytes: 1000 });
  // A live writer's open segment: it counts, and it can never be dropped.
  const writer = WriterAnnouncement.announce(layout.writers, 'k3v9x2qa');
  t.after(() => writer.withdraw());
  const open = join(layout.active, 'app.20261203T151900Z.web1.k3v9x2qa.000001.log');
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
  const { uploader, seal } = await setup(t, {
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
  const { layout, destination, uploader } = await setup(t, { maxSpoolBytes: 1000 });
  const dropped: DroppedEvent[] = [];
  uploader.on('dropped', (event) => dropped.push(event));
  await uploader.runCycle(); // takes the spool: only its holder compresses
  const name = formatSegmentName({
    name: 'app',
    start: START,
    host: 'web1',
    writerId: 'k3v9x2qa',
    seq: 1,
  });
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

test('status shows the backlog, its age on the clock, and the last success', async (t) => {
  const { destination, uploader, seal, advance } = await setup(t);
  await seal(1, 'line 1\n', START);
  await seal(2, 'line 2 and more\n', START + MINUTE);
  destination.before = () => {
    throw new Error('connection refused');
  };

  advance(5 * MINUTE);
  await uploader.runCycle();
  const waiting = uploader.status;
  advance(MINUTE);
  const later = uploader.status;
  destination.before = undefined;
  await uploader.runCycle();

  assert.deepEqual(
    {
      pendingSegments: waiting.pendingSegments,
      pendingBytes: waiting.pendingBytes,
      oldestPendingMs: waiting.oldestPendingMs,
      lastSuccess: waiting.lastSuccess,
    },
    {
      pendingSegments: 2,
      pendingBytes: 23,
      oldestPendingMs: 5 * MINUTE,
      lastSuccess: undefined,
    },
  );
  assert.equal(later.oldestPendingMs, 6 * MINUTE, 'the age grows between runs');
  const { pendingSegments, pendingBytes, oldestPendingMs, lastSuccess } = uploader.status;
  assert.deepEqual(
    { pendingSegments, pendingBytes, oldestPendingMs, lastSuccess },
    {
      pendingSegments: 0,
      pendingBytes: 0,
      oldestPendingMs: 0,
      lastSuccess: START + 6 * MINUTE,
    },
  );
});

test('an uploader that does not hold the spool shows its backlog too', async (t) => {
  const { config, destination, uploader: holder, seal } = await setup(t);
  await holder.runCycle();
  const other = new Uploader(config);
  t.after(() => other.stop());
  await seal(1, 'line 1\n');
  destination.before = () => {
    throw new Error('connection refused');
  };

  const summary = await other.runCycle();

  assert.equal(summary.holdsSpool, false);
  assert.equal(summary.pendingSegments, 1);
  const { holdsSpool, pendingSegments, pendingBytes } = other.status;
  assert.deepEqual(
    { holdsSpool, pendingSegments, pendingBytes },
    {
      holdsSpool: false,
      pendingSegments: 1,
      pendingBytes: 7,
    },
  );
});
