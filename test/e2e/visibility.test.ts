/**
 * No partial file is ever visible at its final name (DESIGN.md section 3.3):
 * a reader lists the dev server's root every 2 ms while multi-MiB segments
 * upload through a proxy that slows them down, and every file it ever saw at
 * a final name must have had its final length and content from the start.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { DevHdfsFaults } from '../../src/dev-hdfs/index.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import {
  findEarlySightings,
  watchPublished,
  type WatchReport,
} from '../helpers/published-watcher.js';
import { waitForDrainedCycle, waitForEvents } from '../helpers/shipper-events.js';
import {
  checkPublishedOnce,
  LINE_BYTES,
  startShipper,
  webhdfsDestination,
  writeIds,
} from '../helpers/test-shipper.js';
import { startThrottleProxy } from '../helpers/throttle-proxy.js';

const SEGMENT_BYTES = 2 * 1024 * 1024;
/** About 3.3 segments: three full ones and a short last one. */
const LINES = Math.floor((3.3 * SEGMENT_BYTES) / LINE_BYTES);
/** A 2 MiB upload takes about 60 ms, some 30 looks of the reader. */
const UPLOAD_BYTES_PER_SECOND = 32 * 1024 * 1024;

/** A shipper whose uploads reach the DataNode through a slow proxy. */
async function startSlowUploads(t: TestContext, faults: DevHdfsFaults = {}) {
  const { server, root } = await startTestServer(t, { faults });
  const proxy = await startThrottleProxy(t, server.dataNodeUrl, UPLOAD_BYTES_PER_SECOND);
  const rig = await startShipper(t, webhdfsDestination(server.url), {
    rotate: { size: SEGMENT_BYTES },
    upload: { retries: 3 },
    webhdfs: { dataNodeRewrite: { [new URL(server.dataNodeUrl).host]: proxy.url } },
  });
  return { ...rig, server, root };
}

/** Temporary names are `.<segment>.<attempt>.inprogress`, beside the final name. */
const TEMPORARY = /^(.*\/)\.(.+)\.[0-9a-f]{12}\.inprogress$/;

/** Checks the names of the temporary files seen; returns those seen mid-upload. */
function uploadsSeenInFlight(report: WatchReport): string[] {
  const inFlight: string[] = [];
  for (const [path, lengths] of report.temporary) {
    const match = TEMPORARY.exec(path);
    assert.ok(match, `${path} is named as a temporary file`);
    const [, directory = '', segment = ''] = match;
    const final = report.visible.get(`${directory}${segment}`);
    assert.ok(final, `${path} became a published file`);
    const [finalLength = 0] = [...final.lengths];
    if ([...lengths].some((length) => length > 0 && length < finalLength)) {
      inFlight.push(path);
    }
  }
  return inFlight;
}

test('a reader never sees a partial file at a final name during slow uploads', async (t) => {
  const { shipper, root, events } = await startSlowUploads(t);
  const watcher = watchPublished(root);

  writeIds(shipper, 0, LINES);
  await shipper.flush();
  const report = await watcher.stop();

  await checkPublishedOnce(root, LINES);
  assert.deepEqual(await findEarlySightings(root, report), []);
  assert.equal(report.visible.size, events.uploaded.length, 'the reader saw every file');
  assert.ok(
    uploadsSeenInFlight(report).length >= 2,
    `the reader saw uploads in flight (${report.scans} looks)`,
  );
});

test('a reader never sees a partial file at a final name when uploads fail mid-body', async (t) => {
  // The first upload is refused after 512 KiB, the next two are cut after 1 MiB.
  const { shipper, root, events } = await startSlowUploads(t, {
    rejectAfterContinue: { afterBytes: 512 * 1024, times: 1 },
    resetUpload: { afterBytes: 1024 * 1024, times: 2 },
  });
  const watcher = watchPublished(root);

  const rejected = waitForEvents(shipper, 'error', 'the 403 after 100 Continue');
  const reset = waitForEvents(shipper, 'retry', 'two uploads reset mid-body', {
    count: 2,
  });
  writeIds(shipper, 0, LINES);
  await Promise.all([rejected, reset]);
  await waitForDrainedCycle(shipper);
  await shipper.flush();
  const report = await watcher.stop();

  await checkPublishedOnce(root, LINES);
  assert.deepEqual(await findEarlySightings(root, report), []);
  const cutShort = [...report.temporary.values()].filter(
    (lengths) => Math.max(...lengths) === 1024 * 1024,
  );
  assert.ok(cutShort.length >= 1, 'the failed uploads left partial temporary files');
  uploadsSeenInFlight(report);
  assert.deepEqual(
    events.errors.map((error) => error.exception),
    ['AccessControlException'],
  );
});
