/**
 * A bad option of the pino target fails in pino's worker thread; it reaches
 * the application as an `error` event on the transport, whose message keeps
 * the error's class, code, option, expectation and the value received.
 * Status snapshots reach the application's thread with events only.
 */
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { STATUS_EVENT, trackStatus } from '../src/pino.js';
import { makeTempDir } from './helpers/temp-dir.js';

test('a bad option arrives as an error event that names it', async (t) => {
  const dir = await makeTempDir(t);
  const transport = pino.transport({
    target: 'hdfs-log-transport/pino',
    options: {
      destination: pathToFileURL(join(dir, 'published')).href,
      spoolDir: join(dir, 'spool'),
      rotate: { size: 'big' },
    },
  });

  const [error] = (await once(transport, 'error')) as [Error];

  assert.equal(
    error.message,
    'InvalidOptionError [ERR_INVALID_OPTION]: option "rotate.size" must be a size ' +
      'such as "64MiB", "512KB" or a number of bytes; received "big"',
  );
});

test('trackStatus ages the backlog between snapshots, on its clock', () => {
  const transport = new EventEmitter();
  let clock = 1_000;
  const status = trackStatus(transport, () => clock);
  assert.equal(status(), undefined, 'nothing before the first snapshot');

  const snapshot = { pendingSegments: 2, oldestPendingMs: 5_000 };
  transport.emit(STATUS_EVENT, snapshot);
  clock += 60_000;
  assert.equal(status()?.oldestPendingMs, 65_000);
  assert.equal(snapshot.oldestPendingMs, 5_000, 'the snapshot itself is left alone');

  transport.emit(STATUS_EVENT, { pendingSegments: 0, oldestPendingMs: 0 });
  clock += 60_000;
  assert.equal(status()?.oldestPendingMs, 0, 'an empty backlog has no age');
});
