/**
 * One scan on an injected clock: when a file counts as quiet, and which
 * files are left out (empty, a second name of one file, the job's own
 * state, a file already copied), and that a copied file's length and time
 * are not taken for its content.
 */
import assert from 'node:assert/strict';
import { link, mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { readFileVersion } from '../../src/upload/copy-identity.js';
import { QuietWatch, scanFiles } from '../../src/upload/copy-scan.js';
import { CopyState } from '../../src/upload/copy-state.js';
import { resolveCopyJob } from '../../src/upload/resolve-copy-job.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const QUIET = 60_000;

test('a file seen for the first time is judged by its modification time', () => {
  const watch = new QuietWatch();
  const stats = { size: 10, mtimeMs: 1_000_000 };
  assert.equal(watch.quietFor('/a', stats, 1_000_000 + QUIET), QUIET);
});

test('a change seen later counts from when it was seen, whatever the file says', () => {
  const watch = new QuietWatch();
  watch.quietFor('/a', { size: 10, mtimeMs: 1000 }, 500_000);
  // A writer whose clock is behind: the new time is old, but we saw it change now.
  assert.equal(watch.quietFor('/a', { size: 20, mtimeMs: 2000 }, 600_000), 0);
  assert.equal(watch.quietFor('/a', { size: 20, mtimeMs: 2000 }, 650_000), 50_000);
});

async function setup(t: TestContext) {
  const dir = await makeTempDir(t);
  const logs = join(dir, 'logs');
  await mkdir(logs);
  const job = resolveCopyJob(
    'app',
    {
      patterns: join(logs, '**'),
      destination: `file://${dir}/published/{name}`,
      quietPeriod: QUIET,
    },
    // The job's state below its own pattern: it must not copy itself.
    join(logs, 'state'),
  );
  const state = await CopyState.load('app', job.files.stateFile);
  const watch = new QuietWatch();
  const scan = (now: number) =>
    scanFiles({ job, state, watch, now, signal: new AbortController().signal });
  return { logs, job, state, scan };
}

test('copies a file only once it has been quiet for the quiet period', async (t) => {
  const { logs, scan } = await setup(t);
  await writeFile(join(logs, 'a.log'), 'line\n');
  const { mtimeMs } = await stat(join(logs, 'a.log'));

  const early = await scan(mtimeMs + QUIET - 1);
  const ready = await scan(mtimeMs + QUIET);

  assert.deepEqual(early.candidates, []);
  assert.deepEqual(
    early.skipped.map((skip) => [skip.reason, skip.detail]),
    [['not-quiet', 'changed 59s999ms ago; quiet period 1m']],
  );
  assert.deepEqual(
    ready.candidates.map((candidate) => [candidate.file, candidate.relation]),
    [[join(logs, 'a.log'), 'new']],
  );
});

test('leaves out empty files, second names, its own state and what was copied', async (t) => {
  const { logs, job, state, scan } = await setup(t);
  await writeFile(join(logs, 'empty.log'), '');
  await writeFile(join(logs, 'a.log'), 'a\n');
  await link(join(logs, 'a.log'), join(logs, 'a-link.log'));
  await writeFile(join(logs, 'b.log'), 'b\n');
  await mkdir(job.files.stagedDir, { recursive: true });
  await writeFile(join(job.files.stagedDir, 'snapshot'), 'x\n');
  await state.save();
  const { version } =
    (await readFileVersion(join(logs, 'b.log'), undefined)) ??
    assert.fail('not a regular file');
  state.files.set(`${version.dev}:${version.ino}`, {
    version,
    path: '/published/app/b.log',
    placedAt: 0,
    source: join(logs, 'b.log'),
    lastSeen: 0,
  });

  const result = await scan(Date.now() + 2 * QUIET);

  assert.equal(result.matched, 6);
  const files = result.candidates.map((candidate) => candidate.file);
  assert.equal(files.length, 1, 'a.log once, under whichever name the crawl met first');
  assert.ok([join(logs, 'a.log'), join(logs, 'a-link.log')].includes(files[0] ?? ''));
  assert.deepEqual(result.skipped, []);
});

test('a copied file rewritten with its length and time kept is copied again', async (t) => {
  const { logs, state, scan } = await setup(t);
  const path = join(logs, 'a.log');
  // A whole second, which utimes can put back exactly.
  const mtime = new Date(Math.floor(Date.now() / 1000) * 1000);
  await writeFile(path, 'first\n');
  await utimes(path, mtime, mtime);
  const { version } =
    (await readFileVersion(path, undefined)) ?? assert.fail('not a regular file');
  state.files.set(`${version.dev}:${version.ino}`, {
    version,
    path: '/published/app/a.log',
    placedAt: 0,
    source: path,
    lastSeen: 0,
  });
  const untouched = await scan(version.mtimeMs + 2 * QUIET);

  await writeFile(path, 'other\n');
  await utimes(path, mtime, mtime);
  const rewritten = await scan(version.mtimeMs + 3 * QUIET);

  assert.deepEqual(untouched.candidates, []);
  const { size, mtimeMs } = await stat(path);
  assert.deepEqual([size, mtimeMs], [version.size, version.mtimeMs], 'same stat');
  assert.deepEqual(
    rewritten.candidates.map((candidate) => [candidate.file, candidate.relation]),
    [[path, 'changed']],
  );
});
