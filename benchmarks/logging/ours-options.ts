/**
 * What both of our setups share: the options, the check that the front door
 * is built, and where their lines are counted.
 *
 * Uploads are off in this scenario without stopping the uploader: it starts as
 * in production (a worker thread), but the destination is a local `file://`
 * directory and `upload.interval` is an hour, so its only cycle runs at
 * start-up, before the burst, and finds nothing to publish. Segments roll at
 * 10 MiB, as pino-roll and winston-daily-rotate-file are set to.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { countLines, type LineCount } from '../lib/count-lines.js';

export const NOT_BUILT = 'not built yet';

export function oursOptions(dir: string) {
  return {
    destination: `file://${join(dir, 'published')}/{name}`,
    spoolDir: join(dir, 'spool'),
    rotate: { size: '10MiB' },
    upload: { interval: '1h' },
    maxSpoolBytes: '8GiB',
  };
}

/** Lines in sealed segments: waiting in `ready/`, or published (none should be). */
export function countOurs(dir: string): LineCount {
  const isSegment = (name: string) => name.endsWith('.log');
  const ready = countLines(join(dir, 'spool', 'ready'), isSegment);
  const publishedDir = join(dir, 'published', 'app');
  if (!existsSync(publishedDir)) return ready;
  const published = countLines(publishedDir, isSegment);
  return {
    lines: ready.lines + published.lines,
    bytes: ready.bytes + published.bytes,
    files: ready.files + published.files,
    cut: ready.cut + published.cut,
  };
}

/** Whether the pino target exists yet (it is being written); a reason if not. */
export async function loadPinoTarget(): Promise<string | undefined> {
  const target = (await import('hdfs-log-transport/pino')) as Record<string, unknown>;
  return typeof target.default === 'function' ? undefined : NOT_BUILT;
}
