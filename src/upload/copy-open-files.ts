/**
 * Is a file still open for writing? On Linux, `/proc/<pid>/fd/` lists every
 * open file of a process as a link, and `/proc/<pid>/fdinfo/<fd>` gives the
 * flags it was opened with (proc(5)). A copy job looks there before copying,
 * because a quiet period alone cannot tell a finished file from one whose
 * writer is just slow.
 *
 * What cannot be seen is said, not guessed: a process whose `fd/` directory
 * cannot be read (another user's, without root), or a `/proc` mounted with
 * `hidepid`, makes the check `incomplete`; no `/proc` (not Linux) makes it
 * `unavailable`.
 */
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { basename } from 'node:path';

/** How far the last look at open files could see. */
export type ProcCheck = 'complete' | 'incomplete' | 'unavailable';

/** What {@link findWriters} found. */
export interface OpenFileReport {
  readonly check: ProcCheck;
  /** Processes whose open files could not be read. */
  readonly unreadable: number;
  /** The pids holding each file open with write access, by `dev:ino`. */
  readonly writers: ReadonlyMap<string, readonly number[]>;
}

/** The files asked about: `dev:ino` keys, and their names (to skip most links cheaply). */
export interface OpenFileQuery {
  readonly keys: ReadonlySet<string>;
  readonly names: ReadonlySet<string>;
}

export interface OpenFileOptions {
  /** Where proc(5) is mounted; tests point it at a tree of their own. @default '/proc' */
  readonly procRoot?: string;
  /** @default process.platform */
  readonly platform?: NodeJS.Platform;
}

/** `O_ACCMODE`: the bits of the flags that say read, write or both. */
const ACCESS_MODE = 0o3;
const READ_ONLY = 0o0;
/** What {@link writtenKey} answers for a descriptor it may not look at. */
const UNREADABLE = Symbol('unreadable');
/** Errors meaning the process or descriptor went away while we looked: nothing to see. */
const GONE = new Set(['ENOENT', 'ESRCH']);

/**
 * Finds which of the queried files some process holds open for writing
 * (`O_WRONLY` or `O_RDWR`). Only links whose target has one of the queried
 * names are followed with `stat`, and the file is matched by device and
 * inode, so a process in another mount namespace (a container writing to a
 * mounted log directory) is still recognised if it uses the same name.
 */
export async function findWriters(
  query: OpenFileQuery,
  options: OpenFileOptions = {},
): Promise<OpenFileReport> {
  const root = options.procRoot ?? '/proc';
  const writers = new Map<string, number[]>();
  if ((options.platform ?? process.platform) !== 'linux') {
    return { check: 'unavailable', unreadable: 0, writers };
  }
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    // No proc(5) here (a minimal container, a chroot): nothing can be seen.
    return { check: 'unavailable', unreadable: 0, writers };
  }

  let unreadable = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const seen = await scanProcess(`${root}/${entry}`, query);
    if (seen === 'unreadable') {
      unreadable += 1;
      continue;
    }
    for (const key of seen) writers.set(key, [...(writers.get(key) ?? []), pid]);
  }
  const hidden = root === '/proc' && (await hidesProcesses(root));
  const check = unreadable > 0 || hidden ? 'incomplete' : 'complete';
  return { check, unreadable, writers };
}

/** The queried files one process holds open for writing, or `unreadable`. */
async function scanProcess(
  dir: string,
  query: OpenFileQuery,
): Promise<string[] | 'unreadable'> {
  let fds: string[];
  try {
    fds = await readdir(`${dir}/fd`);
  } catch (error) {
    return isGone(error) ? [] : 'unreadable';
  }
  const found: string[] = [];
  for (const fd of fds) {
    const key = await writtenKey(dir, fd, query);
    if (key === UNREADABLE) return 'unreadable';
    if (key !== undefined) found.push(key);
  }
  return found;
}

/**
 * The `dev:ino` of descriptor `fd` when it is a queried file open for
 * writing, `undefined` when not, or the marker {@link UNREADABLE}.
 */
async function writtenKey(
  dir: string,
  fd: string,
  query: OpenFileQuery,
): Promise<string | typeof UNREADABLE | undefined> {
  try {
    const target = await readlink(`${dir}/fd/${fd}`);
    // Sockets, pipes and anonymous inodes read as "socket:[123]" and such.
    if (!target.startsWith('/')) return undefined;
    if (!query.names.has(basename(target.replace(/ \(deleted\)$/, '')))) return undefined;

    const stats = await stat(`${dir}/fd/${fd}`);
    const key = `${stats.dev}:${stats.ino}`;
    if (!query.keys.has(key)) return undefined;
    const info = await readFile(`${dir}/fdinfo/${fd}`, 'utf8');
    return opensForWriting(info) ? key : undefined;
  } catch (error) {
    return isGone(error) ? undefined : UNREADABLE;
  }
}

/**
 * Reads the `flags:` line of an fdinfo file (octal, proc(5)); true when
 * the access mode allows writing. An fdinfo without it counts as writing:
 * when in doubt, wait.
 */
export function opensForWriting(fdinfo: string): boolean {
  const flags = /^flags:\s*([0-7]+)\s*$/m.exec(fdinfo)?.[1];
  if (flags === undefined) return true;
  return (Number.parseInt(flags, 8) & ACCESS_MODE) !== READ_ONLY;
}

/**
 * True when `/proc` is mounted with `hidepid` (proc(5)) and we are not
 * root: other users' processes are then left out of the listing, and their
 * absence would look like a complete check.
 */
async function hidesProcesses(root: string): Promise<boolean> {
  if (process.getuid?.() === 0) return false;
  let mounts: string;
  try {
    mounts = await readFile(`${root}/self/mountinfo`, 'utf8');
  } catch {
    return true;
  }
  for (const line of mounts.split('\n')) {
    // mountinfo: "... <mount point> <options> ... - <type> <source> <super options>".
    const [before, after = ''] = line.split(' - ');
    if (before?.split(' ')[4] !== root) continue;
    const hidepid = /(?:^|,)hidepid=([^,\s]+)/.exec(after.split(' ')[2] ?? '')?.[1];
    if (hidepid !== undefined && hidepid !== '0' && hidepid !== 'off') return true;
  }
  return false;
}

function isGone(error: unknown): boolean {
  return GONE.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}
