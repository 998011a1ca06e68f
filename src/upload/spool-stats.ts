/**
 * Counters that outlive the uploader's process, kept in `<spool>/stats.json`
 * for `hdfs-log-transport status`: a drop is the one loss the spool makes on
 * purpose, and an operator looking at a spool later must be able to see it.
 *
 * Only the uploader holding the spool's lock writes the file, so there is one
 * writer at a time; readers only ever see a complete file (write to a
 * temporary name, fsync, rename).
 */
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { DroppedEvent } from './uploader-events.js';

/** What `stats.json` holds. */
export interface SpoolStats {
  /** Segments the disk budget deleted before they were published, ever. */
  readonly droppedSegments: number;
  /** Their bytes. */
  readonly droppedBytes: number;
  /** When the last of them was dropped (epoch ms), or `null` if none was. */
  readonly lastDropAt: number | null;
}

/** A spool that never dropped anything, or has no `stats.json` yet. */
export const NO_STATS: SpoolStats = {
  droppedSegments: 0,
  droppedBytes: 0,
  lastDropAt: null,
};

/** The stats file of the spool at `spoolDir`. */
export function spoolStatsPath(spoolDir: string): string {
  return join(spoolDir, 'stats.json');
}

/**
 * Reads the spool's stats. A missing file means nothing was dropped yet; a
 * file that is not what {@link recordDrops} writes (edited by hand, cut by a
 * host crash before its fsync) rejects, so that a reader never shows a
 * wrong zero.
 */
export async function readSpoolStats(spoolDir: string): Promise<SpoolStats> {
  const text = await readIfPresent(spoolStatsPath(spoolDir));
  if (text === undefined) return NO_STATS;
  const stats = parseStats(text);
  if (stats === undefined) {
    throw new Error(`${spoolStatsPath(spoolDir)} is not a stats file of this package`);
  }
  return stats;
}

/**
 * Adds the segments the disk budget just dropped to the spool's counters.
 * Nothing to add, no I/O at all: this runs at every upload cycle. An earlier
 * file that is not one of ours is replaced by counts that start over:
 * losing old counts beats never counting again.
 *
 * @param now - epoch ms recorded as `lastDropAt`
 * @returns the counts written, or `undefined` when there was nothing to add
 */
export async function recordDrops(
  spoolDir: string,
  drops: readonly DroppedEvent[],
  now: number = Date.now(),
): Promise<SpoolStats | undefined> {
  const counted = drops.filter((drop) => drop.reason === 'disk-budget');
  if (counted.length === 0) return undefined;

  // Only a file that is not ours starts over; an I/O error rejects.
  const text = await readIfPresent(spoolStatsPath(spoolDir));
  const before = (text === undefined ? undefined : parseStats(text)) ?? NO_STATS;

  const after: SpoolStats = {
    droppedSegments: before.droppedSegments + counted.length,
    droppedBytes:
      before.droppedBytes + counted.reduce((sum, drop) => sum + drop.bytes, 0),
    lastDropAt: now,
  };
  await writeAtomically(spoolStatsPath(spoolDir), `${JSON.stringify(after)}\n`);
  return after;
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseStats(text: string): SpoolStats | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { droppedSegments, droppedBytes, lastDropAt } = value as Record<string, unknown>;
  if (!isCount(droppedSegments) || !isCount(droppedBytes)) return undefined;
  if (lastDropAt !== null && !isCount(lastDropAt)) return undefined;
  return { droppedSegments, droppedBytes, lastDropAt };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * A fixed temporary name: the lock makes this the only writer, and a
 * temporary file left by a crash is simply overwritten the next time.
 */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
