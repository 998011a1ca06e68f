/**
 * Copy jobs against the dev server over real sockets (issue 5, "Proof"):
 * several jobs at once, start/stop/list while they run, a file written
 * slowly by another process, a restart (rotation is in
 * copy-rotation.test.ts, `flatten` clashes in
 * test/upload/copy-layout.test.ts). Every wait is on the manager's own
 * events, bounded.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { CopyJobError } from '../../src/errors.js';
import {
  lines,
  readCopies,
  startCopyRig,
  waitForCopyEvents,
  waitForSettledCycle,
} from '../upload/copy-rig.js';

test('runs several jobs at once, each on its own interval', async (t) => {
  const { manager, logs, root, job } = await startCopyRig(t);
  await mkdir(join(logs, 'all'));
  await mkdir(join(logs, 'errors'));
  await writeFile(join(logs, 'all', 'app.log'), lines(0, 10));
  await writeFile(join(logs, 'errors', 'error.log'), lines(0, 3, 'error'));

  const cycles = waitForCopyEvents(manager, 'cycle', 'four runs of the slow job', {
    accept: (cycle) => cycle.job === 'errors',
    count: 4,
  });
  manager.startCopy('all', job({ patterns: join(logs, 'all', '*.log'), interval: 200 }));
  manager.startCopy(
    'errors',
    job({ patterns: join(logs, 'errors', '*.log'), interval: 50 }),
  );
  await cycles;

  const runs = (name: string) => manager.listCopies().find((job) => job.name === name);
  assert.deepEqual(
    manager.listCopies().map((status) => [status.name, status.state, status.interval]),
    [
      ['all', 'running', 200],
      ['errors', 'running', 50],
    ],
  );
  await waitForSettledCycle(manager, 'all');
  await waitForSettledCycle(manager, 'errors');
  assert.deepEqual([...(await readCopies(root, 'all'))], [['app.log', lines(0, 10)]]);
  assert.deepEqual(
    [...(await readCopies(root, 'errors'))],
    [['error.log', lines(0, 3, 'error')]],
  );
  assert.equal(runs('all')?.filesUploaded, 1);
  assert.equal(runs('errors')?.bytesUploaded, lines(0, 3, 'error').length);
});

test('each job keeps its own interval between runs', async (t) => {
  const { manager, logs, job } = await startCopyRig(t);
  const ends = new Map<string, number[]>([
    ['fast', []],
    ['slow', []],
  ]);
  manager.on('cycle', (cycle) => ends.get(cycle.job)?.push(performance.now()));
  const slowRuns = waitForCopyEvents(manager, 'cycle', 'three runs of the slow job', {
    accept: (cycle) => cycle.job === 'slow',
    count: 3,
  });
  manager.startCopy('fast', job({ patterns: join(logs, 'a', '*'), interval: 40 }));
  manager.startCopy('slow', job({ patterns: join(logs, 'b', '*'), interval: 250 }));
  await slowRuns;

  const gaps = (times: readonly number[]) =>
    times
      .slice(1)
      .map((at, i) => at - (times[i] ?? 0))
      .sort((a, b) => a - b);
  const slow = gaps(ends.get('slow') ?? []);
  const fast = gaps(ends.get('fast') ?? []);
  // A run starts an interval after the previous one ended: never sooner.
  assert.ok((slow[0] ?? 0) >= 240, `slow waits 250 ms: ${slow.join(', ')}`);
  assert.ok(fast.length >= 2, 'fast ran meanwhile');
  const median = fast[Math.floor(fast.length / 2)] ?? Infinity;
  assert.ok(median < (slow[0] ?? 0), `fast runs more often: ${fast.join(', ')}`);
});

test('starts, stops and lists jobs while running; a running name cannot start', async (t) => {
  const { manager, logs, root, job } = await startCopyRig(t);
  const options = job({ patterns: join(logs, 'a-*.log') });
  manager.startCopy('a', options);
  manager.startCopy('b', job({ patterns: join(logs, 'b-*.log') }));
  assert.throws(
    () => manager.startCopy('a', options),
    (error: unknown) => {
      assert.ok(error instanceof CopyJobError);
      assert.equal(error.code, 'ERR_COPY_JOB');
      assert.match(error.message, /"a".*already running/);
      return true;
    },
  );

  await writeFile(join(logs, 'a-1.log'), lines(0, 5));
  await waitForCopyEvents(manager, 'uploaded', 'a-1.log', {
    accept: (event) => event.job === 'a',
  });
  await manager.stopCopy('a', { timeout: '1s' });
  const stopped = manager.listCopies().find((status) => status.name === 'a');
  assert.equal(stopped?.state, 'stopped');
  assert.equal(stopped.nextRun, undefined);
  assert.equal(
    manager.listCopies().find((status) => status.name === 'b')?.state,
    'running',
  );

  // Stopped: a's new file waits while b goes on copying.
  await writeFile(join(logs, 'a-2.log'), lines(5, 5));
  await writeFile(join(logs, 'b-1.log'), lines(0, 2));
  await waitForCopyEvents(manager, 'uploaded', 'b-1.log', {
    accept: (event) => event.job === 'b',
  });
  assert.deepEqual([...(await readCopies(root, 'a')).keys()], ['a-1.log']);

  manager.startCopy('a', options);
  await waitForCopyEvents(manager, 'uploaded', 'a-2.log after the restart', {
    accept: (event) => event.job === 'a' && event.file.endsWith('a-2.log'),
  });
  assert.deepEqual([...(await readCopies(root, 'a')).keys()], ['a-1.log', 'a-2.log']);
  await assert.rejects(manager.stopCopy('nope'), CopyJobError);
});

/**
 * A child that appends a line every 40 ms until it reads "stop", keeps the
 * file open until it reads "close", then prints how many lines it wrote.
 */
