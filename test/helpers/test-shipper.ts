/**
 * A shipper set up for the end-to-end tests: short intervals and small
 * segments so that an outage spans several upload cycles in well under a
 * second; lines of one fixed length that carry a unique id; and the check
 * every such test ends with.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { HdfsLogOptions } from '../../src/options.js';
import { createShipper, type Shipper } from '../../src/shipper.js';
import { exactlyOnce, publishedIds, readPublished } from './published.js';
import { recordEvents, type ShipperEventLog } from './shipper-events.js';
import { makeTempDir } from './temp-dir.js';

/** Every line is this long, newline included, so bytes convert to lines. */
export const LINE_BYTES = 100;

/** The record with this id, padded to {@link LINE_BYTES} once framed. */
export function record(id: number): string {
  const head = `{"id":${id},"pad":"`;
  return `${head}${'x'.repeat(LINE_BYTES - 1 - head.length - 2)}"}`;
}

/** Writes the records `from` up to (not including) `to`. */
export function writeIds(shipper: Shipper, from: number, to: number): void {
  for (let id = from; id < to; id++) shipper.write(record(id));
}

/** A `webhdfs://` destination on the server at `url`, one directory per stream. */
export function webhdfsDestination(url: string): string {
  return `webhdfs://${new URL(url).host}/logs/{name}`;
}

/**
 * A zone whose hour boundaries are at least five minutes away from `now`,
 * so that a test using `rotate.every: '1h'` never meets one: UTC turns the
 * hour at :00, India at :30 of UTC.
 */
export function zoneAwayFromHourBoundary(now = Date.now()): string {
  const minute = new Date(now).getUTCMinutes();
  return minute >= 5 && minute < 55 ? 'UTC' : 'Asia/Kolkata';
}

export interface TestShipper {
  readonly shipper: Shipper;
  readonly spoolDir: string;
  readonly events: ShipperEventLog;
}

/**
 * Starts a shipper over a new spool, recording its events, closed when the
 * test ends. Defaults: 8 KiB segments, an upload cycle every 100 ms, two
 * attempts per cycle 10 to 50 ms apart. `overrides.upload` is merged.
 */
export async function startShipper(
  t: TestContext,
  destination: string,
  overrides: Partial<HdfsLogOptions> = {},
): Promise<TestShipper> {
  const spoolDir = await makeTempDir(t, 'spool-');
  const shipper = createShipper({
    destination,
    spoolDir,
    user: 'alice',
    rotate: { size: '8KiB' },
    ...overrides,
    upload: {
      interval: 100,
      retries: 2,
      retryDelay: 10,
      maxRetryDelay: 50,
      ...overrides.upload,
    },
  });
  t.after(() => shipper.close());
  return { shipper, spoolDir, events: recordEvents(shipper) };
}

/**
 * Checks the dev server's root: ids `0..count-1` each in exactly one
 * visible file, and no temporary file left behind.
 */
export async function checkPublishedOnce(root: string, count: number): Promise<void> {
  const files = await readPublished(root);
  assert.equal(exactlyOnce(publishedIds(files), count), undefined);
  assert.deepEqual(
    files.filter((file) => file.hidden).map((file) => file.path),
    [],
    'no temporary file is left',
  );
}
