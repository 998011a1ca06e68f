/**
 * process.exit() right after a burst, end to end: a child process logs
 * through a real logger aimed at the dev server and exits at once; a fresh
 * shipper on the same spool then publishes what the exit sealed. Every
 * record must be on HDFS exactly once.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createShipper } from '../../src/shipper.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { exactlyOnce, publishedIds, readPublished } from '../helpers/published.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { webhdfsDestination } from '../helpers/test-shipper.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('../fixtures/logger-child.js', import.meta.url));
const RECORDS = 20_000;

const RUNS = [
  { mode: 'winston-exit', flags: [] },
  { mode: 'winston-exit', flags: ['--beside-file'] },
  { mode: 'pino-exit', flags: [] },
];

for (const { mode, flags } of RUNS) {
  const title = `${mode}${flags.length > 0 ? ', File beside' : ''}`;
  test(`${title}: the next shipper publishes every record exactly once`, async (t) => {
    const { server, root } = await startTestServer(t);
    const destination = webhdfsDestination(server.url);
    const spoolDir = join(await makeTempDir(t), 'spool');

    await run(
      process.execPath,
      [CHILD, spoolDir, mode, String(RECORDS), '--destination', destination, ...flags],
      { timeout: 60_000 },
    );
    const shipper = createShipper({ destination, spoolDir });
    t.after(() => shipper.close());
    await shipper.flush();

    assert.equal(
      exactlyOnce(publishedIds(await readPublished(root)), RECORDS),
      undefined,
    );
    assert.deepEqual(await readdir(join(spoolDir, 'ready')), [], 'nothing left');
  });
}
