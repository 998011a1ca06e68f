/**
 * Measures a spool for the disk budget: every file it holds, where it lies
 * and how big it is, and the free space of its file system. The planning
 * itself is pure, in `disk-budget.ts`.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, statfs } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseSegmentName } from '../segment/segment-name.js';
import type { SpoolLayout } from '../segment/spool-layout.js';
import type { SpoolFile, SpoolFileState } from './disk-budget.js';
import { mapLimited } from './map-limited.js';
import { STAT_CONCURRENCY } from './ready-segments.js';

/** A spool's files and the room left beside them. */
export interface SpoolUsage {
  /** Every file under the spool's root, in no particular order. */
  readonly files: SpoolFile[];
  /** Bytes this process may still write on the spool's file system. */
  readonly freeBytes: number;
}

/**
 * Lists every file under the spool's root with its state (the directory it
 * lies in; `writers/` and anything unknown are `other`), its size and its
 * start (from the segment name, else the mtime), and reads the free space
 * with `statfs`. Files are counted by their length, not the blocks they take.
 *
 * Files come and go while this runs (seals, uploads, drops): one that
 * vanishes between its listing and its `lstat` is simply not counted.
 */
export async function measureSpool(layout: SpoolLayout): Promise<SpoolUsage> {
  const known = new Map<string, SpoolFileState>([
    [layout.active, 'active'],
    [layout.sealed, 'sealed'],
    [layout.ready, 'ready'],
    [layout.retained, 'retained'],
    [layout.tmp, 'tmp'],
    [layout.journal, 'journal'],
    [layout.writers, 'other'],
  ]);

  const files: SpoolFile[] = [];
  for (const [dir, state] of known) await collect(dir, state, known, files);
  await collect(layout.root, 'other', known, files);

  const { bavail, bsize } = await statfs(layout.root);
  return { files, freeBytes: bavail * bsize };
}

/** Adds the files under `dir`, skipping the spool's named directories. */
async function collect(
  dir: string,
  state: SpoolFileState,
  skip: ReadonlyMap<string, SpoolFileState>,
  files: SpoolFile[],
): Promise<void> {
  const entries = await listIfPresent(dir);
  const plain: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (!entry.isDirectory()) plain.push(path);
    else if (!skip.has(path)) await collect(path, state, skip, files);
  }
  const described = await mapLimited(plain, STAT_CONCURRENCY, (path) =>
    describe(path, state),
  );
  for (const file of described) if (file !== undefined) files.push(file);
}

async function listIfPresent(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isGone(error)) return [];
    throw error;
  }
}

async function describe(
  path: string,
  state: SpoolFileState,
): Promise<SpoolFile | undefined> {
  try {
    const stats = await lstat(path);
    const start = parseSegmentName(basename(path))?.start ?? stats.mtimeMs;
    return { path, state, bytes: stats.size, start };
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

// ENOTDIR: a directory was replaced by a file between readdir and the walk into it.
function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
