/**
 * A shipper publishing through a Knox-style gateway that wants a name and
 * a password: its uploader thread logs in on every request, a refused
 * password loses nothing, and the password file, once corrected, is read
 * again without a restart.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { FlushError } from '../../src/errors.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import {
  checkPublishedOnce,
  startShipper,
  webhdfsDestination,
  writeIds,
} from '../helpers/test-shipper.js';

test('publishes through a gateway login, and waits out a wrong password', async (t) => {
  const { server, root } = await startTestServer(t, {
    gateway: true,
    basicAuth: { logship: 'rotated-2026-12' },
  });
  const passwordFile = join(await makeTempDir(t), 'knox-password');
  await writeFile(passwordFile, 'rotated-2026-11\n');
  const { shipper, events } = await startShipper(t, webhdfsDestination(server.url), {
    webhdfs: { gateway: true, basicAuth: { user: 'logship', passwordFile } },
  });

  writeIds(shipper, 0, 200);
  await assert.rejects(shipper.flush(), FlushError);
  const refusal = events.errors.map((error) => error.message).join('\n');
  assert.match(refusal, /password of webhdfs\.basicAuth were refused/);
  assert.ok(!refusal.includes('rotated-2026'), refusal);
  assert.equal(shipper.status().pendingSegments > 0, true);

  await writeFile(passwordFile, 'rotated-2026-12\n');
  writeIds(shipper, 200, 300);
  await shipper.flush();
  await checkPublishedOnce(root, 300);
});
