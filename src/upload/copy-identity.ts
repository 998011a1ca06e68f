/**
 * Which file is which, for copy jobs (issue 5): a file is known by its
 * device and inode, not its path, so that a rotation by rename (`app.log` to
 * `app.log.1`) is the same file; and a version of it by its length and a
 * hash of its first and last bytes, so that a file that only grew can be
 * told from one whose content was replaced in place (logrotate's
 * `copytruncate` keeps the inode).
 *
 * Equal length and modification time do not make a file its copied version:
 * `cp -p`, `rsync -t` and `tar x` give both to whatever inode they get
 * (perhaps the copied file's, freed by its deletion), and a rewrite may reset
 * the time. So the edges are hashed on every look, never skipped on `stat`.
 *
 * Only the first and last {@link EDGE_BYTES} of the earlier version are
 * compared, not all of it: two reads of 4 KiB per file instead of reading
 * every log file twice. Log lines start with timestamps, so content written
 * anew differs in its first bytes; the last bytes catch an inode reused by a
 * new file that happens to start with the same header. The hash is SHA-256
 * (node:crypto), not the CRC-32C that `verify: 'checksum'` computes: 32 bits
 * made to catch transmission errors can be matched at will by whoever writes
 * a log file, and a match here lets a new file overwrite another's copy.
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
 * A version as a job's state holds it. An entry written before hashes were
 * kept has none: its file is then judged by length and modification time, as
 * it was, and its hashes are recorded at the next look.
 */
export type CopiedVersion = Omit<FileVersion, 'headHash' | 'tailHash'> &
  Partial<Pick<FileVersion, 'headHash' | 'tailHash'>>;

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

/** True when `stats` has the copied version's length and modification time. */
export function hasCopiedStats(
  copied: CopiedVersion,
  stats: Pick<Stats, 'size' | 'mtimeMs'>,
): boolean {
  return stats.size === copied.size && stats.mtimeMs === copied.mtimeMs;
}

/**
 * Reads the version of an open file (its stats taken from the handle, so
 * that a rename meanwhile cannot mix two files) and relates it to the copied
 * one by the hashes of the copied length's first and last bytes.
 */
export async function readVersion(
  handle: FileHandle,
  copied: CopiedVersion | undefined,
): Promise<{ version: FileVersion; relation: FileRelation }> {
  const stats = await handle.stat();
  const [headHash, tailHash] = await hashEdges(handle, stats.size);
  const version = {
    dev: stats.dev,
    ino: stats.ino,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    headHash,
    tailHash,
  };
  return { version, relation: await relate(handle, version, copied) };
}

/** See {@link FileRelation}; reads the file only when it is longer than its copy. */
async function relate(
  handle: FileHandle,
  version: FileVersion,
  copied: CopiedVersion | undefined,
): Promise<FileRelation> {
  if (copied === undefined) return 'new';
  if (version.size < copied.size) return 'changed';

  // No hashes to compare: what `stat` says is all there is. Any other length
  // or time cannot be shown to be the same bytes, so it never replaces the
  // earlier copy: it gets one of its own.
  if (copied.headHash === undefined || copied.tailHash === undefined)
    return hasCopiedStats(copied, version) ? 'unchanged' : 'changed';

  // Of equal length, the version's own hashes cover the copied bytes.
  const [head, tail] =
    version.size === copied.size
      ? [version.headHash, version.tailHash]
      : await hashEdges(handle, copied.size);
  if (head !== copied.headHash || tail !== copied.tailHash) return 'changed';
  return version.size > copied.size ? 'grown' : 'unchanged';
}

/**
 * Opens `path` and reads its version (see {@link readVersion});
 * `undefined` when what it names now is not a regular file. Opened without
 * blocking: a FIFO swapped in since the scan's stat would otherwise hold
 * the open until some program writes to it.
 */
export async function readFileVersion(
  path: string,
  copied: CopiedVersion | undefined,
): Promise<{ version: FileVersion; relation: FileRelation } | undefined> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    return await readVersion(handle, copied);
  } finally {
    await handle.close();
  }
}

/**
 * Hashes of the first and last `min(size, EDGE_BYTES)` bytes of the file's
 * first `size` bytes; one read when they are the same bytes.
 */
async function hashEdges(handle: FileHandle, size: number): Promise<[string, string]> {
  const head = await hashRange(handle, 0, size);
  if (size <= EDGE_BYTES) return [head, head];
  return [head, await hashRange(handle, size - EDGE_BYTES, size)];
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
