/**
 * Options given to `new HdfsTransport(...)` are checked before any I/O, and
 * an error names the option, what was expected and what was received.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import winston from 'winston';
import { InvalidOptionError } from '../src/errors.js';
import { HdfsTransport, type HdfsTransportOptions } from '../src/winston.js';
import { makeTempDir } from './helpers/temp-dir.js';

async function baseOptions(t: TestContext) {
  const dir = await makeTempDir(t);
  return {
    destination: pathToFileURL(join(dir, 'published')).href,
    spoolDir: join(dir, 'spool'),
  };
}

/** The InvalidOptionError `options` make the constructor throw. */
function refusal(options: unknown): InvalidOptionError {
  try {
    new HdfsTransport(options as HdfsTransportOptions);
  } catch (error) {
    assert.ok(error instanceof InvalidOptionError, String(error));
    return error;
  }
  assert.fail('the options were accepted');
}

test('a bad value names the option, what was expected and what was received', async (t) => {
  const options = await baseOptions(t);

  const error = refusal({ ...options, rotate: { size: 'big' } });

  assert.equal(error.code, 'ERR_INVALID_OPTION');
  assert.equal(error.option, 'rotate.size');
  assert.match(error.expected, /a size such as "64MiB"/);
  assert.equal(error.received, 'big');
  assert.equal(
    error.message,
    `option "rotate.size" must be ${error.expected}; received "big"`,
  );
  assert.equal(existsSync(options.spoolDir), false, 'nothing was created');
});

test('an unknown option is refused with a list that has winston’s own keys', async (t) => {
  const error = refusal({ ...(await baseOptions(t)), levle: 'warn' });

  assert.equal(error.option, 'levle');
  assert.equal(error.received, 'levle');
  for (const key of [
    'level',
    'format',
    'silent',
    'handleExceptions',
    'rotate',
    'upload',
  ]) {
    assert.match(error.expected, new RegExp(`\\b${key}\\b`), key);
  }
});

test('winston’s own options are taken by winston, not refused', async (t) => {
  const transport = new HdfsTransport({
    ...(await baseOptions(t)),
    level: 'warn',
    format: winston.format.simple(),
    silent: false,
    handleExceptions: false,
    handleRejections: false,
  });
  t.after(() => transport.shipper.close());

  assert.equal(transport.level, 'warn');
});

test('keepUploaded: true is refused, saying a duration or false would do', async (t) => {
  const error = refusal({ ...(await baseOptions(t)), keepUploaded: true });

  assert.equal(error.option, 'keepUploaded');
  assert.match(error.expected, /a duration such as "7d".*, or false$/);
  assert.equal(error.received, true);
});
