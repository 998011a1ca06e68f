/**
 * The state file: written atomically, read back whole, one written before
 * hashes were kept still serves, and a job whose state cannot be read fails
 * instead of copying everything again.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { CopyStateError } from '../../src/errors.js';
import { readFileVersion } from '../../src/upload/copy-identity.js';
import { createCopyManager } from '../../src/upload/copy-manager.js';
import { CopyState, FORGET_UNSEEN_MS } from '../../src/upload/copy-state.js';
import { waitFor } from '../dev-hdfs/fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import {
  lines,
  startCopyRig,
  waitForCopyEvents,
  waitForSettledCycle,
} from './copy-rig.js';

const VERSION = {
  dev: 1,
  ino: 2,
  size: 10,
  mtimeMs: 1000,
  headHash: 'a'.repeat(32),
  tailHash: 'b'.repeat(32),
};

const STAGED = {
  key: '1-2-abcd',
  identity: '1:2',
  version: VERSION,
  source: '/var/log/app.log',
  bytes: 10,
  path: '/logs/app/app.log',
  placedAt: 1000,
  replace: false,
};

test('a missing state file is an empty state', async (t) => {
  const state = await CopyState.load('app', join(await makeTempDir(t), 'app.json'));
  assert.equal(state.files.size, 0);
  assert.equal(state.staged.size, 0);
});

test('saves atomically and reads back what was published and what waits', async (t) => {
  const dir = await makeTempDir(t);
  const file = join(dir, 'app.json');
  const state = await CopyState.load('app', file);
  state.staged.set(STAGED.key, STAGED);
  state.staged.set('other', { ...STAGED, key: 'other', identity: '1:3', path: '/x' });
  state.markPublished(STAGED.key, 5000);
  await state.save();

  const again = await CopyState.load('app', file);

  assert.deepEqual(await readdir(dir), ['app.json'], 'no temporary file left');
  assert.deepEqual(again.files.get('1:2'), {
    version: VERSION,
    path: '/logs/app/app.log',
    placedAt: 1000,
    source: '/var/log/app.log',
    lastSeen: 5000,
  });
  assert.deepEqual([...again.staged.keys()], ['other']);
  assert.equal(again.ownerOf('/logs/app/app.log'), '1:2');
  assert.equal(again.ownerOf('/x'), '1:3');
  assert.equal(again.isStaged('1:3'), true);
  const saved = JSON.parse(await readFile(file, 'utf8')) as { version: number };
  assert.equal(saved.version, 1);
});

test('forgets a file no scan has matched for a week', async (t) => {
  const state = await CopyState.load('app', join(await makeTempDir(t), 'app.json'));
  state.staged.set(STAGED.key, STAGED);
  state.markPublished(STAGED.key, 0);

  assert.equal(state.forgetUnseen(FORGET_UNSEEN_MS - 1), false);
  assert.equal(state.noteSeen('1:2', FORGET_UNSEEN_MS - 1), true);
  assert.equal(state.forgetUnseen(2 * FORGET_UNSEEN_MS - 2), false);
  assert.equal(state.forgetUnseen(2 * FORGET_UNSEEN_MS), true);
  assert.equal(state.files.size, 0);
});

test('a refusal is news once per reason, across a reload, and is forgotten', async (t) => {
  const file = join(await makeTempDir(t), 'app.json');
  // Written before refusals were remembered: no `refused` key.
  await writeFile(file, '{"version":1,"job":"app","files":{},"staged":{}}');
  const state = await CopyState.load('app', file);
  assert.equal(state.noteRefused('1:2', 'outside /var/log', 0), true);
  assert.equal(state.noteRefused('1:2', 'outside /var/log', 1), false);
  await state.save();

  const again = await CopyState.load('app', file);
  assert.equal(again.noteRefused('1:2', 'outside /var/log', 2), false);
  assert.equal(again.noteRefused('1:2', 'outside /srv/log', 3), true, 'a new reason');
  again.noteAllowed('1:2');
  assert.equal(again.noteRefused('1:2', 'outside /srv/log', 4), true, 'allowed since');
  assert.equal(again.forgetUnseen(4 + FORGET_UNSEEN_MS), true);
  assert.equal(again.noteRefused('1:2', 'outside /srv/log', 5), true, 'forgotten');
});

test('a state file without hashes loads; its unchanged files get hashes, no copy', async (t) => {
  const { manager, logs, stateDir, job, events } = await startCopyRig(t);
  const path = join(logs, 'app.log');
  await writeFile(path, lines(0, 3));
  const anHourAgo = new Date(Date.now() - 3_600_000);
  await utimes(path, anHourAgo, anHourAgo);
  const { dev, ino, size, mtimeMs } = await stat(path);
  const identity = `${dev}:${ino}`;
  const copied = {
    version: { dev, ino, size, mtimeMs },
    path: '/logs/app/app.log',
    placedAt: mtimeMs,
    source: path,
    lastSeen: Date.now(),
  };
  const file = join(stateDir, 'app.json');
  const document = { version: 1, job: 'app', files: { [identity]: copied }, staged: {} };
  await writeFile(file, JSON.stringify(document));
  const settled = waitForSettledCycle(manager, 'app');

  manager.startCopy('app', job({ patterns: path }));
  await settled;

  assert.deepEqual(events.uploaded, []);
  const saved = JSON.parse(await readFile(file, 'utf8')) as typeof document;
  const { version } = (await readFileVersion(path, undefined)) ?? assert.fail('a file');
  assert.deepEqual(saved.files[identity]?.version, version, 'hashes recorded');
});

test('a state file that is not one fails to load with its path', async (t) => {
  const dir = await makeTempDir(t);
  for (const [text, why] of [
    ['{"version":1,"files":{', /not valid JSON/],
    ['{"version":2,"files":{},"staged":{}}', /not a copy job state file/],
  ] as const) {
    const file = join(dir, 'app.json');
    await writeFile(file, text);
    await assert.rejects(CopyState.load('app', file), (error: unknown) => {
      assert.ok(error instanceof CopyStateError);
      assert.equal(error.code, 'ERR_COPY_STATE');
      assert.equal(error.file, file);
      assert.match(error.message, why);
      return true;
    });
  }
});

test('a job whose state cannot be read fails and copies nothing', async (t) => {
  const { manager, logs, stateDir, job, events } = await startCopyRig(t);
  await writeFile(join(logs, 'a.log'), lines(0, 3));
  await writeFile(join(stateDir, 'app.json'), 'garbage');
  const failed = waitForCopyEvents(manager, 'error', 'the job failing');

  manager.startCopy('app', job({ patterns: join(logs, '*.log') }));
  const [error] = await failed;

  assert.ok(error instanceof CopyStateError);
  const [status] = manager.listCopies();
  assert.equal(status?.state, 'failed');
  assert.equal(status.lastError?.code, 'ERR_COPY_STATE');
  assert.deepEqual(events.uploaded, []);
  // A failed job's name may be started again once its state is mended.
  await writeFile(
    join(stateDir, 'app.json'),
    '{"version":1,"job":"app","files":{},"staged":{}}',
  );
  manager.startCopy('app', job({ patterns: join(logs, '*.log') }));
  await waitForCopyEvents(manager, 'uploaded', 'a.log after the repair');
});

test('without an error listener, a failing job throws nothing into the application', async (t) => {
  const stateDir = await makeTempDir(t);
  await writeFile(join(stateDir, 'app.json'), 'garbage');
  const manager = createCopyManager({ stateDir });

  // An `error` emitted without a listener would throw out of the job's timer
  // and end this process.
  manager.startCopy('app', {
    patterns: join(stateDir, '*.log'),
    destination: 'file:///x/{name}',
  });
  await waitFor(() => manager.listCopies()[0]?.state === 'failed', 'the job failing');

  assert.equal(manager.listCopies()[0]?.lastError?.code, 'ERR_COPY_STATE');
});
