/**
 * Outages of the cluster (DESIGN.md section 3.1 and 3.2, issue 3 "Proof"):
 * whatever the dev server does for several upload intervals, every line ends
 * up published exactly once and no temporary file is left. Passing failures
 * are retried with classified errors; permanent ones are reported once per
 * segment, not every interval, and the segment waits until they clear.
 * Meanwhile a reader polls the namespace, as Hive would: no file is ever
 * visible at a final name before it is complete.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  startDevHdfsHaPair,
  type DevHdfsFaults,
  type DevHdfsRequestEvent,
  type DevHdfsServer,
} from '../../src/dev-hdfs/index.js';
import type { ErrorInfo } from '../../src/upload/uploader-events.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import {
  waitForDrainedCycle,
  waitForEvents,
  waitForFailingCycles,
} from '../helpers/shipper-events.js';
import { findEarlySightings, watchPublished } from '../helpers/published-watcher.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import {
  checkPublishedOnce,
  startShipper,
  webhdfsDestination,
  writeIds,
} from '../helpers/test-shipper.js';

interface PassingOutage {
  readonly title: string;
  readonly fault: DevHdfsFaults;
  /** What every retry and error of the outage must say. */
  readonly expected: (error: ErrorInfo) => boolean;
}

const passingOutages: readonly PassingOutage[] = [
  {
    title: 'refuses connections',
    fault: { refuse: true },
    // Unreachable NameNode: fail over (none left), or a pooled socket the server cut.
    expected: (error) =>
      error.code === 'ERR_WEBHDFS_NETWORK' &&
      (error.errorClass === 'failover' || error.errorClass === 'retry'),
  },
  {
    title: 'answers 503 through its proxy',
    fault: { unavailable: true },
    expected: (error) => error.status === 503 && error.errorClass === 'retry',
  },
  {
    title: 'is in safe mode',
    fault: { safeMode: true },
    expected: (error) =>
      error.exception === 'SafeModeException' && error.errorClass === 'retry',
  },
  {
    title: 'resets every upload mid-body',
    fault: { resetUpload: { afterBytes: 3000 } },
    expected: (error) =>
      error.code === 'ERR_WEBHDFS_NETWORK' && error.errorClass === 'retry',
  },
];

for (const outage of passingOutages) {
  test(`keeps every line while the cluster ${outage.title} for several intervals`, async (t) => {
    const { server, root } = await startTestServer(t);
    const watcher = watchPublished(root);
    t.after(() => watcher.stop());
    const { shipper, events } = await startShipper(t, webhdfsDestination(server.url));
    writeIds(shipper, 0, 200);
    await shipper.flush();

    server.setFaults(outage.fault);
    await server.settle();
    const uploadedBefore = events.uploaded.length;
    const failing = waitForFailingCycles(shipper, 3);
    writeIds(shipper, 200, 1000);
    await failing;

    assert.equal(events.uploaded.length, uploadedBefore, 'nothing published meanwhile');
    assert.ok(shipper.status().pendingSegments > 0, 'the sealed segments wait');
    assert.ok(events.retries.length > 0, 'failed attempts are retried');
    const failures = [...events.retries.map((retry) => retry.error), ...events.errors];
    for (const error of failures) {
      assert.ok(outage.expected(error), `${error.errorClass}: ${error.message}`);
    }

    server.clearFaults();
    await server.settle();
    await waitForDrainedCycle(shipper);
    writeIds(shipper, 1000, 1100);
    await shipper.flush();

    await checkPublishedOnce(root, 1100);
    assert.deepEqual(await findEarlySightings(root, await watcher.stop()), []);
    assert.equal(shipper.status().pendingSegments, 0);
    assert.deepEqual(events.spoolErrors, []);
  });
}

test('keeps every line while faults flap on and off under continuous writing', async (t) => {
  const { server, root } = await startTestServer(t);
  const watcher = watchPublished(root);
  t.after(() => watcher.stop());
  const { shipper, events } = await startShipper(t, webhdfsDestination(server.url), {
    rotate: { size: '32KiB' },
  });
  // About 200 KB/s: a few segments a second, which the uploader outpaces when up.
  let written = 0;
  const writer = setInterval(() => {
    writeIds(shipper, written, written + 10);
    written += 10;
  }, 5);
  t.after(() => clearInterval(writer));

  const faults: DevHdfsFaults[] = [
    { refuse: true },
    { unavailable: true },
    { resetUpload: { afterBytes: 2000 } },
    { safeMode: true },
    // More 503s than first attempts in flight (2 sending, 2 finishing), so that
    // some segment meets a second one and the cycle fails.
    { unavailable: 6, delayMs: 5 },
    { resetUpload: { afterBytes: 100 }, unavailable: 2 },
  ];
  for (const fault of faults) {
    // Switched on while an attempt is under way, so it lands mid-publication.
    await waitForEvents(shipper, 'publishing', 'an attempt to publish');
    server.setFaults(fault);
    await server.settle();
    await waitForFailingCycles(shipper, 1);
    server.clearFaults();
    await server.settle();
    await waitForEvents(shipper, 'cycle', 'a cycle that publishes again', {
      accept: (cycle) => cycle.published > 0,
    });
  }
  clearInterval(writer);
  await shipper.flush();

  await checkPublishedOnce(root, written);
  assert.deepEqual(await findEarlySightings(root, await watcher.stop()), []);
  assert.ok(events.retries.length >= faults.length, `${events.retries.length} retries`);
  const failures = [...events.retries.map((retry) => retry.error), ...events.errors];
  for (const error of failures) {
    assert.notEqual(error.errorClass, 'permanent', error.message);
  }
  assert.deepEqual(events.spoolErrors, []);
});

