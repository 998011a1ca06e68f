import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import winston from 'winston';
import TransportStream from 'winston-transport';
import { HdfsTransport } from '../../src/winston.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { exactlyOnce, publishedIds, readPublished } from '../helpers/published.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** A transport on a fresh dev server; `publishOnClose` makes close() publish too. */
const run = promisify(execFile);

async function setup(t: TestContext, publishOnClose = false) {
  const { server, root } = await startTestServer(t);
  const spoolDir = await makeTempDir(t, 'spool-');
  const transport = new HdfsTransport({
    destination: `webhdfs://${new URL(server.url).host}/logs/{name}`,
    spoolDir,
    upload: { onClose: publishOnClose, closeTimeout: '20s' },
  });
  t.after(() => transport.shipper.close());
  return { root, spoolDir, transport };
}

/** Every line sealed in the spool's ready/ directory. */
async function sealedLines(spoolDir: string): Promise<string[]> {
  const dir = join(spoolDir, 'ready');
  const names = (await readdir(dir)).sort();
  const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
  return texts.join('').split('\n').filter(Boolean);
}

test('winston records reach HDFS exactly once, one line each, on logger.end()', async (t) => {
  const { root, transport } = await setup(t, true);
  const logger = winston.createLogger({
    format: winston.format.json(),
    transports: [transport],
  });
  let logged = 0;
  transport.on('logged', () => (logged += 1));

  for (let id = 0; id < 1000; id++) logger.info('request done', { id });
  logger.end();
  await once(transport, 'finish');

  assert.equal(logged, 1000, "one 'logged' event per record");
  assert.equal(exactlyOnce(publishedIds(await readPublished(root)), 1000), undefined);
});

test('keeps a message with line breaks as one record, with any format', async (t) => {
  const { spoolDir, transport } = await setup(t);
  const logger = winston.createLogger({
    format: winston.format.simple(),
    transports: [transport],
  });

  logger.error('failed:\n  at step one\n  at step two');
  logger.end();
  await once(transport, 'finish');

  assert.deepEqual(await sealedLines(spoolDir), [
    'error: failed:\\n  at step one\\n  at step two',
  ]);
});

test('honours levels, child loggers and a transport beside it', async (t) => {
  const { spoolDir, transport } = await setup(t);
  const seen: string[] = [];
  const beside = new winston.transports.Stream({
    stream: new Writable({
      objectMode: true,
      write(info: { message: string }, _encoding, callback) {
        seen.push(info.message);
        callback();
      },
    }),
  });
  const logger = winston.createLogger({
    level: 'info',
    format: winston.format.json(),
    transports: [transport, beside],
  });
  const child = logger.child({ requestId: 'r-1' });

  logger.debug('too verbose');
  child.warn('from the child');
  logger.end();
  await once(transport, 'finish');

  const lines = (await sealedLines(spoolDir)).map((line) => JSON.parse(line) as object);
  assert.deepEqual(lines, [
    { level: 'warn', message: 'from the child', requestId: 'r-1' },
  ]);
  assert.deepEqual(seen, ['from the child']);
});

test('loses nothing when logger.end() follows a burst (winston issue 2219)', async (t) => {
  const { spoolDir, transport } = await setup(t);
  // A transport beside it that calls back later (as winston's File does) makes
  // winston hold records in its own buffer when logger.end() ends the transports.
  class Slow extends TransportStream {
    override log(_info: unknown, callback: () => void): void {
      setImmediate(callback);
    }
  }
  const logger = winston.createLogger({
    format: winston.format.json(),
    transports: [transport, new Slow()],
  });
  // The slow one gets "write after end", as winston's File transport does.
  logger.on('error', () => undefined);

  for (let id = 0; id < 20_000; id++) logger.info('burst', { id });
  logger.end();
  await once(transport, 'finish');

  const ids = (await sealedLines(spoolDir)).map(
    (line) => (JSON.parse(line) as { id: number }).id,
  );
  assert.equal(exactlyOnce(ids, 20_000), undefined);
});

test('reports errors through winston only where someone listens', async (t) => {
  const { transport } = await setup(t);
  const logger = winston.createLogger({ transports: [transport] });
  const errors: unknown[] = [];

  transport.shipper.emit('error', new Error('nobody listens') as never);
  logger.on('error', (error) => errors.push(error));
  transport.shipper.emit('error', new Error('the logger listens') as never);
  logger.end();
  await once(transport, 'finish');

  assert.deepEqual(
    errors.map((error) => (error as Error).message),
    ['the logger listens'],
  );
});

test('loads with require() from a CommonJS application', async (t) => {
  const script = fileURLToPath(
    new URL('../../../test/fixtures/require-winston.cjs', import.meta.url),
  );
  const dir = await makeTempDir(t);
  const destination = pathToFileURL(join(dir, 'published')).href;
  const { stdout } = await run(process.execPath, [
    script,
    destination,
    join(dir, 'spool'),
  ]);

  assert.equal(stdout.trim(), 'function 0');
  const sealed = await sealedLines(join(dir, 'spool'));
  assert.equal(
    (JSON.parse(sealed[0] ?? '{}') as { message?: string }).message,
    'from CommonJS',
  );
});

test('records an uncaught exception winston handles, before the process dies', async (t) => {
  const script = fileURLToPath(
    new URL('../fixtures/winston-exception-child.js', import.meta.url),
  );
  const spoolDir = join(await makeTempDir(t), 'spool');

  await assert.rejects(run(process.execPath, [script, spoolDir]), { code: 1 });

  const [line = '{}'] = await sealedLines(spoolDir);
  const record = JSON.parse(line) as { level: string; message: string };
  assert.equal(record.level, 'error');
  assert.match(record.message, /uncaughtException: something broke/);
});
