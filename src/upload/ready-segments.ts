import { readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { compareSegmentNames, parseSegmentName } from '../segment/segment-name.js';
import type { SpoolLayout } from '../segment/spool-layout.js';
import type { PublishableSegment } from './publish-segment.js';

/**
 * The sealed segments waiting in `ready/`, oldest first. Files that are not
 * segments (a stray temporary file, something an operator put there) are left
 * alone; a segment that disappears while listed was dropped or published.
 */
export async function listReadySegments(
  layout: SpoolLayout,
): Promise<PublishableSegment[]> {
  const names = (await readdir(layout.ready)).filter((name) => parseSegmentName(name));
  names.sort(compareSegmentNames);
  const segments: PublishableSegment[] = [];
  for (const name of names) {
    const fields = parseSegmentName(name);
    if (fields === undefined) continue;
    const localPath = join(layout.ready, name);
    const info = await statIfPresent(localPath);
    if (info === undefined) continue;
    segments.push({
      name,
      localPath,
      bytes: info.size,
      placement: { name: fields.name, host: fields.host, start: fields.start },
    });
  }
  return segments;
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
