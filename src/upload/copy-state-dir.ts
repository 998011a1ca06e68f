/**
 * Where a copy job keeps what it must remember: its state file, and beside
 * it a work directory with the publish journal and the snapshots being
 * published. Paths only; nothing here touches the disk.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InvalidOptionError } from '../errors.js';

/** The files of one copy job. */
export interface CopyJobFiles {
  /** What was copied (see `CopyState`). */
  readonly stateFile: string;
  /** The job's private directory: lock, journal, snapshots. */
  readonly workDir: string;
  /** Where the publish journal lives (`publish.journal` inside). */
  readonly journalDir: string;
  /** Snapshots of files waiting to be published: the job's `ready/`. */
  readonly stagedDir: string;
}

/**
 * The default directory of state files: `$XDG_STATE_HOME` or
 * `~/.local/state`, then `hdfs-log-transport/copy-jobs`. State is what a
 * program must keep across restarts but that is not the user's data, which
 * is what the XDG base directory specification has that directory for.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  // The specification says to ignore a relative value.
  const base =
    xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state');
  return join(base, 'hdfs-log-transport', 'copy-jobs');
}

/**
 * The files of job `name`: `stateFile` when given (relative to `cwd`), else
 * `<stateDir>/<name>.json`; the work directory is the state file's name
 * without `.json`, plus `.work`, where the job's lock socket lives.
 *
 * @throws {@link InvalidOptionError} for a `stateFile` that is not a
 *   non-empty string
 */
export function copyJobFiles(
  name: string,
  stateFile: unknown,
  stateDir: string,
  cwd: string,
): CopyJobFiles {
  if (stateFile !== undefined && (typeof stateFile !== 'string' || stateFile === '')) {
    throw new InvalidOptionError('job.stateFile', 'a file path', stateFile);
  }
  const file =
    stateFile === undefined
      ? join(resolve(cwd, stateDir), `${name}.json`)
      : resolve(cwd, stateFile);
  const workDir = `${file.replace(/\.json$/, '')}.work`;
  return {
    stateFile: file,
    workDir,
    journalDir: workDir,
    stagedDir: join(workDir, 'staged'),
  };
}