const SLOW_WRITER = `
const fs = require('node:fs');
const fd = fs.openSync(process.argv[1], 'a');
let i = 0;
const timer = setInterval(() => fs.writeSync(fd, 'line ' + i++ + '\\n'), 40);
process.stdin.on('data', (command) => {
  if (String(command).includes('stop')) clearInterval(timer);
  if (!String(command).includes('close')) return;
  fs.closeSync(fd);
  process.stdout.write(String(i));
  process.exit(0);
});
`;

test('does not copy a file another process is still writing', async (t) => {
  const { manager, logs, root, job, events } = await startCopyRig(t);
  const path = join(logs, 'slow.log');
  await writeFile(path, '');
  const child = spawn(process.execPath, ['-e', SLOW_WRITER, path]);
  t.after(() => child.kill());
  let written = '';
  child.stdout.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const skipped = (reason: string) =>
    waitForCopyEvents(manager, 'skipped', `a ${reason} skip`, {
      accept: (event) => event.reason === reason && event.file === path,
    });

  const changing = skipped('not-quiet');
  manager.startCopy('slow', job({ patterns: path, interval: 50, quietPeriod: 300 }));
  await changing;
  const held = skipped('open-for-writing');
  child.stdin.write('stop\n');
  // Quiet for the quiet period now, but still open for writing.
  const [skip] = await held;
  assert.deepEqual(skip?.pids, [child.pid]);
  assert.equal(events.uploaded.length, 0, 'nothing copied while the writer holds it');

  const uploaded = waitForCopyEvents(manager, 'uploaded', 'the complete file');
  child.stdin.write('close\n');
  await once(child, 'exit');
  const [event] = await uploaded;

  const count = Number(written);
  assert.ok(count > 0);
  assert.equal(event?.sourceBytes, lines(0, count).length);
  assert.deepEqual(
    [...(await readCopies(root, 'slow'))],
    [['slow.log', lines(0, count)]],
  );
  // 'incomplete' where some process's descriptors are hidden even from root
  // (a PID 1 outside our user namespace): what matters is that it looked.
  assert.ok(
    ['complete', 'incomplete'].includes(manager.listCopies()[0]?.procCheck ?? ''),
  );
});

test('a restarted manager with the same state copies nothing again', async (t) => {
  const { manager, logs, root, job, restart } = await startCopyRig(t);
  await writeFile(join(logs, 'a.log'), lines(0, 10));
  await writeFile(join(logs, 'b.log'), lines(10, 10));
  const options = job({ patterns: join(logs, '*.log') });
  manager.startCopy('app', options);
  await waitForCopyEvents(manager, 'uploaded', 'both files', { count: 2 });
  await manager.stopAllCopies();

  const again = restart();
  const settled = waitForSettledCycle(again.manager, 'app');
  again.manager.startCopy('app', options);
  const [cycle] = await settled;
  assert.equal(cycle?.matched, 2);
  assert.deepEqual(again.events.uploaded, []);
  assert.deepEqual([...(await readCopies(root, 'app')).keys()], ['a.log', 'b.log']);
});
