import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLoggers } from '../demo/load-loggers.js';
import { runDemo } from '../demo/run-demo.js';
import { CliUsageError } from './cli-error.js';
import type { Command } from './main.js';

const DEFAULT_SECONDS = 20;
const MAX_SECONDS = 3600;
const DEFAULT_RATE = 200;
const MAX_RATE = 100_000;

const help = `Usage: hdfs-log-transport demo [options]

Shows in one command what the package does, end to end. Starts the dev WebHDFS
server on a temporary directory, runs a winston logger and a pino logger that
ship through this package (a segment sealed every 5 s or at 64 KiB, uploads
every 2 s) and shows progress: segments sealed, uploaded, bytes, backlog.
Then it closes both loggers, prints the tree of what landed on HDFS and checks
that every line arrived exactly once. Exit code 0 only if so.

Needs winston and pino installed: they are devDependencies of this package,
so run "npm ci" in a clone first; elsewhere, "npm install winston pino".

Options:
  --seconds N   how long the loggers log (default: ${DEFAULT_SECONDS})
  --rate N      lines per second, per logger (default: ${DEFAULT_RATE})
  --keep        keep the temporary directories (the server's root and the
                spools) and print where they are; kept anyway if the demo fails
  -h, --help    show this help

Ctrl-C stops the logging early: the demo still closes the loggers and checks
what they logged. A second Ctrl-C quits at once.

Examples:
  npm run demo
  hdfs-log-transport demo --seconds 5
  hdfs-log-transport demo --seconds 60 --rate 2000 --keep
`;

export const demoCommand: Command = {
  summary: 'log through winston and pino to a dev server and check every line arrived',
  help,
  async run(args) {
    const { values } = parseCommandLine(args);
    const seconds = parseNumber(
      values.seconds,
      '--seconds',
      DEFAULT_SECONDS,
      MAX_SECONDS,
    );
    const rate = parseNumber(values.rate, '--rate', DEFAULT_RATE, MAX_RATE);

    const loaded = await loadLoggers();
    if ('missing' in loaded) {
      const missing = loaded.missing.join(', ');
      process.stderr.write(
        `hdfs-log-transport demo: needs winston and pino; not installed: ${missing} ` +
          '(in a clone, run "npm ci"; elsewhere, "npm install winston pino")\n',
      );
      return 1;
    }

    const dir = await mkdtemp(join(tmpdir(), 'hdfs-log-transport-demo-'));
    const interrupt = new AbortController();
    const stopLogging = (): void => interrupt.abort();
    process.once('SIGINT', stopLogging);
    let passed = false;
    try {
      passed = await runDemo(loaded.loggers, {
        dir,
        seconds,
        rate,
        output: process.stdout,
        signal: interrupt.signal,
      });
    } finally {
      process.off('SIGINT', stopLogging);
      if (values.keep === true || !passed) {
        const why =
          values.keep === true ? '' : ' for a look, since the demo did not pass';
        process.stdout.write(
          `Kept${why}: ${dir} (hdfs/ is the server's root, spool-*/ the spools)\n`,
        );
      } else {
        await rm(dir, { recursive: true, force: true });
      }
    }
    return passed ? 0 : 1;
  },
};

function parseCommandLine(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        seconds: { type: 'string' },
        rate: { type: 'string' },
        keep: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

/** A positive number from the command line, at most `max`. */
function parseNumber(
  text: string | undefined,
  flag: string,
  fallback: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value <= 0 || value > max) {
    throw new CliUsageError(
      `${flag} must be a positive number up to ${max}; got "${text}"`,
    );
  }
  return value;
}
