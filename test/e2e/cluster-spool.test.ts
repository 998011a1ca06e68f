import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { exactlyOnce, publishedIds, readPublished } from '../helpers/published.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const CHILD = fileURLToPath(new URL('../fixtures/cluster-child.js', import.meta.url));
const RUN = 1_000_000;
const COUNT = 2_000;

interface ClusterReport {
  readonly sockets: number;
  readonly listening: number;
  readonly exitCodes: number[];
}

/** Runs the cluster application to its end, bounded: a worker that hangs fails the test. */
async function runCluster(
  t: TestContext,
  spool: string,
  destination: string,
): Promise<ClusterReport> {
  const child = spawn(process.execPath, [CHILD, spool, destination, String(COUNT)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 30_000,
    killSignal: 'SIGKILL',
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, `primary: ${stdout}`);
  return JSON.parse(stdout) as ClusterReport;
}

/** Ids of both workers mapped to 0..2*COUNT-1, checked exactly once. */
function checkBothWorkers(ids: readonly number[]): void {
  const indexes = ids.map((id) => Math.floor(id / RUN) * COUNT + (id % RUN));
  assert.equal(exactlyOnce(indexes, 2 * COUNT), undefined);
}

test('two node:cluster workers log into one spool: every line published once', async (t) => {
  const { server, root } = await startTestServer(t);
  const spool = await makeTempDir(t, 'spool-');
  const destination = `webhdfs://${new URL(server.url).host}/logs/{name}`;

  const report = await runCluster(t, spool, destination);

  assert.deepEqual(report, { sockets: 2, listening: 2, exitCodes: [0, 0] });
  checkBothWorkers(publishedIds(await readPublished(root)));
  assert.deepEqual(await readdir(join(spool, 'ready')), []);
});

test('in node:cluster workers, an uploader on the main thread takes the spool', async (t) => {
  const spool = await makeTempDir(t, 'spool-');
  const published = await makeTempDir(t, 'published-');

  const report = await runCluster(t, spool, `object:${published}`);

  assert.deepEqual(report, { sockets: 2, listening: 2, exitCodes: [0, 0] });
  checkBothWorkers(publishedIds(await readPublished(published)));
  assert.deepEqual(await readdir(join(spool, 'ready')), []);
});
