/**
 * The disk budget during an outage (DESIGN.md section 3.6, issue 3 "Disk
 * budget test"): with uploads failing and more written than the spool may
 * hold, the oldest waiting segments are dropped, each drop reported and
 * counted; the spool stays within `maxSpoolBytes`; the writer never stops
 * taking lines; and what survives, the newest data among it, is published
 * exactly once when the cluster returns.
 */
import assert from 'node:assert/strict';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { DevHdfsFaults } from '../../src/dev-hdfs/index.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { publishedIds, readPublished } from '../helpers/published.js';
import { waitForDrainedCycle, waitForEvents } from '../helpers/shipper-events.js';
import {
  LINE_BYTES,
  startShipper,
  webhdfsDestination,
  writeIds,
  zoneAwayFromHourBoundary,
} from '../helpers/test-shipper.js';

const SEGMENT_BYTES = 32 * 1024;
const MAX_SPOOL_BYTES = 4 * SEGMENT_BYTES;
/** Lines in a full segment: the next one would pass `rotate.size`. */
const SEGMENT_LINES = Math.floor(SEGMENT_BYTES / LINE_BYTES);
/** Each round writes about one and a half segments; ten rounds are 3.6 budgets. */
const ROUND_LINES = 500;
const ROUNDS = 10;

/** Bytes of every file under `dir`, as the budget counts them (by length). */
async function spoolBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await lstat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** The publish journal, which gains a record at every attempt. */
async function journalBytes(spoolDir: string): Promise<number> {
  return (await lstat(join(spoolDir, 'journal', 'publish.journal'))).size;
}

/**
 * Writes ten rounds with `fault` on, checking the bound after each; then
 * clears it and checks what was published against what was dropped.
 */
async function overfillDuring(t: TestContext, fault: DevHdfsFaults): Promise<void> {
  const { server, root } = await startTestServer(t, { faults: fault });
  const { shipper, spoolDir, events } = await startShipper(
    t,
    webhdfsDestination(server.url),
    {
      rotate: { size: SEGMENT_BYTES, every: '1h', timeZone: zoneAwayFromHourBoundary() },
      maxSpoolBytes: MAX_SPOOL_BYTES,
      // Only maxSpoolBytes decides here, whatever the machine's free space.
      minFreeBytes: 0,
      // One attempt per cycle and segment keeps the journal small.
      upload: { retries: 1, concurrency: 1 },
    },
  );

  let written = 0;
  for (let round = 0; round < ROUNDS; round++) {
    writeIds(shipper, written, written + ROUND_LINES);
    written += ROUND_LINES;
    // Sealing is asynchronous: wait until every full segment is in ready/.
    const fullSegments = Math.floor((written - 1) / SEGMENT_LINES);
    if (events.sealed.length < fullSegments) {
      await waitForEvents(shipper, 'sealed', 'the full segments sealed', {
        count: fullSegments - events.sealed.length,
      });
    }
    // The next cycle may have begun before the last seal; the one after it
    // keeps the budget over everything. Its attempts then add journal
    // records, after the budget looked: those are not held against it.
    await waitForEvents(shipper, 'cycle', 'a cycle after the seals');
    const journalBefore = await journalBytes(spoolDir);
    await waitForEvents(shipper, 'cycle', 'a cycle that keeps the budget');
    const appended = (await journalBytes(spoolDir)) - journalBefore;
    const used = (await spoolBytes(spoolDir)) - appended;
    assert.ok(used <= MAX_SPOOL_BYTES, `round ${round}: ${used} bytes in the spool`);
  }

  const drops = events.dropped.filter((drop) => drop.reason === 'disk-budget');
  const droppedBytes = drops.reduce((sum, drop) => sum + drop.bytes, 0);
  assert.ok(drops.length >= 4, `${drops.length} segments dropped`);
  assert.equal(drops.length, events.dropped.length, 'only the budget dropped anything');
  const status = shipper.status();
  assert.equal(status.droppedSegments, drops.length);
  assert.equal(status.droppedBytes, droppedBytes);
  assert.equal(status.droppedLines, 0, 'the writer took every line');

  server.clearFaults();
  await server.settle();
  await waitForDrainedCycle(shipper);
  await shipper.flush();

  const ids = publishedIds(await readPublished(root));
  assert.equal(new Set(ids).size, ids.length, 'no line is published twice');
  const published = new Set(ids);
  const missing: number[] = [];
  for (let id = 0; id < written; id++) if (!published.has(id)) missing.push(id);
  assert.equal(missing.length * LINE_BYTES, droppedBytes, 'every lost line was a drop');
  // The newest full segment and the lines after it all survive.
  const newest = written - (written % SEGMENT_LINES) - SEGMENT_LINES;
  assert.ok(
    missing.every((id) => id < newest),
    `lines from ${newest} on are kept; the last lost is ${missing.at(-1) ?? 'none'}`,
  );
  assert.deepEqual(events.spoolErrors, []);
}

test('drops the oldest segments to stay within maxSpoolBytes while the cluster is down', (t) =>
  overfillDuring(t, { refuse: true }));

test('drops the oldest segments, not the newest, while every upload fails permanently', (t) =>
  overfillDuring(t, { quotaBytes: 1 }));
