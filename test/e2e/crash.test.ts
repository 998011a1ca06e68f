import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FailpointName } from '../../src/failpoints.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { exactlyOnce, publishedIds, readPublished } from '../helpers/published.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const CHILD = fileURLToPath(new URL('../fixtures/shipper-child.js', import.meta.url));
const RUN = 1_000_000;

interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
}

/** Runs the shipper child to its end (or its failpoint), bounded by a timeout. */
async function runChild(
  args: string[],
  env: Record<string, string> = {},
): Promise<ChildRun> {
  const child = spawn(process.execPath, [CHILD, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 60_000,
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code, signal] = (await once(child, 'exit')) as [
    number | null,
    NodeJS.Signals | null,
  ];
  return { code, signal, stdout };
}

async function setup(t: TestContext) {
  const { server, root } = await startTestServer(t);
  const spool = await makeTempDir(t, 'spool-');
  const destination = `webhdfs://${new URL(server.url).host}/logs/{name}`;
  return { root, spool, destination };
}

/** Ids per run, checked: a prefix of the run's sequence, each exactly once. */
function checkRuns(ids: readonly number[]): Map<number, number> {
  const byRun = new Map<number, number[]>();
  for (const id of ids) {
    const run = Math.floor(id / RUN);
    byRun.set(run, [...(byRun.get(run) ?? []), id % RUN]);
  }
  const counts = new Map<number, number>();
  for (const [run, list] of byRun) {
    const count = Math.max(...list) + 1;
    assert.equal(exactlyOnce(list, count), undefined, `run ${run}: no gap, no duplicate`);
    counts.set(run, count);
  }
  return counts;
}

const uploadPoints: FailpointName[] = [
  'after-begin-journal',
  'after-create',
  'after-rename-journal',
  'after-rename',
  'before-local-delete',
];

for (const point of uploadPoints) {
  test(`a SIGKILL at ${point} neither loses nor duplicates a line`, async (t) => {
    const { root, spool, destination } = await setup(t);
    // The second segment's publication is interrupted: one is already done.
    const crashed = await runChild([spool, destination, 'burst', '0', '3000'], {
      HLT_FAILPOINT: `${point}:2`,
    });
    assert.equal(crashed.signal, 'SIGKILL', `the child reached ${point}`);

    const restarted = await runChild([spool, destination, 'drain', '1']);
    assert.equal(restarted.code, 0);

    const files = await readPublished(root);
    assert.equal(exactlyOnce(publishedIds(files), 3000), undefined);
    assert.deepEqual(
      files.filter((file) => file.hidden).map((file) => file.path),
      [],
      'no temporary file is left',
    );
  });
}

for (const [point, compress] of [
  ['mid-seal', ''],
  ['mid-gzip', 'gzip'],
  ['mid-write', ''],
] as const) {
  test(`a SIGKILL at ${point} keeps every line that reached the disk, once`, async (t) => {
    const { root, spool, destination } = await setup(t);
    const crashed = await runChild([spool, destination, 'burst', '0', '3000', compress], {
      HLT_FAILPOINT: `${point}:2`,
    });
    assert.equal(crashed.signal, 'SIGKILL', `the child reached ${point}`);

    const restarted = await runChild([spool, destination, 'drain', '1', '0', compress]);
    assert.equal(restarted.code, 0);

    // Lines the child had written up to its death are kept, in order, without a gap;
    // only its in-memory buffer (16 KiB) may be lost.
    const counts = checkRuns(publishedIds(await readPublished(root)));
    assert.ok((counts.get(0) ?? 0) > 0, 'lines written before the crash are kept');
  });
}

test('twenty SIGKILLs at random moments lose only buffered lines and duplicate none', async (t) => {
  const { root, spool, destination } = await setup(t);
  for (let run = 0; run < 20; run++) {
    const child = spawn(
      process.execPath,
      [CHILD, spool, destination, 'forever', String(run)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await once(child.stdout, 'data');
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  const last = await runChild([spool, destination, 'drain', '99']);
  assert.equal(last.code, 0);

  const counts = checkRuns(publishedIds(await readPublished(root)));
  assert.equal(counts.size, 20, 'every run published lines');
});
