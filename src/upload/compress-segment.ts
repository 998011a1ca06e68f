/**
 * `compress: 'gzip'` (issue 3, "Seal"): a sealed segment waits in `sealed/`
 * and becomes `ready/<name>.gz`, the exact bytes published. It runs in the
 * uploader's worker thread, so plain streaming zlib is fine there.
 *
 * Every step leaves the spool in a state the next start understands:
 *
 * | crash after                 | left behind                | start-up        |
 * | --------------------------- | -------------------------- | --------------- |
 * | writing part of `tmp/…`     | `sealed/X`, partial temp   | temp removed    |
 * | fsync of the temp file      | `sealed/X`, complete temp  | temp removed    |
 * | rename into `ready/`        | `sealed/X` and `ready/X.gz`| `sealed/X` gone |
 * | unlink of `sealed/X`        | `ready/X.gz`               | nothing to do   |
 *
 * So a segment is always in `sealed/` (compressed again), or complete in
 * `ready/`, or both, and never published twice from both.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { InvalidOptionError } from '../errors.js';
import { parseSegmentName } from '../segment/segment-name.js';
import { fsyncDirectory, type SpoolLayout } from '../segment/spool-layout.js';
import { failpoint } from '../failpoints.js';

/** A segment once compressed into `ready/`. */
export interface CompressedSegment {
  /** File name in `ready/`: the sealed name plus `.gz`. */
  readonly name: string;
  readonly path: string;
  /** Bytes of the gzip file: what is published. */
  readonly bytes: number;
  /** Bytes of the segment before compression. */
  readonly sourceBytes: number;
}

/** What {@link cleanUpCompression} removed. */
export interface CompressionCleanUp {
  /** Partial or unrenamed gzip output removed from `tmp/`. */
  readonly temporary: string[];
  /** Segments removed from `sealed/` because `ready/` holds their gzip. */
  readonly sealed: string[];
}

// <segment>.log.gz.<16 hex digits>: what compressSealedSegment writes in tmp/.
const TEMPORARY = /^.+\.log\.gz\.[0-9a-f]{16}$/;

/**
 * Compresses `sealed/<name>` into `ready/<name>.gz`: streams it through gzip
 * into a temporary file in `tmp/`, fsyncs that, renames it into `ready/`,
 * fsyncs `ready/`, then unlinks the source and fsyncs `sealed/`.
 *
 * Call {@link cleanUpCompression} once at start-up, before any segment of
 * `ready/` is published: it finishes what a crash interrupted.
 *
 * @param name - a segment file name in `sealed/`, not already `.gz`
 * @throws {@link InvalidOptionError} for a name that is not such a segment;
 *   rejects with the file system's error if a step fails (the temporary file
 *   is then removed and `sealed/<name>` is left as it was)
 */
export async function compressSealedSegment(
  layout: SpoolLayout,
  name: string,
): Promise<CompressedSegment> {
  if (parseSegmentName(name)?.compressed !== false) {
    throw new InvalidOptionError('name', 'an uncompressed segment file name', name);
  }
  const source = join(layout.sealed, name);
  const temporary = join(layout.tmp, `${name}.gz.${randomBytes(8).toString('hex')}`);
  const target = join(layout.ready, `${name}.gz`);

  const done = await sizeIfPresent(target);
  if (done !== undefined) {
    // An earlier call renamed, then failed to unlink: finish it, never compress twice.
    const sourceBytes = (await sizeIfPresent(source)) ?? 0;
    await removeSource(layout, source);
    return { name: `${name}.gz`, path: target, bytes: done, sourceBytes };
  }

  let sizes: { bytes: number; sourceBytes: number };
  try {
    sizes = await writeGzip(source, temporary);
    failpoint('mid-gzip');
    await rename(temporary, target);
  } catch (error) {
    await removeAfterFailure(temporary, error);
    throw error;
  }
  // Until ready/ is fsynced, a host crash may undo the rename: keep the source till then.
  await fsyncDirectory(layout.ready);
  await removeSource(layout, source);

  return { name: `${name}.gz`, path: target, ...sizes };
}

async function removeSource(layout: SpoolLayout, source: string): Promise<void> {
  await rm(source, { force: true });
  await fsyncDirectory(layout.sealed);
}

async function sizeIfPresent(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes the gzip of `source` to a new file `temporary` and fsyncs it. */
async function writeGzip(
  source: string,
  temporary: string,
): Promise<{ bytes: number; sourceBytes: number }> {
  const input = createReadStream(source);
  // 'wx': two compressions of one segment must never share an output file.
  // flush: fsync before close, so a host crash never leaves ready/ a name with missing data.
  const output = createWriteStream(temporary, { flags: 'wx', mode: 0o644, flush: true });
  await pipeline(input, createGzip(), output);
  return { bytes: output.bytesWritten, sourceBytes: input.bytesRead };
}

async function removeAfterFailure(temporary: string, failure: unknown): Promise<void> {
  try {
    await rm(temporary, { force: true });
  } catch (cleanUpError) {
    // Both matter: the failure, and a temporary file only the next start removes.
    throw new AggregateError(
      [failure, cleanUpError],
      `compressing failed and ${temporary} could not be removed`,
      { cause: cleanUpError },
    );
  }
}

/**
 * Start-up repair of interrupted compressions (see the table above). Removes
 * gzip output left in `tmp/` (partial, or complete but never renamed; the
 * segment is still in `sealed/` and is compressed again), and removes
 * `sealed/X` when `ready/X.gz` exists: the rename happened, only the unlink
 * did not, and compressing X again could publish it twice. Other files in
 * `tmp/` are not this module's and are left alone.
 *
 * Must run while no compression runs in this spool: at the uploader's start,
 * before it publishes anything.
 */
export async function cleanUpCompression(
  layout: SpoolLayout,
): Promise<CompressionCleanUp> {
  const temporary: string[] = [];
  for (const entry of await readdir(layout.tmp)) {
    if (!TEMPORARY.test(entry)) continue;
    await rm(join(layout.tmp, entry), { force: true });
    temporary.push(entry);
  }

  const ready = new Set(await readdir(layout.ready));
  const sealed: string[] = [];
  for (const entry of await readdir(layout.sealed)) {
    if (parseSegmentName(entry)?.compressed !== false || !ready.has(`${entry}.gz`))
      continue;
    await rm(join(layout.sealed, entry), { force: true });
    sealed.push(entry);
  }

  if (temporary.length > 0) await fsyncDirectory(layout.tmp);
  if (sealed.length > 0) await fsyncDirectory(layout.sealed);
  return { temporary, sealed };
}
