/**
 * A copy job publishes as the uploader does: a failed attempt is retried
 * with backoff (`retry` event), the copy is verified as asked, and every
 * attempt, upload and failure is on the package's diagnostics channels,
 * named by job and file.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { CopyRetryEvent } from '../../src/upload/copy-events.js';
import {
  lines,
  readCopies,
  startCopyRig,
  waitForCopyEvents,
  whenNextUploadStarts,
} from './copy-rig.js';

type Message = Record<string, unknown>;

/** Records what the three channels carry about `job`, until the test ends. */
function recordChannels(t: TestContext, job: string) {
  const seen = { start: [] as Message[], end: [] as Message[], error: [] as Message[] };
  for (const kind of ['start', 'end', 'error'] as const) {
    const name = `hdfs-log-transport:upload:${kind}`;
    const listener = (message: unknown) => {
      if ((message as Message).job === job) seen[kind].push(message as Message);
    };
    diagnostics.subscribe(name, listener);
    t.after(() => diagnostics.unsubscribe(name, listener));
  }
  return seen;
}

test('a failed attempt is retried, then the copy is published and checksummed', async (t) => {
  const rig = await startCopyRig(t);
  const channels = recordChannels(t, 'app');
  // Once the first attempt starts, its CREATE meets a proxy's 503.
  whenNextUploadStarts(() => {
    rig.server.setFaults({ unavailable: 1 });
  });
  const retries: CopyRetryEvent[] = [];
  rig.manager.on('retry', (event) => retries.push(event));
  const file = join(rig.logs, 'app.log');
  await writeFile(file, lines(0, 100));
  const uploaded = waitForCopyEvents(rig.manager, 'uploaded', 'the copy');
  rig.manager.startCopy(
    'app',
    rig.job({ patterns: file, retries: 2, verify: 'checksum' }),
  );
  const [event] = await uploaded;

  assert.deepEqual(
    retries.map(({ job, file, attempt, error }) => [job, file, attempt, error.status]),
    [['app', file, 1, 503]],
  );
  assert.equal(event?.outcome, 'published');
  assert.equal(event.verification, 'checksum');
  assert.deepEqual(
    [...(await readCopies(rig.root, 'app'))],
    [['app.log', lines(0, 100)]],
  );
  assert.deepEqual(rig.events.errors, [], 'the retry was enough');

  assert.deepEqual(
    channels.start.map(({ file, path, attempt }) => [file, path, attempt]),
    [
      [file, '/logs/app/app.log', 1],
      [file, '/logs/app/app.log', 2],
    ],
  );
  assert.deepEqual(
    channels.end.map(({ file, path, verification }) => [file, path, verification]),
    [[file, '/logs/app/app.log', 'checksum']],
  );
  assert.deepEqual(channels.error, []);
});

test('attempts used up: the error names the job and file, the next run publishes', async (t) => {
  const rig = await startCopyRig(t);
  const channels = recordChannels(t, 'app');
  whenNextUploadStarts(() => {
    rig.server.setFaults({ unavailable: 2 });
  });
  const file = join(rig.logs, 'app.log');
  await writeFile(file, lines(0, 100));
  const uploaded = waitForCopyEvents(rig.manager, 'uploaded', 'the copy');
  rig.manager.startCopy('app', rig.job({ patterns: file, retries: 2 }));
  await uploaded;

  assert.deepEqual(
    rig.events.errors.map(({ job, file, status }) => [job, file, status]),
    [['app', file, 503]],
  );
  assert.deepEqual(
    channels.error.map(({ file, segment, error }) => [file, segment, error]),
    [[file, file, rig.events.errors[0]]],
  );
  assert.deepEqual(
    channels.start.map(({ attempt }) => attempt),
    [1, 2, 1],
    'two attempts in the first run, one in the next',
  );
  assert.equal(channels.end.length, 1);
});
