import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import pino from 'pino';
import winston from 'winston';
import { createShipper } from '../../src/shipper.js';
import { HdfsTransport } from '../../src/winston.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { exactlyOnce, publishedIds, readPublished } from '../helpers/published.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('a winston transport and a pino target in one process share a spool', async (t) => {
  const { server, root } = await startTestServer(t);
  const options = {
    destination: `webhdfs://${new URL(server.url).host}/logs/{name}`,
    spoolDir: await makeTempDir(t, 'spool-'),
  };
  const transport = new HdfsTransport(options);
  const logger = winston.createLogger({
    format: winston.format.json(),
    transports: [transport],
  });
  const pinoTransport = pino.transport({ target: 'hdfs-log-transport/pino', options });
  const pinoLogger = pino(pinoTransport);

  for (let id = 0; id < 1000; id++) {
    if (id % 2 === 0) logger.info('even', { id });
    else pinoLogger.info({ id }, 'odd');
  }
  logger.end();
  await once(transport, 'finish');
  const pinoDone = once(pinoTransport, 'finish');
  pinoTransport.end();
  await pinoDone;
  const next = createShipper(options); // the next start publishes what both left
  await next.flush();
  await next.close();

  assert.equal(exactlyOnce(publishedIds(await readPublished(root)), 1000), undefined);
});
