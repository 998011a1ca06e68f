/**
 * A real winston logger against the dev server: segments rotated by size and
 * by clock period, and transport.shipper.flush() while the logger goes on.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import winston from 'winston';
import type { HdfsLogOptions } from '../../src/options.js';
import { HdfsTransport } from '../../src/winston.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { exactlyOnce, publishedIds, readPublished } from '../helpers/published.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { webhdfsDestination } from '../helpers/test-shipper.js';
import { waitForEmitted } from '../helpers/wait-for-emitted.js';

async function start(
  t: TestContext,
  rotate: HdfsLogOptions['rotate'],
  publishOnClose = false,
) {
  const { server, root } = await startTestServer(t);
  const transport = new HdfsTransport({
    destination: webhdfsDestination(server.url),
    spoolDir: await makeTempDir(t, 'spool-'),
    rotate,
    upload: { onClose: publishOnClose, closeTimeout: '20s' },
  });
  t.after(() => transport.shipper.close());
  const logger = winston.createLogger({
    format: winston.format.json(),
    transports: [transport],
  });
  return { root, transport, logger };
}

/** The published files, visible ones only, each with the ids of its lines. */
async function publishedFiles(root: string) {
  const files = (await readPublished(root)).filter((file) => !file.hidden);
  return files.map((file) => ({ ...file, ids: publishedIds([file]) }));
}

test('size rotation publishes whole-line segments no larger than rotate.size', async (t) => {
  const { root, transport, logger } = await start(t, { size: 4096 });

  for (let id = 0; id < 2000; id++)
    logger.info('sized', { id, pad: 'x'.repeat(id % 61) });
  await transport.shipper.flush();

  const files = await publishedFiles(root);
  assert.ok(files.length > 20, `${files.length} files`);
  for (const file of files) {
    const bytes = Buffer.byteLength(file.content);
    assert.ok(file.content.endsWith('\n') && bytes <= 4096, `${file.path}: ${bytes} B`);
  }
  assert.equal(exactlyOnce(publishedIds(files), 2000), undefined);
});

test('time rotation seals each period apart, and the logger goes on after a flush', async (t) => {
  const { root, transport, logger } = await start(t, { every: '1s' }, true);

  // Three periods: a batch, then wait until the period timer sealed all of it
  // (a batch that straddles a boundary is sealed in two segments).
  for (let batch = 0; batch < 3; batch++) {
    const sealed = waitForEmitted(transport.shipper, 'sealed', `batch ${batch} sealed`, {
      accept: () => transport.shipper.status().activeBytes === 0,
      timeoutMs: 5000,
    });
    for (let id = batch * 100; id < (batch + 1) * 100; id++) logger.info('timed', { id });
    await sealed;
  }
  await transport.shipper.flush();
  for (let id = 300; id < 400; id++) logger.info('after the flush', { id });
  logger.end();
  await once(transport, 'finish');

  const files = await publishedFiles(root);
  assert.ok(files.length >= 4, `${files.length} files, one or two per batch`);
  for (const file of files) {
    const batches = new Set(file.ids.map((id) => Math.floor(id / 100)));
    assert.equal(batches.size, 1, `${file.path} holds one batch`);
  }
  assert.equal(exactlyOnce(publishedIds(files), 400), undefined);
});
