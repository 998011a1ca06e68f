import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FlushError } from '../../src/errors.js';
import type { Duration } from '../../src/duration.js';
import { createShipper, type Shipper } from '../../src/shipper.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { exactlyOnce, publishedIds, readPublished } from '../helpers/published.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const CHILD = fileURLToPath(new URL('../fixtures/shipper-child.js', import.meta.url));
const RUN = 1_000_000;

async function setup(t: TestContext) {
  const { root, server } = await startTestServer(t);
  const spool = await makeTempDir(t, 'spool-');
  const destination = `webhdfs://${new URL(server.url).host}/logs/{name}`;
  const shippers: Shipper[] = [];
  const start = (interval: Duration = '1h') => {
    const shipper = createShipper({
      destination,
      spoolDir: spool,
      upload: { interval, retryDelay: 5, maxRetryDelay: 20 },
    });
    shippers.push(shipper);
    return shipper;
  };
  t.after(() => Promise.all(shippers.map((shipper) => shipper.close())));
  return { root, spool, destination, start };
}

function child(t: TestContext, args: string[]) {
  const process_ = spawn(process.execPath, [CHILD, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  t.after(() => {
    if (process_.exitCode === null && process_.signalCode === null)
      process_.kill('SIGKILL');
  });
  let output = '';
  process_.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(process_, 'exit');
  const waitFor = async (text: string) => {
    const deadline = Date.now() + 20_000;
    while (!output.includes(text)) {
      if (Date.now() > deadline || process_.exitCode !== null) {
        throw new Error(`child never said "${text}": ${output}`);
      }
      await Promise.race([once(process_.stdout, 'data'), exited]);
    }
  };
  return { process: process_, waitFor };
}

/** Flushes, waiting while another uploader (which will finish the job) holds the spool. */
async function flushWhenHeld(shipper: Shipper): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await shipper.flush();
      return;
    } catch (error) {
      if (!(error instanceof FlushError) || attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

test('two shippers here and one in another process share a spool; one uploader', async (t) => {
  const { root, destination, spool, start } = await setup(t);
  const a = start();
  const b = start();
  const other = child(t, [spool, destination, 'burst', '2', '500']);

  for (let i = 0; i < 500; i++) a.write(JSON.stringify({ id: 0 * RUN + i }));
  for (let i = 0; i < 500; i++) b.write(JSON.stringify({ id: 1 * RUN + i }));
  await other.waitFor('flushed');
  await flushWhenHeld(a);
  await flushWhenHeld(b);

  const ids = publishedIds(await readPublished(root));
  const expected = [0, 1, 2].flatMap((run) =>
    Array.from({ length: 500 }, (_, i) => run * RUN + i),
  );
  assert.equal(
    exactlyOnce(
      ids.map((id) => expected.indexOf(id)),
      expected.length,
    ),
    undefined,
  );
  const holders = [a, b].filter((shipper) => shipper.status().holdsSpool);
  assert.ok(holders.length <= 1, 'at most one uploader holds the spool');
});

test("another process's live segment is never sealed or published by this uploader", async (t) => {
  const { root, destination, spool, start } = await setup(t);
  const writer = child(t, [spool, destination, 'hold', '3', '200']);
  await writer.waitFor('holding');
  const uploader = start();

  await uploader.flush();
  await uploader.flush();
  assert.equal(
    (await readdir(join(spool, 'active'))).length,
    1,
    'its segment stays open',
  );
  assert.deepEqual(publishedIds(await readPublished(root)), []);

  writer.process.stdin.write('go on\n');
  await writer.waitFor('closed');
  await uploader.flush();

  const ids = publishedIds(await readPublished(root)).map((id) => id - 3 * RUN);
  assert.equal(exactlyOnce(ids, 400), undefined);
});

test('takes over the spool when its uploading process dies, publishing its segments', async (t) => {
  const { root, destination, spool, start } = await setup(t);
  const first = child(t, [spool, destination, 'hold', '4', '300']);
  await first.waitFor('holding');
  first.process.kill('SIGKILL');
  await once(first.process, 'exit');

  const survivor = start();
  await flushWhenHeld(survivor);

  // What reached its disk before the kill (at most its buffer may not have) is published.
  const ids = publishedIds(await readPublished(root)).map((id) => id - 4 * RUN);
  assert.ok(ids.length > 0, 'its open segment was recovered');
  assert.equal(
    exactlyOnce(ids, ids.length),
    undefined,
    'a prefix of its lines, each once',
  );
  assert.equal(survivor.status().holdsSpool, true);
});

test('an application that writes and returns exits on its own, lines sealed', async (t) => {
  const { root, destination, spool, start } = await setup(t);
  const leaver = child(t, [spool, destination, 'leave', '5', '100']);
  const [code] = (await Promise.race([
    once(leaver.process, 'exit'),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('still running')), 15_000),
    ),
  ])) as [number | null];
  assert.equal(code, 0);
  assert.deepEqual(await readdir(join(spool, 'active')), [], 'sealed at exit');

  await start().flush();
  const ids = publishedIds(await readPublished(root)).map((id) => id - 5 * RUN);
  assert.equal(exactlyOnce(ids, 100), undefined);
});

test('a flush that finds the spool mid-takeover fails instead of passing for done', async (t) => {
  const { root, spool, start } = await setup(t);
  // An uploader died holding nothing but its lock's socket file, and the
  // process taking over from it died holding the takeover guard: until the
  // guard goes stale, nobody can hold the spool.
  await writeFile(join(spool, 'uploader.sock'), '');
  await mkdir(join(spool, 'uploader.sock.breaking'));
  const shipper = start();
  shipper.write('{"id":1}');

  await assert.rejects(shipper.flush(), (error: unknown) => {
    assert.ok(error instanceof FlushError);
    assert.equal(error.pendingSegments, 1);
    return true;
  });
  assert.deepEqual(publishedIds(await readPublished(root)), []);

  await rm(join(spool, 'uploader.sock.breaking'), { recursive: true });
  await shipper.flush();
  assert.deepEqual(publishedIds(await readPublished(root)), [1]);
});
