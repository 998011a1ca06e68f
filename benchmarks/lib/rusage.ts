import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What an external command cost, measured by its parent. */
export interface CommandUsage {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly maxRssMiB: number;
}

// Node cannot read a child's rusage, so a small Python parent runs the
// command and reports getrusage(RUSAGE_CHILDREN): CPU and peak RSS are the
// command's own, not Node's.
const SCRIPT = [
  'import json, resource, subprocess, sys, time',
  't = time.monotonic()',
  'subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)',
  'seconds = time.monotonic() - t',
  'u = resource.getrusage(resource.RUSAGE_CHILDREN)',
  'print(json.dumps({"seconds": seconds, "cpuSeconds": u.ru_utime + u.ru_stime,',
  '                  "maxRssMiB": u.ru_maxrss / 1024}))',
].join('\n');

/** Runs a command (curl, dd) and returns its wall time, CPU time and peak RSS. */
export async function measureCommand(argv: readonly string[]): Promise<CommandUsage> {
  const { stdout } = await run('python3', ['-c', SCRIPT, ...argv], {
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout) as CommandUsage;
}
