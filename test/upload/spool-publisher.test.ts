import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { InvalidOptionError } from '../../src/errors.js';
import { formatSegmentName } from '../../src/segment/segment-name.js';
import { ensureSpool, spoolLayout } from '../../src/segment/spool-layout.js';
import { createShipper } from '../../src/shipper.js';
import type { StoreCallOptions } from '../../src/upload/destination.js';
import { SpoolPublisher } from '../../src/upload/spool-publisher.js';
import type { UploadedEvent } from '../../src/upload/uploader-events.js';
import { waitForEvents } from '../helpers/shipper-events.js';
import { MemoryDestination } from '../helpers/memory-destination.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** A spool with `count` segments of one line each waiting in ready/. */
async function spoolWithBacklog(t: TestContext, count: number) {
  const spoolDir = await makeTempDir(t, 'spool-');
  const layout = spoolLayout(spoolDir);
  await ensureSpool(layout);
  const names: string[] = [];
  for (let seq = 0; seq < count; seq++) {
    const name = formatSegmentName({
      name: 'app',
      start: Date.UTC(2026, 0, 1, 0, seq),
      host: 'web-1',
      writerId: 'abcdefgh',
      seq,
    });
    await writeFile(join(layout.ready, name), `line ${seq}\n`);
    names.push(name);
  }
  return { spoolDir, layout, names };
}

async function fileDestination(t: TestContext) {
  const root = await makeTempDir(t, 'published-');
  return { root, url: `${pathToFileURL(root).href}/{name}` };
}

test('publishes the backlog and leaves no writer, lock or segment behind', async (t) => {
  const { spoolDir, layout, names } = await spoolWithBacklog(t, 3);
  const { root, url } = await fileDestination(t);
  const publisher = new SpoolPublisher({ spoolDir, destination: url });
  const uploaded: UploadedEvent[] = [];
  publisher.on('uploaded', (event) => uploaded.push(event));

  const publication = await publisher.publish();

  assert.deepEqual(publication, {
    holdsSpool: true,
    published: 3,
    failures: new Map(),
    pendingSegments: 0,
    aborted: false,
  });
  assert.deepEqual(uploaded.map((event) => event.segment).sort(), names);
  assert.deepEqual((await readdir(join(root, 'app'))).sort(), names);
  assert.equal(await readFile(join(root, 'app', names[0] ?? ''), 'utf8'), 'line 0\n');
  assert.deepEqual(await readdir(layout.ready), []);
  assert.deepEqual(await readdir(layout.writers), [], 'no writer was announced');
  assert.equal(existsSync(join(spoolDir, 'uploader.sock')), false, 'the lock is free');
});

test('refuses a directory that is not a spool, and does not make it one', async (t) => {
  const dir = await makeTempDir(t);
  const { url } = await fileDestination(t);
  const publisher = new SpoolPublisher({ spoolDir: join(dir, 'typo'), destination: url });

  await assert.rejects(publisher.publish(), (error) => {
    assert.ok(error instanceof InvalidOptionError);
    assert.equal(error.option, 'spoolDir');
    return true;
  });
  assert.deepEqual(await readdir(dir), []);
});

test('checks its options before any I/O, naming the option', () => {
  assert.throws(
    () =>
      new SpoolPublisher({ spoolDir: '/nonexistent', destination: 'hdfs://nn1/logs' }),
    (error) => error instanceof InvalidOptionError && error.option === 'destination',
  );
  assert.equal(existsSync('/nonexistent'), false);
});

test('reports what it could not publish, and leaves it waiting', async (t) => {
  const { spoolDir, layout, names } = await spoolWithBacklog(t, 2);
  const destination = new MemoryDestination();
  destination.before = (op) => {
    if (op === 'upload') throw Object.assign(new Error('no'), { code: 'EACCES' });
  };
  const publisher = new SpoolPublisher({
    spoolDir,
    destination,
    upload: { retries: 1, retryDelay: 0 },
  });

  const publication = await publisher.publish();

  assert.equal(publication.published, 0);
  assert.equal(publication.pendingSegments, 2);
  assert.ok(publication.failures.size >= 1);
  assert.deepEqual((await readdir(layout.ready)).sort(), names);
});

test('an abort stops the run in flight and says what still waits', async (t) => {
  const { spoolDir, layout } = await spoolWithBacklog(t, 1);
  const destination = new MemoryDestination();
  const hanging = Object.assign(destination, {
    // An upload that only ends when it is aborted, as a stalled connection.
    upload: (_local: string, _path: string, { signal }: StoreCallOptions) =>
      new Promise<void>((_resolve, reject) => {
        if (signal.aborted) reject(signal.reason as Error);
        signal.addEventListener('abort', () => reject(signal.reason as Error));
      }),
  });
  const publisher = new SpoolPublisher({ spoolDir, destination: hanging });
  const abort = new AbortController();
  publisher.once('publishing', () => abort.abort());

  const publication = await publisher.publish(abort.signal);

  assert.equal(publication.aborted, true);
  assert.equal(publication.published, 0);
  assert.equal(publication.pendingSegments, 1);
  assert.equal((await readdir(layout.ready)).length, 1);
  assert.equal(existsSync(join(spoolDir, 'uploader.sock')), false, 'the lock is free');
});

test('asks the uploader holding the spool to publish, as flush() does', async (t) => {
  const { spoolDir, layout } = await spoolWithBacklog(t, 0);
  const { root, url } = await fileDestination(t);
  const shipper = createShipper({
    spoolDir,
    destination: url,
    upload: { interval: '1h' },
  });
  t.after(() => shipper.close());
  await waitForEvents(shipper, 'cycle', 'the holder’s first cycle');
  const name = formatSegmentName({
    name: 'app',
    start: Date.UTC(2026, 0, 1),
    host: 'web-2',
    writerId: 'zyxwvuts',
    seq: 0,
  });
  await writeFile(join(layout.ready, name), 'held\n');

  const publication = await new SpoolPublisher({ spoolDir, destination: url }).publish();

  assert.equal(publication.holdsSpool, false);
  assert.equal(publication.published, 1);
  assert.equal(publication.pendingSegments, 0);
  assert.deepEqual(await readdir(join(root, 'app')), [name]);
});
