/**
 * The shipper's `diagnostics_channel` channels (README, "Events"): a
 * subscriber sees every upload start and end, and every failure, without a
 * listener on the shipper.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { test, type TestContext } from 'node:test';
import { FlushError, UploadError } from '../../src/errors.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import {
  checkPublishedOnce,
  startShipper,
  webhdfsDestination,
  writeIds,
} from '../helpers/test-shipper.js';

const CHANNELS = {
  start: 'hdfs-log-transport:upload:start',
  end: 'hdfs-log-transport:upload:end',
  error: 'hdfs-log-transport:upload:error',
} as const;

type Messages = Record<keyof typeof CHANNELS, Array<Record<string, unknown>>>;

/** Subscribes to the three channels until the test ends; messages by channel. */
function subscribeAll(t: TestContext): Messages {
  const messages: Messages = { start: [], end: [], error: [] };
  for (const [key, name] of Object.entries(CHANNELS)) {
    const listener = (message: unknown): void => {
      messages[key as keyof Messages].push(message as Record<string, unknown>);
    };
    diagnostics.subscribe(name, listener);
    t.after(() => diagnostics.unsubscribe(name, listener));
  }
  return messages;
}

/** The messages about `segments`: other tests' shippers publish on the same channels. */
function about(messages: Messages, segments: readonly string[]): Messages {
  const ours = (message: Record<string, unknown>) =>
    segments.includes(message.segment as string);
  return {
    start: messages.start.filter(ours),
    end: messages.end.filter(ours),
    error: messages.error.filter(ours),
  };
}

function bySegment<T extends { readonly segment?: unknown }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => String(a.segment).localeCompare(String(b.segment)));
}

test('publishes an upload start and end for every segment', async (t) => {
  const { server, root } = await startTestServer(t);
  const messages = subscribeAll(t);
  const { shipper, events } = await startShipper(t, webhdfsDestination(server.url));

  writeIds(shipper, 0, 300); // 30 KB: four segments of 8 KiB
  await shipper.flush();

  await checkPublishedOnce(root, 300);
  const names = events.sealed.map((segment) => segment.name);
  assert.ok(names.length >= 4, `${names.length} segments`);
  const seen = about(messages, names);
  assert.deepEqual(
    bySegment(seen.start),
    bySegment(
      events.sealed.map(({ name, bytes }) => ({ segment: name, bytes, attempt: 1 })),
    ),
  );
  const ends = bySegment(seen.end).map(({ durationMs, ...rest }) => {
    assert.ok(typeof durationMs === 'number' && durationMs >= 0, String(durationMs));
    return rest;
  });
  const published = events.sealed.map(({ name, bytes }) => ({
    segment: name,
    path: `/logs/app/${name}`,
    bytes,
    outcome: 'published',
    verification: 'length',
  }));
  assert.deepEqual(ends, bySegment(published));
  // The same payloads as the shipper's own events.
  assert.deepEqual(bySegment(seen.start), bySegment(events.publishing));
  assert.deepEqual(bySegment(seen.end), bySegment(events.uploaded));
  assert.deepEqual(seen.error, []);
});

test('publishes an upload error for a segment that cannot be published', async (t) => {
  const { server } = await startTestServer(t);
  const messages = subscribeAll(t);
  const { shipper, events } = await startShipper(t, webhdfsDestination(server.url), {
    upload: { interval: '1h' },
  });
  server.setFaults({ denyWrite: ['/logs'] });

  writeIds(shipper, 0, 10);
  await assert.rejects(shipper.flush(), FlushError);

  const names = events.sealed.map((segment) => segment.name);
  assert.equal(names.length, 1);
  const seen = about(messages, names);
  assert.equal(seen.start.length, 1, 'the attempt started');
  assert.deepEqual(seen.end, []);
  assert.equal(seen.error.length, 1);
  const { segment, error } = seen.error[0] ?? {};
  assert.equal(segment, names[0]);
  assert.ok(error instanceof UploadError, 'an UploadError');
  assert.equal(error.segment, names[0]);
  assert.equal(error.exception, 'AccessControlException');
  assert.equal(error.status, 403);
  assert.equal(error.errorClass, 'permanent');
  assert.equal(error, events.errors[0], 'the error the shipper emits');
});
