/**
 * Which file is which, for copy jobs (issue 5): a file is known by its
 * device and inode, not its path, so that a rotation by rename (`app.log` to
 * `app.log.1`) is the same file; and a version of it by its length and a
 * hash of its first and last bytes, so that a file that only grew can be
 * told from one whose content was replaced in place (logrotate's
 * `copytruncate` keeps the inode).
 *
 * Only the first and last {@link EDGE_BYTES} of the earlier version are
 * compared, not all of it: two reads of 4 KiB per changed file instead of
 * reading every log file twice. Log lines start with timestamps, so content
 * written anew differs in its first bytes; the last bytes catch an inode
 * reused by a new file that happens to start with the same header.
 *
 * A device number can change when a file system is mounted again (LVM,
 * network file systems, after a reboot): its files then look new and are
 * copied once more, under new names. Birth time is no help: many file
 * systems and kernels do not report it.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { constants, open, type FileHandle } from 'node:fs/promises';

/** Bytes hashed at each end of a version. */
export const EDGE_BYTES = 4096;

/** One version of a file: what it was when it was copied, or is now. */
export interface FileVersion {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  /** SHA-256 (128 bits, hex) of the first `min(size, EDGE_BYTES)` bytes. */
  readonly headHash: string;
  /** SHA-256 (128 bits, hex) of the last `min(size, EDGE_BYTES)` bytes. */
  readonly tailHash: string;
}

/**
 * How a file relates to its copied version:
 * - `new`: never copied;
 * - `unchanged`: as copied (only its modification time may differ);
 * - `grown`: the copied bytes are still its first bytes and more follow, so
 *   a new copy may replace the earlier one;
 * - `changed`: shrank or was rewritten; the earlier copy must stay.
 */
export type FileRelation = 'new' | 'unchanged' | 'grown' | 'changed';

/** The key a file is known by in a job's state: `dev:ino`. */
export function identityKey(stats: Pick<Stats, 'dev' | 'ino'>): string {
  return `${stats.dev}:${stats.ino}`;
}

/**
 * What can be said from `stat` alone: `unchanged` when length and
 * modification time are those copied, `changed` when it shrank, otherwise
 * `undefined` (the content must be read, see {@link compareContent}).
 */
export function compareStats(
  copied: FileVersion | undefined,
  stats: Pick<Stats, 'size' | 'mtimeMs'>,
): FileRelation | undefined {
  if (copied === undefined) return 'new';
  if (stats.size === copied.size && stats.mtimeMs === copied.mtimeMs) return 'unchanged';
  if (stats.size < copied.size) return 'changed';
  return undefined;
}

/**
 * Reads the version of an open file (its stats taken from the handle, so
 * that a rename meanwhile cannot mix two files) and relates it to the copied
 * one: the copied length's first and last bytes are hashed again and
 * compared.
 */
export async function readVersion(
  handle: FileHandle,
  copied: FileVersion | undefined,
): Promise<{ version: FileVersion; relation: FileRelation }> {
  const stats = await handle.stat();
  const version = {
    dev: stats.dev,
    ino: stats.ino,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    headHash: await hashRange(handle, 0, stats.size),
    tailHash: await hashRange(handle, Math.max(0, stats.size - EDGE_BYTES), stats.size),
  };
  const known = compareStats(copied, stats);
  if (known !== undefined || copied === undefined)
    return { version, relation: known ?? 'new' };

  const head = await hashRange(handle, 0, copied.size);
  const tail = await hashRange(
    handle,
    Math.max(0, copied.size - EDGE_BYTES),
    copied.size,
  );
  const kept = head === copied.headHash && tail === copied.tailHash;
  let relation: FileRelation = 'changed';
  if (kept) relation = stats.size > copied.size ? 'grown' : 'unchanged';
  return { version, relation };
}

/**
 * Opens `path` and reads its version (see {@link readVersion});
 * `undefined` when what it names now is not a regular file. Opened without
 * blocking: a FIFO swapped in since the scan's stat would otherwise hold
 * the open until some program writes to it.
 */
export async function readFileVersion(
  path: string,
  copied: FileVersion | undefined,
): Promise<{ version: FileVersion; relation: FileRelation } | undefined> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    return await readVersion(handle, copied);
  } finally {
    await handle.close();
  }
}

/** Hash of bytes `[start, min(end, start + EDGE_BYTES))` of the file. */
async function hashRange(
  handle: FileHandle,
  start: number,
  end: number,
): Promise<string> {
  const length = Math.max(0, Math.min(EDGE_BYTES, end - start));
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(
      buffer,
      filled,
      length - filled,
      start + filled,
    );
    // The file shrank under us: hash what is there; the caller compares lengths too.
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  const hash = createHash('sha256').update(buffer.subarray(0, filled));
  return hash.digest('hex').slice(0, 32);
}
