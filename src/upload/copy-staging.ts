/**
 * Snapshots of files written by other programs. What is published must not
 * change under the publish protocol: its length is journaled, verified after
 * RENAME, and with `verify: 'checksum'` its content is hashed again. A log
 * file may be appended to, truncated or rewritten at any moment, so a copy
 * job first takes a private snapshot (gzip'ed when asked, as
 * compress-segment does for segments) and publishes that, as the uploader
 * publishes `ready/`.
 *
 * The snapshot is exactly the version the scan judged complete: read from
 * one open descriptor, `size` bytes, and thrown away if the file's length or
 * modification time moved while it was read.
 */
import { createWriteStream } from 'node:fs';
import { constants, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { fsyncDirectory } from '../segment/spool-layout.js';
import type { FileVersion } from './copy-identity.js';

/** What {@link stageSnapshot} made: the snapshot's bytes, or why there is none. */
export type StageResult =
  | { readonly staged: true; readonly bytes: number }
  | { readonly staged: false; readonly why: string };

/**
 * Writes `version` of `source` to the new file `target`, compressed when
 * asked, and fsyncs it and its directory. Resolves `staged: false` when the
 * file is gone or is not that version any more; the caller looks again next
 * time.
 *
 * @throws what the file system or the signal throws; `target` is then removed
 */
export async function stageSnapshot(
  source: string,
  version: FileVersion,
  target: string,
  options: { readonly compress: boolean; readonly signal: AbortSignal },
): Promise<StageResult> {
  let handle;
  try {
    // Without blocking, as readFileVersion: a FIFO swapped in would hold the open.
    handle = await open(source, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { staged: false, why: 'it was removed before it could be copied' };
    }
    throw error;
  }

  try {
    const before = await handle.stat();
    if (!sameVersion(before, version)) {
      return { staged: false, why: 'it changed after it was found complete' };
    }
    const bytes = await copyRange(handle, target, version.size, options);
    const after = await handle.stat();
    if (!sameVersion(after, version)) {
      await rm(target, { force: true });
      return { staged: false, why: 'it changed while it was being copied' };
    }
    await fsyncDirectory(dirname(target));
    return { staged: true, bytes };
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  } finally {
    await handle.close();
  }
}

/** Streams bytes `[0, size)` of the open file into `target` ('wx': never an old file). */
async function copyRange(
  handle: Awaited<ReturnType<typeof open>>,
  target: string,
  size: number,
  options: { readonly compress: boolean; readonly signal: AbortSignal },
): Promise<number> {
  const input = handle.createReadStream({ start: 0, end: size - 1, autoClose: false });
  // flush: fsync before close, so that a host crash never leaves a short snapshot.
  const output = createWriteStream(target, { flags: 'wx', mode: 0o600, flush: true });
  const { signal } = options;
  if (options.compress) {
    await pipeline(input, createGzip(), output, { signal });
  } else {
    await pipeline(input, output, { signal });
  }
  return output.bytesWritten;
}

function sameVersion(
  stats: { dev: number; ino: number; size: number; mtimeMs: number },
  version: FileVersion,
): boolean {
  return (
    stats.dev === version.dev &&
    stats.ino === version.ino &&
    stats.size === version.size &&
    stats.mtimeMs === version.mtimeMs
  );
}
