/**
 * The winston transport through the moments where winston itself unpipes
 * it: an error it reports, and logger.close() with a transport beside it.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import winston from 'winston';
import TransportStream from 'winston-transport';
import { HdfsTransport } from '../../src/winston.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { exactlyOnce } from '../helpers/published.js';
import { sealedIds } from '../helpers/sealed-lines.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** Calls back on a later turn, as winston's File transport does under a burst. */
class Slow extends TransportStream {
  override log(_info: unknown, callback: () => void): void {
    setImmediate(callback);
  }
}

async function spoolTransport(t: TestContext): Promise<HdfsTransport> {
  const dir = await makeTempDir(t);
  const transport = new HdfsTransport({
    destination: pathToFileURL(join(dir, 'published')).href,
    spoolDir: join(dir, 'spool'),
    upload: { interval: '1h' },
  });
  t.after(() => transport.shipper.close());
  return transport;
}

test('keeps writing, at the logger’s level, after an error went through winston', async (t) => {
  const { server } = await startTestServer(t, { faults: { quotaBytes: 1 } });
  const spoolDir = await makeTempDir(t, 'spool-');
  const transport = new HdfsTransport({
    destination: `webhdfs://${new URL(server.url).host}/logs/{name}`,
    spoolDir,
  });
  t.after(() => transport.shipper.close());
  const logger = winston.createLogger({
    level: 'info',
    format: winston.format.json(),
    transports: [transport],
  });
  const errors: { code?: string }[] = [];
  logger.on('error', (error: { code?: string }) => errors.push(error));

  logger.info('before', { id: 0 });
  // The quota refuses the upload: the uploader's error goes through winston.
  await assert.rejects(transport.shipper.flush(), { code: 'ERR_FLUSH_INCOMPLETE' });
  assert.deepEqual(
    errors.map((error) => error.code),
    ['ERR_WEBHDFS_REMOTE'],
  );
  for (let id = 1; id <= 100; id++) logger.info('after', { id });
  logger.debug('too verbose', { id: -1 });
  logger.end();
  await once(transport, 'finish');

  assert.equal(exactlyOnce(await sealedIds(spoolDir), 101), undefined);
  assert.equal(transport.shipper.status().droppedLines, 0);
});

for (const beside of ['winston’s File transport', 'a transport that calls back later']) {
  test(`logger.close() seals every record, with ${beside} beside`, async (t) => {
    const transport = await spoolTransport(t);
    const other =
      beside === 'a transport that calls back later'
        ? new Slow()
        : new winston.transports.File({
            filename: join(await makeTempDir(t), 'beside.log'),
          });
    const logger = winston.createLogger({
      format: winston.format.json(),
      transports: [transport, other],
    });

    // winston warns once per record it formats while it has no transport.
    const warnings = t.mock.method(console, 'error');

    for (let id = 0; id < 50_000; id++) logger.info('burst', { id });
    const finished = once(transport, 'finish');
    logger.close();
    await finished;
    warnings.mock.restore();

    const { spoolDir } = transport.shipper.options;
    assert.equal(exactlyOnce(await sealedIds(spoolDir), 50_000), undefined);
    assert.deepEqual(await readdir(join(spoolDir, 'active')), [], 'nothing left open');
    assert.equal(warnings.mock.callCount(), 0, 'no warning from winston');
  });
}

test('logger.remove() seals what the logger held for the transport', async (t) => {
  const transport = await spoolTransport(t);
  const logger = winston.createLogger({
    format: winston.format.json(),
    transports: [transport, new Slow()],
  });

  for (let id = 0; id < 1000; id++) logger.info('burst', { id });
  const finished = once(transport, 'finish');
  logger.remove(transport);
  await finished;
  logger.info('after the removal', { id: 1000 });

  const { spoolDir } = transport.shipper.options;
  assert.equal(exactlyOnce(await sealedIds(spoolDir), 1000), undefined);
});

test('reports an error after logger.close() without winston adding the transport back', async (t) => {
  const transport = await spoolTransport(t);
  const logger = winston.createLogger({ transports: [transport] });
  const errors: Error[] = [];
  logger.on('error', (error: Error) => errors.push(error));

  const finished = once(transport, 'finish');
  logger.close();
  await finished;
  transport.shipper.emit('error', new Error('from the last publish') as never);

  assert.deepEqual(
    errors.map((error) => error.message),
    ['from the last publish'],
  );
  assert.equal(logger.transports.length, 0, 'the transport stays removed');
});
