import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { FlushError } from '../../src/errors.js';
import type { HdfsLogOptions } from '../../src/options.js';
import { createShipper, type Shipper } from '../../src/shipper.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { exactlyOnce, publishedIds, readPublished } from '../helpers/published.js';
import { MemoryDestination } from '../helpers/memory-destination.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const record = (id: number) => JSON.stringify({ id, msg: 'x'.repeat(80) });

async function setup(t: TestContext, overrides: Partial<HdfsLogOptions> = {}) {
  const { server, root } = await startTestServer(t);
  const spoolDir = await makeTempDir(t, 'spool-');
  const options: HdfsLogOptions = {
    destination: `webhdfs://${new URL(server.url).host}/logs/{name}/dt={yyyy-MM-dd}`,
    spoolDir,
    user: 'alice',
    upload: { retries: 2, retryDelay: 10, maxRetryDelay: 50 },
    ...overrides,
  };
  const shippers: Shipper[] = [];
  const start = () => {
    const shipper = createShipper(options);
    shippers.push(shipper);
    return shipper;
  };
  t.after(() => Promise.all(shippers.map((shipper) => shipper.close())));
  return { server, root, spoolDir, start };
}

test('publishes every written line exactly once on flush', async (t) => {
  const { root, start } = await setup(t, { rotate: { size: 20_000 } });
  const shipper = start();
  const uploaded: string[] = [];
  shipper.on('uploaded', (event) => uploaded.push(event.path));

  for (let id = 0; id < 2000; id++) shipper.write(record(id));
  await shipper.flush();

  const files = await readPublished(root);
  assert.equal(exactlyOnce(publishedIds(files), 2000), undefined);
  assert.deepEqual(
    files.filter((file) => file.hidden),
    [],
    'no temporary file is left',
  );
  assert.ok(uploaded.length > 5, `${uploaded.length} segments`);
  assert.ok(
    uploaded.every((path) => /^\/logs\/app\/dt=\d{4}-\d{2}-\d{2}\/app\./.test(path)),
  );
  const status = shipper.status();
  assert.equal(status.pendingSegments, 0);
  assert.equal(status.uploadedSegments, uploaded.length);
});

test('keeps segments through an outage and publishes them once it ends', async (t) => {
  const { server, root, spoolDir, start } = await setup(t);
  const shipper = start();
  server.setFaults({ unavailable: true });

  for (let id = 0; id < 100; id++) shipper.write(record(id));
  await assert.rejects(shipper.flush(), (error) => {
    assert.ok(error instanceof FlushError);
    assert.equal(error.pendingSegments, 1);
    assert.equal(error.failures[0]?.status, 503);
    return true;
  });
  const waiting = await readdir(join(spoolDir, 'ready'));
  assert.equal(waiting.length, 1, 'the segment waits');
  const bytes = (await stat(join(spoolDir, 'ready', waiting[0] as string))).size;
  const during = shipper.status();
  // The age is wall-clock time: only real time passing can show it is not frozen.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const later = shipper.status();

  server.clearFaults();
  for (let id = 100; id < 200; id++) shipper.write(record(id));
  const beforeSuccess = Date.now();
  await shipper.flush();

  assert.equal(exactlyOnce(publishedIds(await readPublished(root)), 200), undefined);
  assert.equal(during.pendingSegments, 1);
  assert.equal(during.pendingBytes, bytes);
  assert.equal(during.lastSuccess, undefined);
  assert.ok(during.oldestPendingMs > 0, `oldest pending ${during.oldestPendingMs} ms`);
  assert.ok(
    // A timer may fire a millisecond early against Date.now().
    later.oldestPendingMs >= during.oldestPendingMs + 98,
    `the age grows between the uploader's events: ${during.oldestPendingMs} ` +
      `then ${later.oldestPendingMs}`,
  );
  const after = shipper.status();
  assert.deepEqual(
    [after.pendingSegments, after.pendingBytes, after.oldestPendingMs],
    [0, 0, 0],
  );
  assert.ok((after.lastSuccess ?? 0) >= beforeSuccess, 'last success recorded');
});

