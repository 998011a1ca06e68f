import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { publishedIds, readPublished } from '../helpers/published.js';
import { CHILD, checkRuns, runChild, setupCrashTest } from '../helpers/crash-child.js';

/** Kills a `forever` child at a random moment; returns its last "durable <n>". */
async function killAtRandom(spool: string, destination: string, run: number) {
  const child = spawn(
    process.execPath,
    [CHILD, spool, destination, 'forever', String(run)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await once(child.stdout, 'data');
  await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
  child.kill('SIGKILL');
  await once(child, 'exit');
  const durable = [...stdout.matchAll(/^durable (\d+)$/gm)].map((match) =>
    Number(match[1]),
  );
  return durable.at(-1) ?? 0;
}

test('twenty SIGKILLs at random moments lose only buffered lines and duplicate none', async (t) => {
  const { root, spool, destination } = await setupCrashTest(t);
  const durable: number[] = [];
  for (let run = 0; run < 20; run++)
    durable.push(await killAtRandom(spool, destination, run));
  const last = await runChild([spool, destination, 'drain', '99']);
  assert.equal(last.code, 0);

  const counts = checkRuns(publishedIds(await readPublished(root)));
  const left = await Promise.all(
    ['active', 'sealed', 'ready'].map(async (dir) => [
      dir,
      await readdir(join(spool, dir)),
    ]),
  );
  assert.deepEqual(left, [
    ['active', []],
    ['sealed', []],
    ['ready', []],
  ]);
  // Every record a run had on its disk when it was killed is published: only
  // the lines still in its memory buffer may be lost.
  const published = durable.map((_, run) => counts.get(run) ?? 0);
  assert.ok(
    durable.every((count, run) => count > 0 && (published[run] ?? 0) >= count),
    `published per run ${published.join(',')}; durable before the kill ${durable.join(',')}`,
  );
});
