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
    checkProgress(result.stdout);
  },
);

/** `  flushing  2.3s  lines 800  sealed 3  uploaded 3 (127.6 KiB)  backlog 0`. */
const PROGRESS_LINE = new RegExp(
  [
    String.raw`^ {2}(\w+) +[\d.]+s`,
    String.raw`lines ([\d,]+)`,
    String.raw`sealed (\d+)`,
    String.raw`uploaded (\d+) \([\d.]+ (?:B|KiB|MiB)\)`,
    String.raw`backlog (\d+)(?: {2}problems \d+)?$`,
  ].join(' {2}'),
  'gm',
);

/**
 * Without a terminal the demo prints its progress line at the end of each
 * phase; the last one, after the final flush, must agree with the verdict.
 */
function checkProgress(stdout: string): void {
  const progress = [...stdout.matchAll(PROGRESS_LINE)].map(
    ([, phase = '', ...counts]) => ({
      phase,
      counts: counts.map((count) => Number(count.replaceAll(',', ''))),
    }),
  );
  const verdict = /arrived exactly once, in ([\d,]+) files?\./.exec(stdout);
  const total = /all ([\d,]+) lines/.exec(stdout)?.[1]?.replaceAll(',', '');

  // A slow phase may print more than one line (one every few seconds).
  const phases = progress
    .map((entry) => entry.phase)
    .filter((phase, i, all) => phase !== all[i - 1]);
  assert.deepEqual(phases, ['logging', 'closing', 'flushing'], stdout);
  const files = Number(verdict?.[1]?.replaceAll(',', ''));
  // lines, sealed, uploaded, backlog
  assert.deepEqual(progress.at(-1)?.counts, [Number(total), files, files, 0], stdout);
}

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
