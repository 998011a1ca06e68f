import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { publishedIds, readPublished } from '../helpers/published.js';
import { CHILD, checkRuns, runChild, setupCrashTest } from '../helpers/crash-child.js';

/** The child's `buffer.size`, and the length of its records with their newline. */
const BUFFER_BYTES = 16 * 1024;
const RECORD_BYTES = JSON.stringify({ id: 1_000_000, msg: 'x'.repeat(60) }).length + 1;
/**
 * A kill loses at most the buffer and one write of it in flight (README,
 * "Guarantees"): in records, at most this many of those already written.
 */
const MAX_LOST = Math.ceil((2 * BUFFER_BYTES) / RECORD_BYTES);

/** Kills a `forever` child at a random moment; returns its last "durable" and "written". */
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
  // 'close', not 'exit': every line the child wrote to the pipe is read.
  await once(child, 'close');
  const last = (what: string) =>
    [...stdout.matchAll(new RegExp(`^${what} (\\d+)$`, 'gm'))]
      .map((m) => Number(m[1]))
      .at(-1) ?? 0;
  return { durable: last('durable'), written: last('written') };
}

test('twenty SIGKILLs at random moments lose only buffered lines and duplicate none', async (t) => {
  const { root, spool, destination } = await setupCrashTest(t);
  const killed: Array<{ durable: number; written: number }> = [];
  for (let run = 0; run < 20; run++)
    killed.push(await killAtRandom(spool, destination, run));
  const durable = killed.map((run) => run.durable);
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
  // And of what it had written, no more than the buffer's worth is missing.
  const lost = killed.map(({ written }, run) => written - (published[run] ?? 0));
  assert.ok(
    lost.every((count) => count <= MAX_LOST),
    `lost per run ${lost.join(',')}; at most ${MAX_LOST} each`,
  );
});
