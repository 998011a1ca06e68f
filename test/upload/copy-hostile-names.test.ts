/**
 * Files with hostile names beside normal ones, copied to the dev server:
 * every file is published under a safe, visible name inside the job's
 * directory, or refused and reported once (a link that leads out of its
 * pattern's base), while the others are copied; a restart neither reports
 * nor uploads anything again.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { CopyJobOptions } from '../../src/upload/copy-options.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import {
  lines,
  readCopies,
  startCopyRig,
  waitForSettledCycle,
  type CopyRig,
} from './copy-rig.js';

/** Writes a file last changed an hour ago: quiet at once. */
async function writeQuietFile(path: string, content: string): Promise<void> {
  await writeFile(path, content);
  const anHourAgo = new Date(Date.now() - 3_600_000);
  await utimes(path, anHourAgo, anHourAgo);
}

/** Every entry under the dev server's root, relative to it. */
async function listRoot(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Stops the rig's manager, runs the job in another on the same state, one settled run. */
async function restartSettled(rig: CopyRig, job: CopyJobOptions) {
  await rig.manager.stopAllCopies({ timeout: '1s' });
  const again = rig.restart();
  const settled = waitForSettledCycle(again.manager, 'app');
  again.manager.startCopy('app', job);
  await settled;
  return again;
}

// 255 bytes, the most a local file system (and HDFS) takes for one name.
const LONG = `${'l'.repeat(251)}.log`;
const LONG_HIDDEN = `_${'h'.repeat(250)}.log`;

test('hostile names are published under safe, visible, confined names', async (t) => {
  const rig = await startCopyRig(t);
  const files: Record<string, string> = {
    'normal.log': lines(0, 3),
    'new\nline.log': lines(10, 3),
    'esc\u001b[31m.log': lines(20, 3),
    'c1\u009b.log': lines(30, 3),
    'a:b.log': lines(40, 3),
    '.hidden.log': lines(50, 3),
    _SUCCESS: lines(60, 3),
    [LONG]: lines(70, 3),
    [LONG_HIDDEN]: lines(80, 3),
    '_tmp/in\rner.log': lines(90, 3),
  };
  await mkdir(join(rig.logs, '_tmp'));
  for (const [name, content] of Object.entries(files)) {
    await writeQuietFile(join(rig.logs, name), content);
  }
  const settled = waitForSettledCycle(rig.manager, 'app');
  // `**` leaves dot files out, as a shell does: the plain path names one.
  const job = rig.job({
    patterns: [join(rig.logs, '**'), join(rig.logs, '.hidden.log')],
  });
  rig.manager.startCopy('app', job);
  await settled;

  const copies = await readCopies(rig.root, 'app');
  const byContent = new Map([...copies].map(([name, content]) => [content, name]));
  const published = (name: string) => byContent.get(files[name] ?? '');
  assert.equal(published('normal.log'), 'normal.log');
  assert.equal(published('new\nline.log'), 'new_line.log');
  assert.equal(published('esc\u001b[31m.log'), 'esc_[31m.log');
  assert.equal(published('c1\u009b.log'), 'c1_.log');
  assert.equal(published('a:b.log'), 'a_b.log');
  assert.equal(published('.hidden.log'), 'x.hidden.log');
  assert.equal(published('_SUCCESS'), 'x_SUCCESS');
  assert.equal(published('_tmp/in\rner.log'), join('x_tmp', 'in_ner.log'));
  for (const long of [LONG, LONG_HIDDEN]) {
    const name = published(long) ?? '';
    // Room is left for the hidden temporary name `.<name>.<attempt>.inprogress`.
    assert.ok(Buffer.byteLength(name) <= 230, `${name.length} bytes`);
    assert.match(name, /^[lxh_]+-[0-9a-f]{8}\.log$/);
  }
  assert.equal(copies.size, Object.keys(files).length, 'each file copied once');
  assert.deepEqual(rig.events.errors, []);
  const outside = (await listRoot(rig.root)).filter(
    (path) => path !== 'logs' && !path.startsWith(join('logs', 'app')),
  );
  assert.deepEqual(outside, [], 'nothing outside the job directory');

  const again = await restartSettled(rig, job);
  assert.deepEqual(again.events.uploaded, [], 'nothing uploaded twice');
  assert.deepEqual(again.events.errors, []);
  assert.deepEqual(await readCopies(rig.root, 'app'), copies);
});

test('a link out of the pattern base is refused once; the rest is copied', async (t) => {
  const rig = await startCopyRig(t);
  const secrets = await makeTempDir(t, 'copy-secrets-');
  await writeQuietFile(join(secrets, 'shadow'), 'root:secret\n');
  await mkdir(join(secrets, 'keys'));
  await writeQuietFile(join(secrets, 'keys', 'id.log'), 'private key\n');
  await writeQuietFile(join(rig.logs, 'app.log'), lines(0, 5));
  await mkdir(join(rig.logs, 'old'));
  await writeQuietFile(join(rig.logs, 'old', 'app.log.1'), lines(5, 5));
  await symlink(join(secrets, 'shadow'), join(rig.logs, 'shadow.log'));
  await symlink(join(secrets, 'keys'), join(rig.logs, 'keys'));
  // A link that stays inside the base is the file it names, copied once.
  await symlink(join(rig.logs, 'app.log'), join(rig.logs, 'current.log'));
  const settled = waitForSettledCycle(rig.manager, 'app');
  const job = rig.job({ patterns: join(rig.logs, '**', '*.log*') });
  rig.manager.startCopy('app', job);
  await settled;

  const copies = await readCopies(rig.root, 'app');
  assert.deepEqual([...copies.values()].sort(), [lines(0, 5), lines(5, 5)].sort());
  const refused = rig.events.errors.map((error) => [error.file, error.code]).sort();
  assert.deepEqual(refused, [
    [join(rig.logs, 'keys', 'id.log'), 'ERR_COPY_OUTSIDE_BASE'],
    [join(rig.logs, 'shadow.log'), 'ERR_COPY_OUTSIDE_BASE'],
  ]);
  assert.match(rig.events.errors[0]?.message ?? '', /outside .*copy-logs-/);
  const [status] = rig.manager.listCopies();
  assert.equal(status?.lastError?.code, 'ERR_COPY_OUTSIDE_BASE');
  assert.equal(status.pending, 0, 'a refused file does not wait for anything');

  const again = await restartSettled(rig, job);
  assert.deepEqual(again.events.uploaded, [], 'nothing uploaded twice');
  assert.deepEqual(again.events.errors, [], 'nothing reported twice');
});
