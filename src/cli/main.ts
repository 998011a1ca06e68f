#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HdfsLogTransportError } from '../errors.js';
import { CliUsageError } from './cli-error.js';
import { demoCommand } from './demo-command.js';
import { devHdfsCommand } from './dev-hdfs-command.js';
import { flushCommand } from './flush-command.js';
import { shipCommand } from './ship-command.js';
import { statusCommand } from './status-command.js';

/** A subcommand: its one-line summary, its help text, and what it does. */
export interface Command {
  readonly summary: string;
  readonly help: string;
  /** Resolves with the process exit code. */
  run(args: string[]): Promise<number>;
}

const commands: Readonly<Record<string, Command>> = {
  ship: shipCommand,
  flush: flushCommand,
  status: statusCommand,
  'dev-hdfs': devHdfsCommand,
  demo: demoCommand,
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const list = Object.entries(commands)
    .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
    .join('\n');
  return `Usage: hdfs-log-transport <command> [options]

Ships application logs to HDFS over WebHDFS.

Commands:
${list}

Run "hdfs-log-transport <command> --help" for a command's options and examples.
`;
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`hdfs-log-transport: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    return reportFailure(name, error);
  }
}

/**
 * User mistakes and known failures are one line (a usage mistake is followed
 * by a pointer to the command's `--help`); only real bugs show a stack.
 */
function reportFailure(name: string, error: unknown): number {
  if (error instanceof CliUsageError) {
    process.stderr.write(`hdfs-log-transport ${name}: ${error.message}\n`);
    process.stderr.write(`Run "hdfs-log-transport ${name} --help" for usage.\n`);
    return 2;
  }
  if (error instanceof HdfsLogTransportError) {
    process.stderr.write(`hdfs-log-transport ${name}: ${error.message}\n`);
    return 1;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && error instanceof Error) {
    process.stderr.write(`hdfs-log-transport ${name}: ${error.message}\n`);
    return 1;
  }
  throw error;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  // npm links the bin through a symlink: compare real paths.
  return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
}

if (isEntryPoint()) {
  // `hdfs-log-transport flush … | head`: a reader that stops early is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  process.exitCode = await main(process.argv.slice(2));
}
