/**
 * A bad option of the pino target fails in pino's worker thread; it reaches
 * the application as an `error` event on the transport, whose message keeps
 * the error's class, code, option, expectation and the value received.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
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
