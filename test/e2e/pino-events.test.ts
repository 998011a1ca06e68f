/**
 * What the pino target relays from pino's worker to the transport stream in
 * the application's thread, against the dev server: the shipper's events
 * with their data, and after each a status snapshot that `trackStatus`
 * follows.
 */
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import pino from 'pino';
import type { DevHdfsFaults } from '../../src/dev-hdfs/index.js';
import {
  ERROR_EVENT,
  STATUS_EVENT,
  trackStatus,
  type HdfsPinoOptions,
} from '../../src/pino.js';
import type { SealedSegment } from '../../src/segment/open-segment.js';
import type { ShipperStatus } from '../../src/shipper.js';
import type {
  ErrorInfo,
  RetryEvent,
  UploadedEvent,
} from '../../src/upload/uploader-events.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import {
  openPinoTransport,
  payloadsOf,
  recordRelayed,
  waitForRelayed,
  type Relayed,
} from '../helpers/pino-relay.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** The `hdfsError` payload: the error as plain data, with its segment. */
type RelayedError = ErrorInfo & { readonly segment?: string };

/** Segments of 4 KiB, published every 100 ms: a few lines seal two or more. */
async function start(t: TestContext, faults: DevHdfsFaults = {}) {
  const { server, root } = await startTestServer(t, { faults });
  const options: HdfsPinoOptions = {
    destination: `webhdfs://${new URL(server.url).host}/logs/{name}`,
    spoolDir: await makeTempDir(t, 'spool-'),
    rotate: { size: 4096 },
    upload: { interval: '100ms', retries: 2, retryDelay: '1ms', maxRetryDelay: '1ms' },
  };
  const transport = openPinoTransport(t, options);
  const log = recordRelayed(transport);
  const status = trackStatus(transport);
  const logger = pino(transport);
  return { server, root, transport, log, status, logger };
}

function logLines(logger: pino.Logger): void {
  for (let id = 0; id < 100; id++) logger.info({ id, pad: 'x'.repeat(50) });
}

/** The snapshot that came right after the event named `name` with `payload`. */
function statusAfter(log: readonly Relayed[], payload: unknown): ShipperStatus {
  const entry = log.find((relayed) => relayed.payload === payload);
  assert.ok(entry?.status, 'a snapshot follows the event');
  return entry.status;
}

test('relays uploaded with the segment’s name, path and bytes', async (t) => {
  const { root, transport, log, logger } = await start(t);
  const sealed = () => payloadsOf<SealedSegment>(log, 'sealed');
  const uploaded = () => payloadsOf<UploadedEvent>(log, 'uploaded');

  logLines(logger);
  await waitForRelayed(transport, 'two segments sealed and published', () => {
    const names = new Set(uploaded().map((event) => event.segment));
    return sealed().length >= 2 && sealed().every((segment) => names.has(segment.name));
  });

  for (const segment of sealed()) {
    const event = uploaded().find((upload) => upload.segment === segment.name);
    assert.ok(event);
    assert.equal(event.path, `/logs/app/${segment.name}`);
    assert.equal(event.bytes, segment.bytes);
    assert.ok(segment.bytes > 0 && segment.bytes <= 4096, `${segment.bytes} B`);
    assert.equal(event.outcome, 'published');
    assert.equal((await stat(join(root, event.path))).size, segment.bytes);
  }
  // Each upload's snapshot counts it: the uploader's status crossed both threads.
  let bytes = 0;
  uploaded().forEach((event, index) => {
    bytes += event.bytes;
    const status = statusAfter(log, event);
    assert.equal(status.uploadedSegments, index + 1);
    assert.equal(status.uploadedBytes, bytes);
    assert.equal(typeof status.lastSuccess, 'number');
    assert.equal(status.lastError, undefined);
  });
  assert.deepEqual(payloadsOf(log, ERROR_EVENT), []);
  assert.deepEqual(payloadsOf(log, STATUS_EVENT), [], 'no snapshot without an event');
});

test('relays a failing cluster as retry and hdfsError, the backlog in the snapshots', async (t) => {
  const { server, transport, log, status, logger } = await start(t, {
    unavailable: true,
  });
  const sealed = () => payloadsOf<SealedSegment>(log, 'sealed');
  const sealedBytes = () => sealed().reduce((sum, segment) => sum + segment.bytes, 0);

  logLines(logger);
  // A run after the last seal lists every sealed segment as waiting.
  let during: { status: ShipperStatus; bytes: number } | undefined;
  await waitForRelayed(transport, 'a run that leaves every segment waiting', () => {
    const last = log.at(-1);
    if (last?.name !== 'cycle' || last.status === undefined || sealed().length < 2) {
      return false;
    }
    if (last.status.pendingSegments !== sealed().length) return false;
    during = { status: last.status, bytes: sealedBytes() };
    return true;
  });

  server.clearFaults();
  await waitForRelayed(
    transport,
    'every sealed segment published',
    () => status()?.uploadedSegments === sealed().length,
  );
  const after = status();

  const names = new Set(sealed().map((segment) => segment.name));
  const retries = payloadsOf<RetryEvent>(log, 'retry');
  const errors = payloadsOf<RelayedError>(log, ERROR_EVENT);
  assert.ok(retries.length > 0 && errors.length > 0, 'retries, then errors');
  for (const retry of retries) {
    assert.ok(names.has(retry.segment), retry.segment);
    assert.equal(retry.attempt, 1);
    assert.equal(retry.error.status, 503);
    assert.equal(retry.error.errorClass, 'retry');
  }
  for (const error of errors) {
    assert.ok(error.segment !== undefined && names.has(error.segment), error.segment);
    assert.equal(error.status, 503);
    assert.equal(error.code, 'ERR_WEBHDFS_HTTP');
    assert.ok(error.message.startsWith(`${error.segment}: `), error.message);
    assert.equal(statusAfter(log, error).lastError?.status, 503);
  }

  assert.ok(during);
  assert.equal(during.status.pendingBytes, during.bytes);
  assert.ok(during.status.oldestPendingMs > 0, `${during.status.oldestPendingMs} ms`);
  assert.equal(during.status.uploadedSegments, 0);
  assert.equal(during.status.lastSuccess, undefined);
  assert.equal(during.status.lastError?.status, 503);

  assert.ok(after);
  assert.deepEqual(
    [after.pendingSegments, after.pendingBytes, after.oldestPendingMs],
    [0, 0, 0],
  );
  assert.equal(after.uploadedBytes, sealedBytes());
  assert.equal(typeof after.lastSuccess, 'number');
  assert.equal(after.lastError?.status, 503, 'the last error is kept');
  assert.ok(after.holdsSpool);
});
