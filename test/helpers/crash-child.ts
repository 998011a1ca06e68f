/** Child shipper processes for the crash tests, and the checks they share. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { exactlyOnce } from './published.js';
import { makeTempDir } from './temp-dir.js';

export const CHILD = fileURLToPath(
  new URL('../fixtures/shipper-child.js', import.meta.url),
);
const RUN = 1_000_000;

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
}

/** Runs the shipper child to its end (or its failpoint), bounded by a timeout. */
export async function runChild(
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
  // 'close', not 'exit': every line the child wrote to the pipe has been read.
  const [code, signal] = (await once(child, 'close')) as [
    number | null,
    NodeJS.Signals | null,
  ];
  return { code, signal, stdout };
}

/** The last `<mark> <n>` line a child printed (e.g. "durable 1200"), or 0. */
export function lastMark(stdout: string, mark: string): number {
  const lines = [...stdout.matchAll(new RegExp(`^${mark} (\\d+)$`, 'gm'))];
  return Number(lines.at(-1)?.[1] ?? 0);
}

export async function setupCrashTest(t: TestContext) {
  const { server, root } = await startTestServer(t);
  const spool = await makeTempDir(t, 'spool-');
  const destination = `webhdfs://${new URL(server.url).host}/logs/{name}`;
  return { root, spool, destination };
}

/** Ids per run, checked: a prefix of the run's sequence, each exactly once. */
export function checkRuns(ids: readonly number[]): Map<number, number> {
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
