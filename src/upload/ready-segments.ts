import { readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSegmentName, sortSegmentNames } from '../segment/segment-name.js';
import type { SpoolLayout } from '../segment/spool-layout.js';
import { mapLimited } from './map-limited.js';
import type { PublishableSegment } from './publish-segment.js';

/** File-system calls in flight at once when a whole directory is looked at. */
export const STAT_CONCURRENCY = 32;

/**
 * The sealed segments waiting in `ready/`, oldest first. Files that are not
 * segments (a stray temporary file, something an operator put there) are left
 * alone; a segment that disappears while listed was dropped or published.
 */
export async function listReadySegments(
  layout: SpoolLayout,
): Promise<PublishableSegment[]> {
  const names = sortSegmentNames(await readdir(layout.ready));
  const found = await mapLimited(names, STAT_CONCURRENCY, async (name) => {
    const fields = parseSegmentName(name);
    if (fields === undefined) return undefined;
    const localPath = join(layout.ready, name);
    const info = await statIfPresent(localPath);
    if (info === undefined) return undefined;
    const placement = { name: fields.name, host: fields.host, start: fields.start };
    return { name, localPath, bytes: info.size, placement };
  });
  return found.filter((segment) => segment !== undefined);
}

/** Segments waiting in `ready/` and `sealed/` now, counted by name only. */
export async function countWaitingSegments(layout: SpoolLayout): Promise<number> {
  return (await countSegments(layout.ready)) + (await countSegments(layout.sealed));
}

/** Files named as segments in `dir`; 0 when it is not there. */
export async function countSegments(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 0;
    throw error;
  }
  return names.filter((name) => parseSegmentName(name) !== undefined).length;
}

/**
 * After publication: keep the local file in `retained/` (its time set to now,
 * so retention counts from publication) or delete it. Idempotent: a crash
 * after this and before the journal forgets the segment repeats it harmlessly.
 */
export async function releaseLocalCopy(
  layout: SpoolLayout,
  segment: PublishableSegment,
  keepUploaded: number,
  now: number,
): Promise<void> {
  if (keepUploaded <= 0) {
    await rm(segment.localPath, { force: true });
    return;
  }
  const retained = join(layout.retained, segment.name);
  try {
    await rename(segment.localPath, retained);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await utimes(retained, now / 1000, now / 1000);
}

/** Deletes retained copies older than `keepUploaded`; returns how many. */
export async function expireRetained(
  layout: SpoolLayout,
  keepUploaded: number,
  now: number,
): Promise<number> {
  let expired = 0;
  for (const name of await readdir(layout.retained)) {
    const path = join(layout.retained, name);
    const info = await statIfPresent(path);
    if (info !== undefined && now - info.mtimeMs >= keepUploaded) {
      await rm(path, { force: true });
      expired += 1;
    }
  }
  return expired;
}

/** The file's stats, or undefined when it vanished meanwhile (published, dropped). */
async function statIfPresent(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
