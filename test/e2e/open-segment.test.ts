/**
 * An open segment is never uploaded (DESIGN.md section 3.4), however long
 * it has been quiet: only a seal makes a segment publishable, never a size
 * or a modification time that stopped changing. Time cannot be mocked across
 * the uploader's worker thread, so the segment is made to look quiet for ten
 * minutes by setting its modification time back, and the uploader is given
 * many real cycles to get it wrong.
 */
import assert from 'node:assert/strict';
import { readdir, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestServer, waitFor } from '../dev-hdfs/fixture.js';
import { readPublished } from '../helpers/published.js';
import { waitForEvents } from '../helpers/shipper-events.js';
import {
  checkPublishedOnce,
  LINE_BYTES,
  startShipper,
  webhdfsDestination,
  writeIds,
  zoneAwayFromHourBoundary,
} from '../helpers/test-shipper.js';

const TEN_MINUTES_MS = 10 * 60 * 1000;

test('does not upload a segment that is still open, even one quiet for minutes', async (t) => {
  const { server, root } = await startTestServer(t);
  const { shipper, spoolDir, events } = await startShipper(
    t,
    webhdfsDestination(server.url),
    {
      // No boundary comes during the test, and no size is reached.
      rotate: { every: '1h', timeZone: zoneAwayFromHourBoundary() },
      upload: { interval: 50 },
    },
  );
  const active = join(spoolDir, 'active');

  writeIds(shipper, 0, 10);
  // The lines reach the file on the next turn of the event loop; no event says so.
  const [name = ''] = await readdir(active);
  await waitFor(
    async () => (await stat(join(active, name))).size === 10 * LINE_BYTES,
    'the lines in the active segment',
  );
  // Whole seconds: a file system keeps them exactly, where milliseconds may round.
  const quietSince = new Date(Math.floor((Date.now() - TEN_MINUTES_MS) / 1000) * 1000);
  await utimes(join(active, name), quietSince, quietSince);

  const cycles = await waitForEvents(shipper, 'cycle', 'ten upload cycles', {
    count: 10,
  });

  assert.ok(cycles.every((cycle) => cycle.holdsSpool && cycle.pendingSegments === 0));
  assert.deepEqual(events.publishing, [], 'no attempt to publish it');
  assert.deepEqual(events.recovered, [], 'a live writer’s segment is not recovered');
  assert.deepEqual(await readPublished(root), [], 'nothing on the server');
  assert.deepEqual(await readdir(active), [name], 'the segment is still open');
  const file = await stat(join(active, name));
  assert.equal(file.size, 10 * LINE_BYTES);
  assert.equal(file.mtimeMs, quietSince.getTime(), 'nothing touched it');
  assert.equal(shipper.status().activeBytes, 10 * LINE_BYTES);

  await shipper.flush();

  await checkPublishedOnce(root, 10);
  assert.deepEqual(
    events.uploaded.map((event) => event.segment),
    [name],
  );
});
