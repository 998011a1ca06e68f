import assert from 'node:assert/strict';
import { lstat, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { SpoolStatus } from '../../src/cli/inspect-spool.js';
import { formatSegmentName, parseSegmentName } from '../../src/segment/segment-name.js';
import { createShipper } from '../../src/shipper.js';
import { recordDrops } from '../../src/upload/spool-stats.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { runCli } from '../helpers/cli.js';
import { waitForEvents } from '../helpers/shipper-events.js';
import {
  LINE_BYTES,
  webhdfsDestination,
  writeIds,
  zoneAwayFromHourBoundary,
} from '../helpers/test-shipper.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SEGMENT_BYTES = 8192;
/** Lines in a full segment: the next one would pass `rotate.size`. */
const SEGMENT_LINES = Math.floor(SEGMENT_BYTES / LINE_BYTES);
const ABANDONED_BYTES = 300;
const RETAINED_BYTES = 500;
const DROPPED_AT = Date.UTC(2026, 0, 1);

/**
 * A spool with a bit of everything: two sealed segments waiting (the server
 * refuses), a live writer's open segment, a dead writer's open segment, a
 * retained copy and one drop counted; its uploader runs in this process.
 */
async function prepareSpool(t: TestContext) {
  const { server } = await startTestServer(t, { faults: { refuse: true } });
  const spoolDir = await makeTempDir(t, 'spool-');
  const shipper = createShipper({
    destination: webhdfsDestination(server.url),
    spoolDir,
    rotate: { size: SEGMENT_BYTES, every: '1h', timeZone: zoneAwayFromHourBoundary() },
    upload: { interval: '1h', retries: 1 },
  });
  t.after(() => shipper.close());
  const sealed = waitForEvents(shipper, 'sealed', 'two sealed segments', { count: 2 });
  const firstRun = waitForEvents(shipper, 'cycle', 'the uploader’s first run');
  writeIds(shipper, 0, 2 * SEGMENT_LINES + 10);
  await Promise.all([sealed, firstRun, shipper.drain()]);

  // After the first run, which would have sealed the dead writer's segment.
  const segment = (writerId: string, start: number) =>
    formatSegmentName({ name: 'app', start, host: 'gone', writerId, seq: 0 });
  const abandoned = segment('deadbeef', Date.UTC(2025, 0, 1));
  await writeFile(join(spoolDir, 'active', abandoned), 'x'.repeat(ABANDONED_BYTES));
  const retained = segment('k33pk33p', Date.UTC(2025, 0, 2));
  await writeFile(join(spoolDir, 'retained', retained), 'y'.repeat(RETAINED_BYTES));
  await recordDrops(
    spoolDir,
    [{ segment: 'z', bytes: 1234, reason: 'disk-budget' }],
    DROPPED_AT,
  );
  return { spoolDir };
}

/** Every file and directory under `dir` with its size and times. */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const lines: string[] = [];
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    const info = await lstat(path);
    lines.push(`${relative(dir, path)} ${info.size} ${info.mtimeMs} ${info.ctimeMs}`);
  }
  return lines.sort();
}

test('status --json counts the backlog, active segments, retained copies and drops', async (t) => {
  const { spoolDir } = await prepareSpool(t);
  const before = await snapshot(spoolDir);

  const result = await runCli(['status', '--spool', spoolDir, '--json']);

  assert.equal(result.code, 0, result.stderr);
  const status = JSON.parse(result.stdout) as SpoolStatus;
  const ready = await readdir(join(spoolDir, 'ready'));
  const oldest = Math.min(...ready.map((name) => parseSegmentName(name)?.start ?? 0));
  assert.deepEqual(status.backlog, {
    segments: 2,
    bytes: 2 * SEGMENT_LINES * LINE_BYTES,
    ready: { segments: 2, bytes: 2 * SEGMENT_LINES * LINE_BYTES },
    sealed: { segments: 0, bytes: 0 },
    oldestStart: oldest,
    oldestAgeMs: status.at - oldest,
  });
  assert.deepEqual(status.active, {
    segments: 2,
    bytes: 10 * LINE_BYTES + ABANDONED_BYTES,
    live: 1,
    abandoned: 1,
  });
  assert.deepEqual(status.retained, { segments: 1, bytes: RETAINED_BYTES });
  assert.deepEqual(status.dropped, { segments: 1, bytes: 1234, lastAt: DROPPED_AT });
  assert.deepEqual(status.uploader, { running: true });
  assert.equal(status.spool, spoolDir);
  assert.ok(status.disk.usedBytes >= status.backlog.bytes + status.active.bytes);
  assert.deepEqual(status.problems, []);
  assert.deepEqual(await snapshot(spoolDir), before, 'status changed nothing');
});

