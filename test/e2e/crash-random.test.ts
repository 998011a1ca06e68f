import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { publishedIds, readPublished } from '../helpers/published.js';
import { CHILD, checkRuns, runChild, setupCrashTest } from '../helpers/crash-child.js';

test('twenty SIGKILLs at random moments lose only buffered lines and duplicate none', async (t) => {
  const { root, spool, destination } = await setupCrashTest(t);
  for (let run = 0; run < 20; run++) {
    const child = spawn(
      process.execPath,
      [CHILD, spool, destination, 'forever', String(run)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await once(child.stdout, 'data');
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  const last = await runChild([spool, destination, 'drain', '99']);
  assert.equal(last.code, 0);

  const counts = checkRuns(publishedIds(await readPublished(root)));
  assert.equal(counts.size, 20, 'every run published lines');
});
