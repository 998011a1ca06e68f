import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FailpointName } from '../../src/failpoints.js';
import { exactlyOnce, publishedIds, readPublished } from '../helpers/published.js';
import { checkRuns, runChild, setupCrashTest } from '../helpers/crash-child.js';

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

  for (const [point, compress] of [
    ['mid-seal', ''],
    ['mid-gzip', 'gzip'],
    ['mid-write', ''],
  ] as const) {
    test(`a SIGKILL at ${point} keeps every line that reached the disk, once`, async (t) => {
      const { root, spool, destination } = await setupCrashTest(t);
      const crashed = await runChild(
        [spool, destination, 'burst', '0', '3000', compress],
        {
          HLT_FAILPOINT: `${point}:2`,
        },
      );
      assert.equal(crashed.signal, 'SIGKILL', `the child reached ${point}`);

      const restarted = await runChild([spool, destination, 'drain', '1', '0', compress]);
      assert.equal(restarted.code, 0);

      // Lines the child had written up to its death are kept, in order, without a gap;
      // only its in-memory buffer (16 KiB) may be lost.
      const counts = checkRuns(publishedIds(await readPublished(root)));
      assert.ok((counts.get(0) ?? 0) > 0, 'lines written before the crash are kept');
    });
  }
});
