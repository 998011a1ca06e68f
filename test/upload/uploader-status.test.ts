import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Uploader } from '../../src/upload/uploader.js';
import { MINUTE, START, setupUploader } from './uploader-rig.js';

test('status shows the backlog, its age on the clock, and the last success', async (t) => {
  const { destination, uploader, seal, advance } = await setupUploader(t);
  await seal(1, 'line 1\n', START);
  await seal(2, 'line 2 and more\n', START + MINUTE);
  destination.before = () => {
    throw new Error('connection refused');
  };

  advance(5 * MINUTE);
  await uploader.runCycle();
  const waiting = uploader.status;
  advance(MINUTE);
  const later = uploader.status;
  destination.before = undefined;
  await uploader.runCycle();

  assert.deepEqual(
    {
      pendingSegments: waiting.pendingSegments,
      pendingBytes: waiting.pendingBytes,
      oldestPendingMs: waiting.oldestPendingMs,
      lastSuccess: waiting.lastSuccess,
    },
    {
      pendingSegments: 2,
      pendingBytes: 23,
      oldestPendingMs: 5 * MINUTE,
      lastSuccess: undefined,
    },
  );
  assert.equal(later.oldestPendingMs, 6 * MINUTE, 'the age grows between runs');
  const { pendingSegments, pendingBytes, oldestPendingMs, lastSuccess } = uploader.status;
  assert.deepEqual(
    { pendingSegments, pendingBytes, oldestPendingMs, lastSuccess },
    {
      pendingSegments: 0,
      pendingBytes: 0,
      oldestPendingMs: 0,
      lastSuccess: START + 6 * MINUTE,
    },
  );
});

test('an uploader that does not hold the spool shows its backlog too', async (t) => {
  const { config, destination, uploader: holder, seal } = await setupUploader(t);
  await holder.runCycle();
  const other = new Uploader(config);
  t.after(() => other.stop());
  await seal(1, 'line 1\n');
  destination.before = () => {
    throw new Error('connection refused');
  };

  const summary = await other.runCycle();

  assert.equal(summary.holdsSpool, false);
  assert.equal(summary.pendingSegments, 1);
  const { holdsSpool, pendingSegments, pendingBytes } = other.status;
  assert.deepEqual(
    { holdsSpool, pendingSegments, pendingBytes },
    {
      holdsSpool: false,
      pendingSegments: 1,
      pendingBytes: 7,
    },
  );
});
