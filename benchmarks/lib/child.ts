import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs one of the benchmark's scripts in a Node process of its own, so that
 * its CPU time and peak RSS are its own, and parses the JSON it prints last.
 * A crash or a timeout comes back as `{ error }` instead of ending the run.
 */
export async function runNodeChild<T extends object>(
  script: string,
  args: readonly string[],
  options: { timeoutMs?: number; nodeFlags?: readonly string[] } = {},
): Promise<T | { error: string }> {
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
  try {
    const { stdout } = await run(
      process.execPath,
      [...(options.nodeFlags ?? []), path, ...args],
      { timeout: options.timeoutMs ?? 300_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const last = stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(last) as T;
  } catch (error) {
    const failure = error as Error & { stderr?: string; killed?: boolean };
    if (failure.killed === true) return { error: 'timed out' };
    return { error: describeCrash(failure.stderr ?? '') || failure.message };
  }
}

/** Narrows a child's answer. */
export function isFailure(value: object): value is { error: string } {
  return 'error' in value && typeof value.error === 'string';
}

/** The line of a crash's stderr that names the error, shortened for a table. */
function describeCrash(stderr: string): string {
  const lines = stderr.trim().split('\n');
  const named = lines.find((line) => /^\w*Error\b|^Error:/.test(line.trim()));
  const line = (named ?? lines.at(-1) ?? '').trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
