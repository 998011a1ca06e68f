import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { FlushError } from '../../src/errors.js';
import { createShipper } from '../../src/shipper.js';
import type { Destination } from '../../src/upload/destination.js';
import { WebHdfsDestination } from '../../src/upload/webhdfs-destination.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { recordEvents } from '../helpers/shipper-events.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import {
  checkPublishedOnce,
  startShipper,
  webhdfsDestination,
  writeIds,
} from '../helpers/test-shipper.js';

for (const compress of [false, 'gzip'] as const) {
  test(`verify: checksum compares GETFILECHECKSUM with the local checksum (compress ${compress})`, async (t) => {
    const { server, root } = await startTestServer(t);
    const { shipper, events } = await startShipper(t, webhdfsDestination(server.url), {
      verify: 'checksum',
      compress,
    });

    writeIds(shipper, 0, 300);
    await shipper.flush();

    await checkPublishedOnce(root, 300);
    assert.ok(events.uploaded.length > 1, `${events.uploaded.length} segments`);
    assert.deepEqual(
      new Set(events.uploaded.map((event) => event.verification)),
      new Set(['checksum']),
    );
  });
}

/**
 * The dev server's WebHDFS, but every file just renamed into place has its
 * bytes changed (same length) on the server's disk: what a corruption
 * between the client and the DataNodes would leave.
 */
function corruptingDestination(url: string, root: string): Destination {
  const inner = new WebHdfsDestination(url, { user: 'alice' });
  return {
    description: inner.description,
    directoryFor: (placement) => inner.directoryFor(placement),
    upload: (localPath, path, options) => inner.upload(localPath, path, options),
    rename: async (from, to, options) => {
      await inner.rename(from, to, options);
      const file = join(root, to);
      const content = await readFile(file);
      content[0] = content[0] === 0x7b ? 0x5b : 0x7b;
      await writeFile(file, content);
    },
    stat: (path, options) => inner.stat(path, options),
    list: (path, options) => inner.list(path, options),
    delete: (path, options) => inner.delete(path, options),
    verifyContent: (localPath, path, options) =>
      inner.verifyContent(localPath, path, options),
    close: () => inner.close(),
  };
}

test('a segment whose published checksum differs is kept, reported once, never resent', async (t) => {
  const { server, root } = await startTestServer(t);
  const spoolDir = await makeTempDir(t, 'spool-');
  const shipper = createShipper({
    destination: corruptingDestination(webhdfsDestination(server.url), root),
    spoolDir,
    verify: 'checksum',
    upload: { interval: '1h', retries: 2, retryDelay: 10, maxRetryDelay: 50 },
  });
  t.after(() => shipper.close());
  const events = recordEvents(shipper);

  writeIds(shipper, 0, 10);
  const first = await shipper.flush().catch((error: unknown) => error);
  const second = await shipper.flush().catch((error: unknown) => error);

  for (const failure of [first, second]) {
    assert.ok(failure instanceof FlushError, String(failure));
    assert.equal(failure.failures[0]?.code, 'ERR_VERIFY_MISMATCH');
  }
  assert.equal((await readdir(join(spoolDir, 'ready'))).length, 1, 'the segment is kept');
  assert.deepEqual(
    events.errors.map((error) => error.code),
    ['ERR_VERIFY_MISMATCH'],
    'reported once',
  );
  assert.deepEqual(events.uploaded, []);
  // A mismatch is permanent: one attempt per run (the first run may be the timer's).
  assert.ok(events.publishing.length >= 2);
  assert.ok(events.publishing.every((event) => event.attempt === 1));
  const published = await readdir(join(root, 'logs', 'app'));
  assert.equal(published.length, 1, `sent once: ${published.join(', ')}`);
});
