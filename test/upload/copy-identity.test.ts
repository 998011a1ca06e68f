/**
 * A file's identity (device and inode) and how its content relates to the
 * version copied: renamed, grown, shrunk, rewritten in place (with its time
 * put back, too), touched, or known from a state entry without hashes.
 */
import assert from 'node:assert/strict';
import { appendFile, rename, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import {
  EDGE_BYTES,
  identityKey,
  readFileVersion,
  type CopiedVersion,
  type FileVersion,
} from '../../src/upload/copy-identity.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** The version of a regular file at `path`. */
async function versionOf(path: string, copiedVersion: CopiedVersion | undefined) {
  const read = await readFileVersion(path, copiedVersion);
  assert.ok(read !== undefined, `${path} is a regular file`);
  return read;
}

/** A file with `content`, and its version as a copy job would record it. */
async function copied(t: TestContext, content: string) {
  const dir = await makeTempDir(t);
  const path = join(dir, 'app.log');
  await writeFile(path, content);
  const { version } = await versionOf(path, undefined);
  return { dir, path, version };
}

/** Moves the modification time on to a whole second, as a later write would; returns it. */
async function later(path: string, version: FileVersion): Promise<number> {
  const seconds = Math.floor(version.mtimeMs / 1000) + 5;
  await utimes(path, seconds, seconds);
  return seconds * 1000;
}

test('a file never copied is new', async (t) => {
  const dir = await makeTempDir(t);
  await writeFile(join(dir, 'a.log'), 'line\n');
  assert.equal((await versionOf(join(dir, 'a.log'), undefined)).relation, 'new');
});

test('a file renamed by rotation keeps its identity and is unchanged', async (t) => {
  const { path, version } = await copied(t, 'line 1\nline 2\n');

  await rename(path, `${path}.1`);
  const now = await versionOf(`${path}.1`, version);

  assert.equal(identityKey(await stat(`${path}.1`)), `${version.dev}:${version.ino}`);
  assert.equal(now.relation, 'unchanged');
});

test('a file that only grew is grown, small or past the hashed edges', async (t) => {
  for (const size of [20, 3 * EDGE_BYTES]) {
    const { path, version } = await copied(t, 'x'.repeat(size - 1) + '\n');
    await appendFile(path, 'more\n');
    assert.equal((await versionOf(path, version)).relation, 'grown', `${size} bytes`);
  }
});

test('a file that shrank is changed', async (t) => {
  const { path, version } = await copied(t, 'line 1\nline 2\n');
  await truncate(path, 7);
  assert.equal((await versionOf(path, version)).relation, 'changed');
});

test('copytruncate, then new lines past the old length, is changed', async (t) => {
  const { path, version } = await copied(t, '2026-12-03 10:00 first\n');
  await truncate(path, 0);
  await appendFile(path, '2026-12-03 11:00 after the rotation, longer\n');
  assert.equal((await versionOf(path, version)).relation, 'changed');
});

test('a rewrite that keeps the first bytes but not the last is changed', async (t) => {
  // The same header, longer than the hashed head, then other lines: an
  // inode reused by a new file of the same program.
  const header = 'h'.repeat(EDGE_BYTES + 100);
  const { path, version } = await copied(t, `${header}\nold line\n`);
  await writeFile(path, `${header}\nnew line, and then some more\n`);
  assert.equal((await versionOf(path, version)).relation, 'changed');
});

test('a rewrite of the same length with other content is changed', async (t) => {
  const { path, version } = await copied(t, 'aaaa\n');
  await writeFile(path, 'bbbb\n');
  await later(path, version);
  assert.equal((await versionOf(path, version)).relation, 'changed');
});

test('a rewrite of the same inode, length and time with other content is changed', async (t) => {
  // As `cp -p`, `rsync -t` or `tar x` leave a file, here on the copied inode.
  const { path, version: first } = await copied(t, 'aaaa\n');
  const time = await later(path, first);
  const { version } = await versionOf(path, undefined);
  await writeFile(path, 'bbbb\n');
  await utimes(path, time / 1000, time / 1000);

  const now = await versionOf(path, version);

  assert.deepEqual(
    [now.version.ino, now.version.size, now.version.mtimeMs],
    [version.ino, version.size, version.mtimeMs],
    'stat cannot tell them apart',
  );
  assert.equal(now.relation, 'changed');
  assert.notEqual(now.version.headHash, version.headHash);
});

test('a state entry without hashes is judged by length and time, and never grown', async (t) => {
  const { path, version } = await copied(t, 'line 1\n');
  const { headHash, tailHash, ...hashless } = version;

  const same = await versionOf(path, hashless);
  await appendFile(path, 'line 2\n');
  const longer = await versionOf(path, hashless);

  assert.equal(same.relation, 'unchanged');
  assert.deepEqual([same.version.headHash, same.version.tailHash], [headHash, tailHash]);
  assert.equal(longer.relation, 'changed', 'not shown to have only grown');
});

test('a touched file with the same content is unchanged, with its new time', async (t) => {
  const { path, version } = await copied(t, 'line\n');
  const touched = await later(path, version);

  const now = await versionOf(path, version);

  assert.equal(now.relation, 'unchanged');
  assert.equal(now.version.mtimeMs, touched);
});

test('a FIFO in the place of a file is passed over, not waited on', async (t) => {
  // Swapped in between the scan's stat and its open, a FIFO would hold a
  // blocking open until some program wrote to it: the scan would never end.
  const path = join(await makeTempDir(t), 'app.log');
  execFileSync('mkfifo', [path]);
  assert.equal(await readFileVersion(path, undefined), undefined);
});