interface PermanentFault {
  readonly title: string;
  readonly fault: DevHdfsFaults;
  readonly exception: string;
}

const permanentFaults: readonly PermanentFault[] = [
  {
    // The DataNode's answer comes mid-body: it must surface as the typed
    // RemoteException, not as the reset of the connection that follows it.
    title: 'a 403 AccessControlException after 100 Continue',
    fault: { rejectAfterContinue: { afterBytes: 1000 } },
    exception: 'AccessControlException',
  },
  {
    title: 'an exceeded disk-space quota',
    fault: { quotaBytes: 1 },
    exception: 'DSQuotaExceededException',
  },
];

for (const { title, fault, exception } of permanentFaults) {
  test(`reports ${title} once per segment, keeps it, and publishes it once cleared`, async (t) => {
    const { server, root } = await startTestServer(t);
    const { shipper, spoolDir, events } = await startShipper(
      t,
      webhdfsDestination(server.url),
    );
    server.setFaults(fault);
    writeIds(shipper, 0, 400);
    const sealed = await waitForEvents(shipper, 'sealed', 'the segments full by size', {
      count: 4,
    });

    // The next cycle may have listed ready/ before the last seal; from the
    // one after it on, every segment fails in every cycle.
    await waitForEvents(shipper, 'cycle', 'a cycle after the seals');
    const failing = await waitForFailingCycles(shipper, 4);
    assert.deepEqual(
      failing.map((cycle) => cycle.failed),
      failing.map(() => sealed.length),
    );
    assert.equal(events.uploaded.length, 0);
    assert.equal((await readdir(join(spoolDir, 'ready'))).length, sealed.length);
    assert.deepEqual(
      events.errors.map((error) => error.segment).sort(),
      sealed.map((segment) => segment.name).sort(),
      'one error per segment, not one per interval',
    );
    for (const error of events.errors) {
      assert.equal(error.errorClass, 'permanent');
      assert.equal(error.exception, exception);
    }
    assert.deepEqual(events.retries, [], 'a permanent failure is not retried at once');
    assert.equal(shipper.status().lastError?.exception, exception);

    server.clearFaults();
    await waitForDrainedCycle(shipper);
    await shipper.flush();

    await checkPublishedOnce(root, 400);
    assert.equal(events.errors.length, sealed.length, 'no error after the fault cleared');
  });
}

test('follows a NameNode failover back and forth without an error', async (t) => {
  const pair = await startDevHdfsHaPair({ root: await makeTempDir(t, 'dev-hdfs-') });
  t.after(() => pair.close());
  const watcher = watchPublished(pair.namespace.root);
  t.after(() => watcher.stop());
  const requests = new Map<DevHdfsServer, DevHdfsRequestEvent[]>([
    [pair.nn1, []],
    [pair.nn2, []],
  ]);
  const internalErrors: Error[] = [];
  for (const [server, seen] of requests) {
    server.on('request', (event) => seen.push(event));
    server.on('internalError', (error) => internalErrors.push(error));
  }
  const { shipper, events } = await startShipper(t, webhdfsDestination(pair.nn1.url), {
    namenodes: [pair.nn2.url],
  });

  writeIds(shipper, 0, 300);
  await waitForEvents(shipper, 'cycle', 'a cycle that publishes through nn1', {
    accept: (cycle) => cycle.published > 0,
  });
  pair.failover();
  const nn1Before = requests.get(pair.nn1)?.length ?? 0;
  writeIds(shipper, 300, 600);
  await waitForEvents(shipper, 'cycle', 'a cycle that publishes through nn2', {
    accept: (cycle) => cycle.published > 0,
  });

  const standbyAnswers = (requests.get(pair.nn1) ?? []).slice(nn1Before);
  assert.ok(
    standbyAnswers.some((event) => event.status === 403),
    'nn1 answered StandbyException, and the shipper moved on to nn2',
  );
  assert.ok(
    (requests.get(pair.nn2) ?? []).some((event) => event.op === 'RENAME'),
    'nn2 published',
  );

  // Back to nn1 while an attempt is under way.
  const switched = waitForEvents(shipper, 'publishing', 'an attempt to publish').then(
    () => pair.failover(),
  );
  writeIds(shipper, 600, 900);
  await switched;
  await shipper.flush();

  await checkPublishedOnce(pair.namespace.root, 900);
  const report = await watcher.stop();
  assert.deepEqual(await findEarlySightings(pair.namespace.root, report), []);
  assert.deepEqual(events.errors, []);
  assert.deepEqual(internalErrors, []);
  for (const { error } of events.retries) assert.notEqual(error.errorClass, 'permanent');
});
