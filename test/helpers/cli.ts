import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The built command line, as `npx hdfs-log-transport` runs it. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunCliOptions {
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** The child's environment, e.g. with `HLT_FAILPOINT`. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs the CLI to completion (bounded by `timeoutMs`). */
export async function runCli(
  args: string[],
  { timeoutMs = 30_000, env = process.env }: RunCliOptions = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    env,
  });
  const output = collect(child);
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, ...output() };
}

/** Starts the CLI in the background; it is killed when the test ends. */
export function startCli(t: TestContext, args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const output = collect(child);
  // 'close' comes once the output is all read, after an exit by code or by signal.
  let closed = false;
  const closing = once(child, 'close').then(() => (closed = true));
  return {
    child,
    output,
    /**
     * Resolves with the first match of `pattern` in stdout; rejects once the
     * CLI has ended without printing it, or after `timeoutMs`.
     */
    async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output().stdout);
        if (match) return match;
        if (closed) {
          const end = child.signalCode ?? `code ${String(child.exitCode)}`;
          throw new Error(
            `CLI ended (${end}) before ${String(pattern)}: ${output().stderr}`,
          );
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${String(pattern)} in: ${output().stdout}`);
        await nextOutput(child, closing, left);
      }
    },
  };
}

/** Waits for more stdout, the end of the CLI, or `ms`, whichever comes first. */
async function nextOutput(child: ChildProcess, closing: Promise<unknown>, ms: number) {
  const done = new AbortController();
  try {
    await Promise.race([
      once(child.stdout ?? child, 'data', { signal: done.signal }),
      closing,
      sleep(ms, undefined, { signal: done.signal }),
    ]);
  } finally {
    // The losers reject with an AbortError, which the race has already handled.
    done.abort();
  }
}

function collect(child: ChildProcess): () => { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return () => ({ stdout, stderr });
}
