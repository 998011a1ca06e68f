import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FailpointName } from '../../src/failpoints.js';
import { exactlyOnce, publishedIds, readPublished } from '../helpers/published.js';
import { checkRuns, lastMark, runChild, setupCrashTest } from '../helpers/crash-child.js';

const uploadPoints: FailpointName[] = [
  'after-begin-journal',
  'after-create',
  'after-rename-journal',
  'after-rename',
  'before-local-delete',
];

// Each test has its own server and spool: they can run side by side.
describe('crash points', { concurrency: 4 }, () => {
  for (const point of uploadPoints) {
    test(`a SIGKILL at ${point} neither loses nor duplicates a line`, async (t) => {
      const { root, spool, destination } = await setupCrashTest(t);
      // The second segment's publication is interrupted: one is already done.
      const crashed = await runChild([spool, destination, 'burst', '0', '3000'], {
        HLT_FAILPOINT: `${point}:2`,
      });
      assert.equal(crashed.signal, 'SIGKILL', `the child reached ${point}`);

      const restarted = await runChild([spool, destination, 'drain', '1']);
      assert.equal(restarted.code, 0);

      const files = await readPublished(root);
      assert.equal(exactlyOnce(publishedIds(files), 3000), undefined);
      assert.deepEqual(
        files.filter((file) => file.hidden).map((file) => file.path),
        [],
        'no temporary file is left',
      );
    });
  }

  // Crash points of the writer and of gzip: the child has sealed a first
  // segment (64 KiB, about 800 records) and is on its second.
  for (const [point, compress] of [
    ['mid-seal:2', ''],
    ['mid-gzip:2', 'gzip'],
    ['mid-write:24', ''],
  ] as const) {
    const name = point.split(':')[0] ?? point;
    test(`a SIGKILL at ${name} keeps every line that reached the disk, once`, async (t) => {
      const { root, spool, destination } = await setupCrashTest(t);
      const crashed = await runChild(
        [spool, destination, 'steady', '0', '3000', compress],
        { HLT_FAILPOINT: point },
      );
      assert.equal(crashed.signal, 'SIGKILL', `the child reached ${point}`);
      const durable = lastMark(crashed.stdout, 'durable');
      assert.ok(durable >= 1000, `the child had ${durable} records on disk at ${point}`);

      const restarted = await runChild([spool, destination, 'drain', '1', '0', compress]);
      assert.equal(restarted.code, 0);

      // Every record the child knew was on disk is published once, whichever
      // segment (sealed, being sealed or gzipped, open) held it. Past that,
      // a crash may lose the write in flight, never publish a line twice.
      const ids = publishedIds(await readPublished(root));
      const kept = ids.filter((id) => id < durable);
      assert.equal(exactlyOnce(kept, durable), undefined, `records 0..${durable - 1}`);
      const counts = checkRuns(ids);
      assert.ok((counts.get(0) ?? 0) >= durable);
    });
  }
});
