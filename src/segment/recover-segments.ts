/**
 * Start-up recovery (DESIGN.md section 3.4, issue 3 "Start-up recovery"): a
 * segment left in `active/` by a writer that died is cut back to its last
 * complete line and sealed, so it is published after the restart; a live
 * writer's segment, in the same spool, is never touched.
 *
 * Interrupted compressions are repaired by `cleanUpCompression` in
 * `src/upload/compress-segment.ts`, next to the code whose steps it undoes.
 */
import {
  lstat,
  open,
  readdir,
  readFile,
  rename,
  rm,
  type FileHandle,
} from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SpoolWriteError } from '../errors.js';
import { failpoint } from '../failpoints.js';
import type { SealedSegment } from './open-segment.js';
import { compareSegmentNames, parseSegmentName } from './segment-name.js';
import { fsyncDirectory, type SpoolLayout } from './spool-layout.js';
import { isWriterAlive } from './writer-liveness.js';

/** A segment found abandoned in `active/` and sealed (or deleted). */
export interface RecoveredSegment extends SealedSegment {
  /** Bytes after the last line break that were cut off: a line the writer never finished. */
  readonly cutBytes: number;
  /** True when no complete line was left: the file was deleted (from `path`), not sealed. */
  readonly deleted: boolean;
}

/** Options of {@link recoverAbandonedSegments}. */
export interface RecoverOptions {
  /** Where sealed segments go: `ready` (published as they are) or `sealed` (gzip first). */
  readonly sealInto: 'ready' | 'sealed';
  /** Liveness of a writer. @default isWriterAlive(layout.writers, writerId) */
  readonly isAlive?: (writerId: string) => Promise<boolean>;
  /** Writers of this process: alive by definition, never asked. @default none */
  readonly ownWriterIds?: ReadonlySet<string>;
  /**
   * Receives each failure; recovery then goes on with the other files. Without
   * it, the first failure rejects once every other file was tried, and what
   * was recovered is not reported (it is in the target directory all the same).
   */
  readonly onError?: (error: SpoolWriteError) => void;
  /** The clock, for the age of announcement files. @default Date.now */
  readonly now?: () => number;
}

/**
 * Age below which a dead writer's socket file is left alone: between its
 * bind() and listen() a starting writer refuses connections, and deleting
 * its socket then would make it look dead for good, its open segment sealed
 * while it still writes.
 */
export const STALE_ANNOUNCEMENT_AGE = 60_000;

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;
const ANNOUNCEMENT = /^([0-9a-z]{8})\.(sock|path)$/;

/**
 * Seals every segment of `active/` whose writer is dead and not one of ours:
 * cuts it to its last complete line, fsyncs it, renames it into the target
 * directory and fsyncs both directories. A file with no complete line is
 * deleted (an empty segment is never sealed). Files whose names are not
 * segment names are left alone. Then removes the announcement files of dead
 * writers from `writers/`.
 *
 * Safe to run again after a crash at any step, and beside another process
 * doing the same: a file that vanishes under it was handled by the other
 * (only then may the cut be reported as 0 by the one whose rename won).
 *
 * @returns the segments recovered, oldest first
 */
export async function recoverAbandonedSegments(
  layout: SpoolLayout,
  options: RecoverOptions,
): Promise<RecoveredSegment[]> {
  const failures: SpoolWriteError[] = [];
  const report = (file: string, error: unknown): void => {
    failures.push(new SpoolWriteError('seal', file, error as NodeJS.ErrnoException));
  };
  const isDead = deathJudge(layout, options, report);
  const target = layout[options.sealInto];

  const recovered: RecoveredSegment[] = [];
  const names = (await readdir(layout.active)).sort(compareSegmentNames);
  for (const name of names) {
    const fields = parseSegmentName(name);
    // A writer never opens a .gz in active/; cutting one at a line break would corrupt it.
    if (fields === undefined || fields.compressed) continue;
    if (!(await isDead(fields.writerId))) continue;
    try {
      const segment = await recoverSegment(layout, name, fields.start, target);
      if (segment !== undefined) recovered.push(segment);
    } catch (error) {
      report(name, error);
    }
  }
  await removeStaleAnnouncements(layout, isDead, options.now ?? Date.now, report);

  if (options.onError !== undefined) failures.forEach(options.onError);
  else if (failures[0] !== undefined) throw failures[0];
  return recovered;
}

