/**
 * Rotation by an external tool against the dev server (issue 5, "Proof"):
 * a rename then a new file, and `mv` run as its own process under a writer
 * that holds the file open and reopens it when told. Every line is
 * published once, and none while a process still writes its file. Every
 * wait is on the manager's events or the writer's answers, bounded.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { waitForEmitted } from '../helpers/wait-for-emitted.js';
import {
  lines,
  readCopies,
  startCopyRig,
  waitForCopyEvents,
  waitForSettledCycle,
} from '../upload/copy-rig.js';

const run = promisify(execFile);

test('a rotation by rename, then a new file: every line published once', async (t) => {
  const { manager, logs, root, job } = await startCopyRig(t);
  const live = join(logs, 'app.log');
  await writeFile(live, lines(0, 50));
  manager.startCopy('app', job({ patterns: join(logs, 'app.log*') }));
  await waitForCopyEvents(manager, 'uploaded', 'the first app.log');

  // What logrotate does without copytruncate: rename, then the program reopens.
  await rename(live, `${live}.1`);
  await writeFile(live, lines(50, 30));
  await waitForCopyEvents(manager, 'uploaded', 'the new app.log', {
    accept: (event) => event.file === live,
  });
  await waitForSettledCycle(manager, 'app');

  const copies = await readCopies(root, 'app');
  assert.equal(copies.size, 2, [...copies.keys()].join(', '));
  assert.equal(copies.get('app.log'), lines(0, 50));
  const [other] = [...copies.keys()].filter((name) => name !== 'app.log');
  assert.match(other ?? '', /^app-[0-9a-f]{8}\.log$/);
  assert.equal(copies.get(other ?? ''), lines(50, 30));
});

/**
 * A program that logs to one path and reopens it when asked (nginx on
 * SIGUSR1, log4j's reconfigure): each stdin line is a command, answered
 * "ok" once done. `write N` appends the next N numbered lines through the
 * descriptor it holds; `reopen` closes it and opens the path again; `close`
 * closes it and exits.
 */
const REOPENING_WRITER = `
const fs = require('node:fs');
const path = process.argv[1];
let fd = fs.openSync(path, 'a');
let next = 0;
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const [verb, count] = line.split(' ');
  if (verb === 'write') {
    for (let i = 0; i < Number(count); i++) fs.writeSync(fd, 'line ' + next++ + '\\n');
  }
  if (verb === 'reopen' || verb === 'close') fs.closeSync(fd);
  if (verb === 'reopen') fd = fs.openSync(path, 'a');
  process.stdout.write('ok\\n');
  if (verb === 'close') process.exit(0);
});
`;

test('a rotation by mv under a live writer: every line once, none while written', async (t) => {
  const { manager, logs, root, job, events } = await startCopyRig(t);
  const live = join(logs, 'app.log');
  const rotated = `${live}.1`;
  const child = spawn(process.execPath, ['-e', REOPENING_WRITER, live]);
  t.after(() => child.kill());
  const replies = createInterface({ input: child.stdout });
  const tell = async (command: string) => {
    const ok = waitForEmitted<string>(
      replies,
      'line',
      `the writer's answer to ${command}`,
    );
    child.stdin.write(`${command}\n`);
    assert.deepEqual(await ok, ['ok']);
  };
  const held = (file: string) =>
    waitForCopyEvents(manager, 'skipped', `${file} skipped while held open`, {
      accept: (skip) =>
        skip.reason === 'open-for-writing' &&
        skip.file === file &&
        skip.pids?.includes(child.pid ?? -1) === true,
    });

  await tell('write 50');
  const heldLive = held(live);
  manager.startCopy('app', job({ patterns: join(logs, 'app.log*') }));
  await heldLive;

  // logrotate without copytruncate: mv, and the program writes on through
  // its old descriptor until it is told to reopen.
  await run('mv', [live, rotated]);
  await tell('write 10');
  await held(rotated);
  assert.equal(events.uploaded.length, 0, 'nothing copied while the writer holds it');

  const rotatedCopy = waitForCopyEvents(manager, 'uploaded', 'app.log.1', {
    accept: (event) => event.file === rotated,
  });
  await tell('reopen');
  await tell('write 30');
  const [first] = await rotatedCopy;
  assert.equal(first?.sourceBytes, lines(0, 60).length);
  await held(live);
  assert.deepEqual(
    events.uploaded.map((event) => event.file),
    [rotated],
    'the new app.log waits for its writer',
  );

  const liveCopy = waitForCopyEvents(manager, 'uploaded', 'the new app.log', {
    accept: (event) => event.file === live,
  });
  await tell('close');
  await once(child, 'exit');
  await liveCopy;
  await waitForSettledCycle(manager, 'app');

  assert.deepEqual(
    [...(await readCopies(root, 'app'))],
    [
      ['app.log', lines(60, 30)],
      ['app.log.1', lines(0, 60)],
    ],
  );
  assert.equal(events.uploaded.length, 2, 'each file published once');
});