test('status prints the same counts as a table', async (t) => {
  const { spoolDir } = await prepareSpool(t);
  const before = await snapshot(spoolDir);

  const result = await runCli(['status', '--spool', spoolDir]);

  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split('\n');
  assert.equal(lines[0], `Spool ${spoolDir}`);
  const row = (label: string) => lines.find((line) => line.startsWith(label)) ?? '';
  assert.match(row('backlog '), /^backlog +2 +15\.8 KiB +oldest opened \w+ ago$/);
  assert.match(row('  ready/ '), /^ {2}ready\/ +2 +15\.8 KiB$/);
  assert.match(
    row('active '),
    /^active +2 +1\.3 KiB +1 with a live writer, 1 abandoned$/,
  );
  assert.match(row('retained '), /^retained +1 +500 B$/);
  assert.match(row('dropped '), /^dropped +1 +1\.2 KiB +the last \w+ ago$/);
  assert.match(result.stdout, /^uploader: running/m);
  assert.deepEqual(await snapshot(spoolDir), before, 'status changed nothing');
});

test('an empty spool without an uploader shows zeros and nulls', async (t) => {
  const spoolDir = await makeTempDir(t, 'spool-');
  const shipper = createShipper({ destination: 'webhdfs://127.0.0.1:9/logs', spoolDir });
  await shipper.close();

  const result = await runCli(['status', '--spool', spoolDir, '--json']);

  assert.equal(result.code, 0, result.stderr);
  const status = JSON.parse(result.stdout) as SpoolStatus;
  assert.equal(status.backlog.segments, 0);
  assert.equal(status.backlog.oldestStart, null);
  assert.equal(status.backlog.oldestAgeMs, null);
  assert.deepEqual(status.dropped, { segments: 0, bytes: 0, lastAt: null });
  assert.deepEqual(status.uploader, { running: false });
});

test('status mistakes are one line and a --help hint, exit code 2', async (t) => {
  const dir = await makeTempDir(t);
  const nowhere = join(dir, 'nowhere');
  const file = join(dir, 'file');
  await writeFile(file, '');
  const results = {
    missing: await runCli(['status']),
    notSpool: await runCli(['status', '--spool', dir]),
    nowhere: await runCli(['status', '--spool', nowhere]),
    file: await runCli(['status', '--spool', file]),
    unknown: await runCli(['status', '--spool', dir, '--yaml']),
  };

  const hint = 'Run "hdfs-log-transport status --help" for usage.';
  const mistakes = Object.values(results).map((result) => {
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    const [mistake, ...rest] = result.stderr.split('\n');
    assert.deepEqual(rest, [hint, ''], 'the mistake, then the hint, nothing else');
    return mistake;
  });
  assert.deepEqual(mistakes.slice(0, 4), [
    'hdfs-log-transport status: --spool is required',
    `hdfs-log-transport status: --spool: ${dir} is not a spool (no ready/ in it)`,
    `hdfs-log-transport status: --spool: ${nowhere} does not exist`,
    `hdfs-log-transport status: --spool: ${file} is not a directory`,
  ]);
  assert.match(
    mistakes[4] ?? '',
    /^hdfs-log-transport status: .*Unknown option '--yaml'/,
  );
  assert.deepEqual(await readdir(dir), ['file'], 'nothing was created');
});

test('status --help explains each count, with examples', async () => {
  const result = await runCli(['status', '--help']);

  assert.equal(result.code, 0);
  assert.match(result.stdout, /--json/);
  assert.match(result.stdout, /dropped/);
  assert.match(result.stdout, /Examples:\n {2}hdfs-log-transport status --spool/);
});