/** One verdict per writer id; own writers are alive; a failed check counts as alive. */
function deathJudge(
  layout: SpoolLayout,
  options: RecoverOptions,
  report: (file: string, error: unknown) => void,
): (writerId: string) => Promise<boolean> {
  const isAlive = options.isAlive ?? ((id) => isWriterAlive(layout.writers, id));
  const verdicts = new Map<string, Promise<boolean>>();
  return (writerId) => {
    if (options.ownWriterIds?.has(writerId) === true) return Promise.resolve(false);
    let verdict = verdicts.get(writerId);
    if (verdict === undefined) {
      verdict = isAlive(writerId).then(
        (alive) => !alive,
        (error: unknown) => {
          // Sealing a live writer's segment would cut its lines in two: when unsure, wait.
          report(`${writerId}.sock`, error);
          return false;
        },
      );
      verdicts.set(writerId, verdict);
    }
    return verdict;
  };
}

async function recoverSegment(
  layout: SpoolLayout,
  name: string,
  start: number,
  target: string,
): Promise<RecoveredSegment | undefined> {
  const path = join(layout.active, name);
  const handle = await openIfPresent(path);
  if (handle === undefined) return undefined;
  let size: number;
  let keep: number;
  try {
    size = (await handle.stat()).size;
    keep = await completeLinesLength(handle, size);
    if (keep < size) await handle.truncate(keep);
    // The cut and the data must be on disk before the name says "sealed".
    await handle.sync();
  } finally {
    await handle.close();
  }
  const cutBytes = size - keep;

  if (keep === 0) {
    if (!(await removeIfPresent(path))) return undefined;
    await fsyncDirectory(layout.active);
    return { name, path, bytes: 0, start, cutBytes, deleted: true };
  }

  failpoint('mid-recovery');
  const sealedPath = join(target, name);
  if (!(await renameIfPresent(path, sealedPath))) return undefined;
  // Target first: a host crash must not lose the segment from both directories.
  await fsyncDirectory(target);
  await fsyncDirectory(layout.active);
  return { name, path: sealedPath, bytes: keep, start, cutBytes, deleted: false };
}

/** Length of the file up to and including its last line break (0 if none). */
async function completeLinesLength(handle: FileHandle, size: number): Promise<number> {
  const buffer = Buffer.alloc(Math.min(CHUNK, size));
  let end = size;
  while (end > 0) {
    const from = Math.max(0, end - buffer.length);
    const { bytesRead } = await handle.read(buffer, 0, end - from, from);
    // Fewer bytes than asked: another process cut the file meanwhile; look again.
    if (bytesRead < end - from) return completeLinesLength(handle, bytesRead + from);
    const at = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (at !== -1) return from + at + 1;
    end = from;
  }
  return 0;
}

async function removeStaleAnnouncements(
  layout: SpoolLayout,
  isDead: (writerId: string) => Promise<boolean>,
  now: () => number,
  report: (file: string, error: unknown) => void,
): Promise<void> {
  for (const entry of await readdir(layout.writers)) {
    const [, writerId = '', kind] = ANNOUNCEMENT.exec(entry) ?? [];
    if (kind === undefined || !(await isDead(writerId))) continue;
    const path = join(layout.writers, entry);
    try {
      const stats = await lstat(path);
      if (now() - stats.mtimeMs < STALE_ANNOUNCEMENT_AGE) continue;
      // The socket a pointer names first: once the pointer is gone nothing leads to it.
      if (kind === 'path') await removePointedSocket(path, writerId);
      await rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report(entry, error);
    }
  }
}

/** Removes the socket a `.path` pointer names, if it is one a writer would bind. */
async function removePointedSocket(pointer: string, writerId: string): Promise<void> {
  const socketPath = (await readFile(pointer, 'utf8')).trim();
  // Only the name WriterAnnouncement gives it: a pointer is never a licence to delete.
  if (basename(socketPath) === `hlt-${writerId}.sock`)
    await rm(socketPath, { force: true });
}

async function openIfPresent(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function renameIfPresent(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function removeIfPresent(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
