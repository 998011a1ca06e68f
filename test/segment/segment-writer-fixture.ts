/** A segment writer over a fresh spool, on a clock the test sets. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import {
  SegmentWriter,
  type SegmentWriterOptions,
} from '../../src/segment/segment-writer.js';
import { ensureSpool, spoolLayout } from '../../src/segment/spool-layout.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export const HOUR = 3_600_000;
export const START = Date.UTC(2026, 11, 3, 15, 19, 0);

export async function setup(t: TestContext, options: Partial<SegmentWriterOptions> = {}) {
  const layout = spoolLayout(await makeTempDir(t));
  await ensureSpool(layout);
  let now = START;
  const writer = new SegmentWriter({
    layout,
    name: 'app',
    host: 'web1',
    writerId: 'k3v9x2qa',
    maxBytes: 64 * 1024 * 1024,
    period: HOUR,
    timeZone: 'UTC',
    bufferBytes: 1024 * 1024,
    onBufferFull: 'write',
    sealInto: 'ready',
    now: () => now,
    ...options,
  });
  t.after(() => writer.close());
  return {
    layout,
    writer,
    setNow: (value: number) => (now = value),
    /** Sealed segments in ready/, oldest first, with their content. */
    ready: async () => {
      const names = (await readdir(layout.ready)).sort();
      return Promise.all(
        names.map(async (name) => ({
          name,
          text: await readFile(join(layout.ready, name), 'utf8'),
        })),
      );
    },
  };
}

export function lines(count: number, from = 0, width = 20): string[] {
  return Array.from(
    { length: count },
    (_, i) => `line ${String(from + i).padStart(width - 6, '0')}\n`,
  );
}
