import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import { WebHdfsTimeoutError } from '../../src/errors.js';
import type {
  AmbiguousEvent,
  PublishingEvent,
  UploadedEvent,
} from '../../src/upload/uploader-events.js';
import { MemoryDestination } from '../helpers/memory-destination.js';
import { MINUTE, START, setupUploader } from './uploader-rig.js';

test('a temporary file whose DELETE failed is deleted by a later run', async (t) => {
  const { destination, uploader, seal, hidden } = await setupUploader(t);
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
  const { layout, destination, uploader, errors, seal, hidden } = await setupUploader(t);
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
  const { layout, uploader, seal, advance } = await setupUploader(t, { keepUploaded });
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

test('a file taken away right after its RENAME is reported by an ambiguous event', async (t) => {
  const { destination, uploader, seal } = await setupUploader(t);
  const name = await seal(1, 'line 1\n');
  const ambiguous: AmbiguousEvent[] = [];
  uploader.on('ambiguous', (event) => ambiguous.push(event));
  const uploaded: UploadedEvent[] = [];
  uploader.on('uploaded', (event) => uploaded.push(event));
  destination.after = (op, path) => {
    // Hive's LOAD DATA INPATH moved it before the uploader could look.
    if (op === 'rename') destination.files.delete(`/logs/app/${name}`);
    if (op === 'rename' && path.endsWith('.inprogress')) throw new Error('answer lost');
  };

  await uploader.runCycle();

  assert.deepEqual(ambiguous, [{ segment: name, path: `/logs/app/${name}` }]);
  assert.deepEqual(
    uploaded.map((event) => event.outcome),
    ['ambiguous'],
  );
});

test('at most upload.retries attempts per segment and run; then the next run', async (t) => {
  const { destination, uploader, seal } = await setupUploader(t, { retries: 3 });
  const names = [
    await seal(1, 'line 1\n', START),
    await seal(2, 'line 2\n', START + MINUTE),
  ];
  const publishing: PublishingEvent[] = [];
  uploader.on('publishing', (event) => publishing.push(event));
  destination.before = () => {
    throw new Error('connection refused');
  };
  // The backoff's timers never keep a process alive; this test awaits them.
  const keepAlive = setInterval(() => undefined, 60_000);
  t.after(() => clearInterval(keepAlive));
  const attempts = () =>
    names.map((name) =>
      publishing.filter((event) => event.segment === name).map((event) => event.attempt),
    );

  await uploader.runCycle();
  const firstRun = attempts();
  await uploader.runCycle();

  assert.deepEqual(firstRun, [
    [1, 2, 3],
    [1, 2, 3],
  ]);
  assert.deepEqual(attempts(), [
    [1, 2, 3, 1, 2, 3],
    [1, 2, 3, 1, 2, 3],
  ]);
});

test('publishes the oldest segment first, whatever order the files came in', async (t) => {
  const { uploader, seal } = await setupUploader(t);
  const third = await seal(7, 'c\n', START + 2 * MINUTE);
  const first = await seal(9, 'a\n', START);
  const second = await seal(1, 'b\n', START + MINUTE);
  const published: string[] = [];
  uploader.on('publishing', (event) => published.push(event.segment));

  await uploader.runCycle();

  assert.deepEqual(published, [first, second, third]);
});

test('waits for the destination to close, and reports its failure as an error', async (t) => {
  const context = {
    op: 'CANCELDELEGATIONTOKEN',
    path: '/',
    role: 'namenode',
    endpoint: 'nn1:9871',
  } as const;
  let closed = false;
  const destination = Object.assign(new MemoryDestination(), {
    close: async () => {
      await setImmediate();
      closed = true;
      throw new WebHdfsTimeoutError(context, 'request', 5000, true);
    },
  });
  const { uploader, errors } = await setupUploader(t, { destination });

  await uploader.stop();

  assert.ok(closed, 'stop() waited for the close');
  assert.deepEqual(
    errors.map((event) => [event.segment, event.error.code]),
    [[undefined, 'ERR_WEBHDFS_TIMEOUT']],
  );
  assert.match(errors[0]?.error.message ?? '', /CANCELDELEGATIONTOKEN/);
});
