import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The built command line, as `npx hdfs-log-transport` runs it. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI to completion (bounded by `timeoutMs`). */
export async function runCli(args: string[], timeoutMs = 30_000): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
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
  return {
    child,
    output,
    /** Resolves with the first match of `pattern` in stdout, or rejects after `timeoutMs`. */
    async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output().stdout);
        if (match) return match;
        if (child.exitCode !== null) throw new Error(`CLI exited: ${output().stderr}`);
        if (Date.now() > deadline)
          throw new Error(`no ${String(pattern)} in: ${output().stdout}`);
        await once(child.stdout, 'data');
      }
    },
  };
}

function collect(child: ChildProcess): () => { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return () => ({ stdout, stderr });
}
