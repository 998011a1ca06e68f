import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pino from 'pino';
import { STATUS_EVENT, trackStatus, type HdfsPinoOptions } from '../../src/pino.js';
import type { SealedSegment } from '../../src/segment/open-segment.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { startCli } from '../helpers/cli.js';
import { exactlyOnce, publishedIds, readPublished } from '../helpers/published.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const PASS_THROUGH = fileURLToPath(
  new URL('../fixtures/pino-passthrough.js', import.meta.url),
);
const FLUSH_CHILD = fileURLToPath(
  new URL('../fixtures/pino-flush-child.js', import.meta.url),
);
const run = promisify(execFile);

async function setup(t: TestContext) {
  const { server, root } = await startTestServer(t);
  const spoolDir = await makeTempDir(t, 'spool-');
  const options: HdfsPinoOptions = {
    destination: `webhdfs://${new URL(server.url).host}/logs/{name}`,
    spoolDir,
  };
  return { root, spoolDir, options, dir: await makeTempDir(t) };
}

async function sealedLines(spoolDir: string): Promise<string[]> {
  const dir = join(spoolDir, 'ready');
  const names = (await readdir(dir)).sort();
  const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
  return texts.join('').split('\n').filter(Boolean);
}

/** Ends a pino transport and waits until its worker has finished (PITFALLS: 'finish'). */
async function end(transport: ReturnType<typeof pino.transport>): Promise<void> {
  const finished = once(transport, 'finish');
  transport.end();
  await finished;
}

test('pino lines reach HDFS unchanged, through the target in pino’s worker', async (t) => {
  // transport.end() blocks this thread until the worker is done: the server
  // the worker publishes to on close must not live on this thread.
  const root = await makeTempDir(t, 'hdfs-');
  const server = startCli(t, ['dev-hdfs', '--root', root, '--port', '0']);
  const [, url = ''] = await server.waitFor(/NameNode: (http:\/\/\S+)/);
  const options: HdfsPinoOptions = {
    destination: `webhdfs://${new URL(url).host}/logs/{name}`,
    spoolDir: await makeTempDir(t, 'spool-'),
    upload: { onClose: true, closeTimeout: '5s' },
  };
  const transport = pino.transport({ target: 'hdfs-log-transport/pino', options });
  const logger = pino(transport);

  for (let id = 0; id < 2000; id++) logger.info({ id }, 'request done');
  await end(transport);

  const files = await readPublished(root);
  assert.equal(exactlyOnce(publishedIds(files), 2000), undefined);
  const first = JSON.parse(files[0]?.content.split('\n')[0] ?? '{}') as Record<
    string,
    unknown
  >;
  assert.deepEqual(Object.keys(first), ['level', 'time', 'pid', 'hostname', 'id', 'msg']);
});

test('works inside targets, next to pino/file, and after a pipeline step', async (t) => {
  const { spoolDir, options, dir } = await setup(t);
  const file = join(dir, 'beside.log');
  const beside = pino.transport({
    targets: [
      { target: 'hdfs-log-transport/pino', options, level: 'info' },
      { target: 'pino/file', options: { destination: file } as never, level: 'info' },
    ],
  });
  const logger = pino(beside);
  for (let id = 0; id < 500; id++) logger.info({ id });
  await end(beside);

  const copy = await readFile(file, 'utf8');
  const lines = await sealedLines(spoolDir);
  assert.equal(lines.length, 500);
  assert.equal(`${lines.join('\n')}\n`, copy, 'the same lines as pino/file');

  const piped = pino.transport({
    pipeline: [{ target: PASS_THROUGH }, { target: 'hdfs-log-transport/pino', options }],
  });
  const second = pino(piped);
  for (let id = 500; id < 1000; id++) second.info({ id });
  await end(piped);

  const ids = (await sealedLines(spoolDir)).map(
    (line) => (JSON.parse(line) as { id: number }).id,
  );
  assert.equal(
    exactlyOnce(ids, 1000),
    undefined,
    'lines cut by the pipeline arrive whole',
  );
});

test('reports the shipper’s events and status on the transport stream', async (t) => {
  const { options } = await setup(t);
  const transport = pino.transport({
    target: 'hdfs-log-transport/pino',
    options: { ...options, rotate: { size: 4096 } },
  });
  const status = trackStatus(transport);
  const sealed = once(transport, 'sealed') as Promise<[SealedSegment]>;
  const logger = pino(transport);

  for (let id = 0; id < 100; id++) logger.info({ id, pad: 'x'.repeat(50) });
  const [segment] = await sealed;
  await once(transport, STATUS_EVENT); // the snapshot that follows every event
  const snapshot = status();
  await end(transport);

  assert.match(segment.name, /^app\.\d{8}T\d{6}Z\./);
  assert.equal(typeof snapshot?.pendingSegments, 'number');
});

test('logger.flush() puts what pino accepted on the local disk', async (t) => {
  const { spoolDir, options } = await setup(t);
  const transport = pino.transport({ target: 'hdfs-log-transport/pino', options });
  const logger = pino(transport);

  for (let id = 0; id < 100; id++) logger.info({ id });
  await new Promise<void>((resolve, reject) => {
    logger.flush((error) => (error ? reject(error) : resolve()));
  });
  const active = join(spoolDir, 'active');
  const [name = ''] = await readdir(active);
  const text = await readFile(join(active, name), 'utf8');
  await end(transport);

  assert.equal(text.split('\n').filter(Boolean).length, 100);
});

for (const shape of ['target', 'targets']) {
  const where = shape === 'target' ? 'as the only target' : 'inside targets: [...]';
  test(`logger.flush() has the lines on disk when it calls back, ${where}`, async (t) => {
    const dir = await makeTempDir(t);
    const fifo = join(dir, 'fifo');
    await run('mkfifo', [fifo]);
    const { stdout } = await run(
      process.execPath,
      [FLUSH_CHILD, join(dir, 'spool'), fifo, shape, '1000'],
      { env: { ...process.env, UV_THREADPOOL_SIZE: '1' }, timeout: 30_000 },
    );

    assert.equal(stdout.trim(), 'lines 1000');
  });
}

test('never cuts a line in two at a size rotation (pino-roll does)', async (t) => {
  const { spoolDir, options } = await setup(t);
  const transport = pino.transport({
    target: 'hdfs-log-transport/pino',
    options: { ...options, rotate: { size: 4096 } },
  });
  const logger = pino(transport);

  for (let id = 0; id < 3000; id++) logger.info({ id, pad: 'x'.repeat(id % 97) });
  await end(transport);

  const ready = join(spoolDir, 'ready');
  const names = await readdir(ready);
  assert.ok(names.length > 10, `${names.length} segments`);
  const ids: number[] = [];
  for (const name of names.sort()) {
    const text = await readFile(join(ready, name), 'utf8');
    assert.ok(
      text.endsWith('\n') && text.length <= 4096,
      `${name}: ${text.length} bytes`,
    );
    for (const line of text.split('\n').filter(Boolean)) {
      ids.push((JSON.parse(line) as { id: number }).id);
    }
  }
  assert.equal(exactlyOnce(ids, 3000), undefined);
});
