/**
 * Stopping a job while an upload is in flight: with a short timeout the
 * upload is aborted, nothing appears at a final name, and the next start
 * publishes the file exactly once; with a timeout long enough the stop waits
 * and the upload ends published.
 */
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { waitFor } from '../dev-hdfs/fixture.js';
import { startThrottleProxy } from '../helpers/throttle-proxy.js';
import { lines, readCopies, startCopyRig, waitForCopyEvents } from './copy-rig.js';

test('a stop mid-upload leaves no partial file; the next start publishes it once', async (t) => {
  const rig = await startCopyRig(t);
  // 256 KiB/s: the 4 MiB file would take some 16 s to send.
  const proxy = await startThrottleProxy(t, rig.server.dataNodeUrl, 256 * 1024);
  const dataNode = new URL(rig.server.dataNodeUrl).host;
  const content = lines(0, 400_000).slice(0, 4 * 1024 * 1024);
  await writeFile(join(rig.logs, 'big.log'), content);
  const options = rig.job({
    patterns: join(rig.logs, '*.log'),
    webhdfs: { dataNodeRewrite: { [dataNode]: proxy.url } },
  });
  rig.manager.startCopy('app', options);

  const published = join(rig.root, 'logs', 'app');
  const names = async () => readdir(published).catch(() => [] as string[]);
  await waitFor(
    async () => (await names()).some((name) => name.startsWith('.')),
    'an upload',
  );
  const started = performance.now();
  await rig.manager.stopCopy('app', { timeout: 50 });

  assert.ok(performance.now() - started < 2000, 'the upload was aborted, not awaited');
  assert.equal(rig.manager.listCopies()[0]?.state, 'stopped');
  assert.deepEqual(
    (await names()).filter((name) => !name.startsWith('.')),
    [],
    'no file at a final name',
  );
  assert.deepEqual(rig.events.uploaded, []);

  // A new manager with the same state resumes the snapshot, at full speed.
  const again = rig.restart();
  const uploaded = waitForCopyEvents(again.manager, 'uploaded', 'the resumed copy');
  again.manager.startCopy('app', { ...options, webhdfs: {} });
  await uploaded;
  assert.deepEqual([...(await readCopies(rig.root, 'app'))], [['big.log', content]]);
  await waitFor(
    async () => (await names()).length === 1,
    'the aborted attempt swept from the destination',
  );
});

test('a stop waits for an upload in flight that ends within the timeout', async (t) => {
  const rig = await startCopyRig(t);
  // Each request waits 200 ms: the RENAME and the length check come well after
  // the hidden temporary file appears.
  rig.server.setFaults({ delayMs: 200 });
  const content = lines(0, 1000);
  await writeFile(join(rig.logs, 'app.log'), content);
  rig.manager.startCopy('app', rig.job({ patterns: join(rig.logs, '*.log') }));

  const published = join(rig.root, 'logs', 'app');
  const names = async () => readdir(published).catch(() => [] as string[]);
  await waitFor(
    async () => (await names()).some((name) => name.startsWith('.')),
    'an upload',
  );
  assert.equal(rig.events.uploaded.length, 0, 'the stop comes mid-upload');
  await rig.manager.stopCopy('app', { timeout: '20s' });

  assert.equal(rig.manager.listCopies()[0]?.state, 'stopped');
  assert.deepEqual(
    rig.events.uploaded.map((event) => [event.path, event.bytes]),
    [['/logs/app/app.log', content.length]],
  );
  assert.deepEqual([...(await readCopies(rig.root, 'app'))], [['app.log', content]]);
  assert.deepEqual(await names(), ['app.log'], 'no temporary file left');
});
