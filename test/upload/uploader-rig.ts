/**
 * Set-up shared by the uploader's tests: an uploader over a new spool,
 * publishing to a {@link MemoryDestination}, on a clock the test moves, its
 * errors recorded, stopped when the test ends; and sealed segments put into
 * `ready/` as a writer would.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { formatSegmentName } from '../../src/segment/segment-name.js';
import { ensureSpool, spoolLayout } from '../../src/segment/spool-layout.js';
import { Uploader, type UploaderConfig } from '../../src/upload/uploader.js';
import type { UploadErrorEvent } from '../../src/upload/uploader-events.js';
import { MemoryDestination } from '../helpers/memory-destination.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export const START = Date.UTC(2026, 11, 3, 15, 19, 0);
export const MINUTE = 60_000;

/** The name of this rig's writer's segment number `seq`, opened at `start`. */
export function segmentName(seq: number, start = START): string {
  return formatSegmentName({
    name: 'app',
    start,
    host: 'web1',
    writerId: 'k3v9x2qa',
    seq,
  });
}

/** An uploader over a new spool, publishing to memory, on a clock the test moves. */
export async function setupUploader(
  t: TestContext,
  overrides: Partial<UploaderConfig> = {},
) {
  const layout = spoolLayout(await makeTempDir(t, 'spool-'));
  await ensureSpool(layout);
  const destination = new MemoryDestination();
  let now = START;
  const config: UploaderConfig = {
    layout,
    destination,
    interval: 3_600_000,
    concurrency: 1,
    retries: 1,
    retryDelay: 1,
    maxRetryDelay: 1,
    verify: 'length',
    keepUploaded: 0,
    maxSpoolBytes: 1024 ** 3,
    minFreeBytes: 0,
    compress: false,
    now: () => now,
    random: () => 0,
    ...overrides,
  };
  const uploader = new Uploader(config);
  t.after(() => uploader.stop());
  const errors: UploadErrorEvent[] = [];
  uploader.on('error', (event) => errors.push(event));
  /** Puts a sealed segment into ready/, as a writer would; returns its name. */
  const seal = async (seq: number, content: string, start = START) => {
    const name = segmentName(seq, start);
    await writeFile(join(layout.ready, name), content);
    return name;
  };
  const hidden = () =>
    [...destination.files.keys()].filter((path) => /\/[._][^/]*$/.test(path));
  return {
    layout,
    destination,
    config,
    uploader,
    errors,
    seal,
    hidden,
    advance: (ms: number) => (now += ms),
  };
}
