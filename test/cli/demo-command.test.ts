import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

/** A demo run takes its seconds of logging plus a few for start, close and check. */
const RUN_TIMEOUT_MS = 60_000;

test(
  'demo logs through winston and pino and finds every line on HDFS exactly once',
  { timeout: RUN_TIMEOUT_MS + 10_000 },
  async () => {
    const result = await runCli(['demo', '--seconds', '3'], {
      timeoutMs: RUN_TIMEOUT_MS,
    });
    const root = /serving (\S+)\n/.exec(result.stdout)?.[1] ?? '';

    assert.equal(result.code, 0, result.stdout + result.stderr);
    const counts = String.raw`[\d,]+ lines \(winston [\d,]+, pino [\d,]+\)`;
    assert.match(
      result.stdout,
      new RegExp(`^Verdict: PASS: all ${counts} arrived exactly once`, 'm'),
    );
    assert.match(
      result.stdout,
      /^ {2}winston\/\n {4}dt=\d{4}-\d{2}-\d{2}\/\n {6}hour=\d{2}\//m,
    );
    assert.match(
      result.stdout,
      /^ {8}pino\.\d{8}T\d{6}Z\.\S+\.log +[\d.]+ (B|KiB) +[\d,]+ lines$/m,
    );
    assert.doesNotMatch(result.stdout, /^ +[._]/m, 'no hidden temporary name is listed');
    assert.equal(existsSync(root), false, 'the temporary directories are removed');
  },
);

test(
  '--keep leaves the server’s root and the spools, and says where they are',
  { timeout: RUN_TIMEOUT_MS + 10_000 },
  async (t) => {
    const result = await runCli(['demo', '--seconds', '1', '--keep'], {
      timeoutMs: RUN_TIMEOUT_MS,
    });
    const dir = /^Kept: (\S+) /m.exec(result.stdout)?.[1];
    if (dir !== undefined) t.after(() => rm(dir, { recursive: true, force: true }));

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(dir !== undefined, result.stdout);
    assert.ok(existsSync(join(dir, 'hdfs', 'demo', 'winston')));
    assert.ok(existsSync(join(dir, 'hdfs', 'demo', 'pino')));
    assert.ok(existsSync(join(dir, 'spool-winston')));
    assert.ok(existsSync(join(dir, 'spool-pino')));
  },
);

test('demo --help names its options, what it needs, and examples', async () => {
  const result = await runCli(['demo', '--help']);

  assert.equal(result.code, 0);
  assert.match(result.stdout, /--seconds N/);
  assert.match(result.stdout, /--keep/);
  assert.match(result.stdout, /npm ci/);
  assert.match(result.stdout, /Examples:\n {2}npm run demo/);
});

test('a bad --seconds is one line and exit code 2, before anything starts', async () => {
  const words = await runCli(['demo', '--seconds', 'soon']);
  const zero = await runCli(['demo', '--seconds', '0']);

  for (const result of [words, zero]) {
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  }
  assert.match(
    words.stderr,
    /^hdfs-log-transport demo: --seconds must be a positive number/,
  );
});
