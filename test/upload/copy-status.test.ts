/**
 * What `listCopies()` says about a job: every field after a settled run
 * (on an injected clock), and `pending` while the destination fails, both
 * before a snapshot could be made and after.
 */
import assert from 'node:assert/strict';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { waitFor } from '../dev-hdfs/fixture.js';
import {
  lines,
  startCopyRig,
  waitForCopyEvents,
  waitForSettledCycle,
} from './copy-rig.js';

/** Writes a file last changed an hour ago: quiet at once. */
async function writeQuietFile(path: string, content: string): Promise<void> {
  await writeFile(path, content);
  const anHourAgo = new Date(Date.now() - 3_600_000);
  await utimes(path, anHourAgo, anHourAgo);
}

test('listCopies shows every field of a job after a settled run', async (t) => {
  const clock = Date.parse('2031-05-06T07:08:09Z');
  const rig = await startCopyRig(t, { now: () => clock });
  await writeQuietFile(join(rig.logs, 'a.log'), lines(0, 10));
  await writeQuietFile(join(rig.logs, 'b.log'), lines(10, 5));
  const pattern = join(rig.logs, '*.log');
  const settled = waitForSettledCycle(rig.manager, 'app');
  // An hour between runs: the second run cannot start while the test looks.
  rig.manager.startCopy('app', rig.job({ patterns: pattern, interval: '1h' }));
  const [cycle] = await settled;
  assert.equal(cycle?.uploaded, 2);
  await waitFor(
    () => rig.manager.listCopies()[0]?.nextRun !== undefined,
    'the next run to be scheduled',
  );

  const [status] = rig.manager.listCopies();
  assert.ok(['complete', 'incomplete'].includes(status?.procCheck ?? ''));
  assert.deepEqual(status, {
    name: 'app',
    state: 'running',
    patterns: [pattern],
    destination: `webhdfs://${new URL(rig.server.url).host}/logs/{name}`,
    interval: 3_600_000,
    filesUploaded: 2,
    bytesUploaded: lines(0, 10).length + lines(10, 5).length,
    pending: 0,
    lastRun: clock,
    lastSuccess: clock,
    lastError: undefined,
    nextRun: clock + 3_600_000,
    procCheck: status?.procCheck,
  });
});

test('pending counts files that failed before their snapshot was made', async (t) => {
  const rig = await startCopyRig(t);
  // Nothing answers: placing the first file (a stat of its name) fails.
  rig.server.setFaults({ refuse: true });
  await writeQuietFile(join(rig.logs, 'a.log'), lines(0, 10));
  await writeQuietFile(join(rig.logs, 'b.log'), lines(10, 10));
  const cycles = waitForCopyEvents(rig.manager, 'cycle', 'two runs', { count: 2 });
  rig.manager.startCopy('app', rig.job({ patterns: join(rig.logs, '*.log') }));

  const runs = await cycles;
  assert.deepEqual(
    runs.map((run) => [run.matched, run.uploaded, run.pending]),
    [
      [2, 0, 2],
      [2, 0, 2],
    ],
  );
  assert.equal(rig.manager.listCopies()[0]?.pending, 2);
  assert.deepEqual(rig.events.uploaded, []);
});

test('pending counts a staged file and the files behind it while uploads fail', async (t) => {
  const rig = await startCopyRig(t);
  // The NameNode answers, every upload body is cut: a snapshot is made and kept.
  rig.server.setFaults({ resetUpload: true });
  await writeQuietFile(join(rig.logs, 'a.log'), lines(0, 10));
  await writeQuietFile(join(rig.logs, 'b.log'), lines(10, 10));
  const cycles = waitForCopyEvents(rig.manager, 'cycle', 'two runs', { count: 2 });
  rig.manager.startCopy('app', rig.job({ patterns: join(rig.logs, '*.log') }));

  // The second run only retries the snapshot, yet both files still wait.
  const runs = await cycles;
  assert.deepEqual(
    runs.map((run) => [run.uploaded, run.pending]),
    [
      [0, 2],
      [0, 2],
    ],
  );

  rig.server.clearFaults();
  await waitForSettledCycle(rig.manager, 'app');
  assert.equal(rig.events.uploaded.length, 2);
  assert.equal(rig.manager.listCopies()[0]?.pending, 0);
});
