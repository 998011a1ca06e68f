/**
 * The uploader's events reach copy-job listeners as the manager's own,
 * named by job and file: here `ambiguous`, for a copy a consumer moved away
 * before its RENAME was confirmed.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { WebHdfsNetworkError } from '../../src/errors.js';
import type { CopyAmbiguousEvent } from '../../src/upload/copy-events.js';
import { createCopyManager } from '../../src/upload/copy-manager.js';
import { MemoryDestination } from '../helpers/memory-destination.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { lines, waitForCopyEvents, waitForSettledCycle } from './copy-rig.js';

test('a copy moved away before its RENAME was confirmed is reported ambiguous', async (t) => {
  const logs = await makeTempDir(t, 'copy-logs-');
  const manager = createCopyManager({ stateDir: await makeTempDir(t, 'copy-state-') });
  t.after(() => manager.stopAllCopies({ timeout: 0 }));
  const destination = new MemoryDestination();
  destination.after = (op) => {
    if (op !== 'rename') return;
    destination.after = undefined;
    // The RENAME happened, a consumer took the copy at once, the answer was lost.
    destination.files.delete('/logs/app/app.log');
    const context = {
      op: 'RENAME',
      path: '/logs/app/app.log',
      role: 'namenode',
    } as const;
    throw new WebHdfsNetworkError({ ...context, endpoint: 'nn1' }, 'ECONNRESET', true, 0);
  };
  const file = join(logs, 'app.log');
  await writeFile(file, lines(0, 10));
  const ambiguous: CopyAmbiguousEvent[] = [];
  manager.on('ambiguous', (event) => ambiguous.push(event));
  const uploaded = waitForCopyEvents(manager, 'uploaded', 'the copy');

  manager.startCopy('app', {
    patterns: file,
    destination,
    interval: 50,
    quietPeriod: 100,
  });
  const [event] = await uploaded;
  await waitForSettledCycle(manager, 'app');

  assert.equal(event?.outcome, 'ambiguous');
  assert.deepEqual(ambiguous, [{ job: 'app', file, path: '/logs/app/app.log' }]);
  assert.equal(
    destination.calls.filter((call) => call.startsWith('upload ')).length,
    1,
    'counted as published: never sent again',
  );
  assert.equal(manager.listCopies()[0]?.filesUploaded, 1);
});
