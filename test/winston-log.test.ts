/**
 * winston's transport contract for `log()` (winston-transport's README):
 * write, emit `logged`, call back once per record, never throw; and the
 * line written when a format leaves no `info[MESSAGE]`.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import winston from 'winston';
import { HdfsTransport } from '../src/winston.js';
import { makeTempDir } from './helpers/temp-dir.js';

const MESSAGE = Symbol.for('message');

async function start(t: TestContext) {
  const dir = await makeTempDir(t);
  const spoolDir = join(dir, 'spool');
  const transport = new HdfsTransport({
    destination: pathToFileURL(join(dir, 'published')).href,
    spoolDir,
  });
  t.after(() => transport.shipper.close());
  return { transport, spoolDir };
}

/** Closes the shipper and returns every line it sealed. */
async function sealedLines(transport: HdfsTransport): Promise<string[]> {
  await transport.shipper.close();
  const ready = join(transport.shipper.options.spoolDir, 'ready');
  const names = (await readdir(ready)).sort();
  const texts = await Promise.all(
    names.map((name) => readFile(join(ready, name), 'utf8')),
  );
  return texts.join('').split('\n').filter(Boolean);
}

test('log() calls back exactly once per record and emits logged for each', async (t) => {
  const { transport } = await start(t);
  const callbacks = new Array<number>(500).fill(0);
  const logged: unknown[] = [];
  transport.on('logged', (info) => logged.push(info));

  const records = callbacks.map((_, id) => ({
    level: 'info',
    message: 'record',
    id,
    [MESSAGE]: JSON.stringify({ level: 'info', message: 'record', id }),
  }));
  records.forEach((info, id) => {
    transport.log(info, () => (callbacks[id] = (callbacks[id] ?? 0) + 1));
  });
  const lines = await sealedLines(transport);

  assert.deepEqual(
    callbacks.filter((count) => count !== 1),
    [],
    'every callback once, none twice',
  );
  assert.deepEqual(logged, records, 'the record itself, in order');
  assert.equal(lines.length, 500);
});

test('no line from the format: one line per record (circular, BigInt, no prototype)', async (t) => {
  const { transport } = await start(t);
  const logger = winston.createLogger({
    // Leaves info[MESSAGE] unset, as a custom format may.
    format: winston.format((info) => info)(),
    transports: [transport],
  });
  let callbacks = 0;
  const log = transport.log.bind(transport);
  t.mock.method(transport, 'log', (info: Record<string, unknown>, next: () => void) =>
    log(info, () => {
      callbacks += 1;
      next();
    }),
  );
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  // No prototype, as querystring.parse() returns: String() throws for it.
  const bare = Object.create(null) as Record<string, unknown>;
  bare.self = bare;

  logger.info('plain', { id: 1 });
  logger.info('circular', { id: 2, circular });
  logger.info('big', { id: 3, big: 10n ** 20n });
  logger.warn(circular);
  logger.error({ message: bare, id: 5 });
  logger.end();
  await once(transport, 'finish');
  const lines = await sealedLines(transport);

  assert.equal(callbacks, 5);
  assert.equal(lines.length, 5, lines.join('\n'));
  const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(parsed[0], { level: 'info', message: 'plain', id: 1 });
  assert.deepEqual(
    parsed.slice(1, 3).map((record) => [record.level, record.message]),
    [
      ['info', 'circular'],
      ['info', 'big'],
    ],
  );
  assert.equal(parsed[3]?.level, 'warn', 'an object logged alone');
  assert.deepEqual(parsed[4], { level: 'error', message: '[object Object]' });
});