test('a close without onClose leaves the segment for the next start to publish', async (t) => {
  const { root, start } = await setup(t);
  const first = start();
  for (let id = 0; id < 50; id++) first.write(record(id));
  await first.close();
  assert.deepEqual(publishedIds(await readPublished(root)), []);

  const second = start();
  await second.flush();

  assert.equal(exactlyOnce(publishedIds(await readPublished(root)), 50), undefined);
});

test('a close with onClose stops waiting on a stalled server after closeTimeout', async (t) => {
  const { server, root, spoolDir, start } = await setup(t, {
    upload: { interval: '1h', retries: 2, onClose: true, closeTimeout: 300 },
  });
  const first = start();
  await once(first, 'cycle'); // the run at start is over; the next is an hour away
  for (let id = 0; id < 50; id++) first.write(record(id));
  // Every request now waits far longer than the guard below: only the timeout ends close().
  server.setFaults({ delayMs: 600_000 });
  let attempts = 0;
  first.on('publishing', () => attempts++);

  await settleWithin(first.close(), 10_000, 'close() on a stalled server');
  assert.equal(attempts, 1, 'close() made its attempt and gave up on it');

  assert.deepEqual(publishedIds(await readPublished(root)), []);
  assert.deepEqual(await readdir(join(spoolDir, 'active')), []);
  assert.equal((await readdir(join(spoolDir, 'ready'))).length, 1, 'the segment waits');
  server.clearFaults();
  const second = start();
  await second.flush();
  assert.equal(exactlyOnce(publishedIds(await readPublished(root)), 50), undefined);
});

test('refuses bad options with an error naming the option, before any I/O', async (t) => {
  const spoolDir = join(await makeTempDir(t), 'never-created');
  const base = { destination: 'webhdfs://nn1:9870/logs', spoolDir };

  assert.throws(
    () => createShipper({ ...base, rotate: { every: '7m' } }),
    /"rotate\.every"/,
  );
  assert.throws(
    () => createShipper({ ...base, destination: 'hdfs://nn1:8020/x' }),
    /destination/,
  );
  assert.throws(
    () => createShipper({ ...base, upload: { concurency: 2 } as never }),
    /concurency/,
  );
  assert.throws(() => createShipper({ ...base, maxSpoolBytes: '1MiB' }), /maxSpoolBytes/);
  assert.throws(
    () => createShipper({ ...base, webhdfs: { tsl: {} } as never }),
    /webhdfs\.tsl/,
  );
  await assert.rejects(readdir(spoolDir), /ENOENT/);
});

test('publishes through a Destination object, on the application’s thread', async (t) => {
  const destination = new MemoryDestination();
  const shipper = createShipper({
    destination,
    spoolDir: await makeTempDir(t, 'spool-'),
  });
  t.after(() => shipper.close());

  for (let id = 0; id < 10; id++) shipper.write(record(id));
  await shipper.flush();

  const published = [...destination.files].filter(([path]) => !path.includes('/.'));
  assert.equal(published.length, 1);
  const [path = '', content = ''] = published[0] ?? [];
  assert.match(path, /^\/logs\/app\/app\.\d{8}T\d{6}Z\./);
  assert.equal(content.split('\n').filter(Boolean).length, 10);
});

test('compresses a sealed segment at seal time, off the application’s thread', async (t) => {
  const { root, spoolDir, start } = await setup(t, {
    compress: 'gzip',
    rotate: { size: 20_000 },
    upload: { interval: '1h' },
  });
  const shipper = start();
  const ready = join(spoolDir, 'ready');
  await once(shipper, 'cycle'); // the run at start is over; the next is an hour away

  // Size rotations seal segments as these are written.
  for (let id = 0; id < 3000; id++) shipper.write(record(id));
  const deadline = Date.now() + 10_000;
  while (!(await readdir(ready)).some((name) => name.endsWith('.log.gz'))) {
    assert.ok(Date.now() < deadline, 'a .log.gz appears in ready/ without an upload run');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await shipper.flush();

  const files = await readPublished(root);
  assert.ok(files.every((file) => file.path.endsWith('.log.gz')));
  assert.equal(exactlyOnce(publishedIds(files), 3000), undefined);
});

/**
 * Waits for `promise`, failing after `ms`: a bound on a hang, not a measure
 * of speed, so that a slow machine passes.
 */
async function settleWithin<T>(promise: Promise<T>, ms: number, what: string) {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}
