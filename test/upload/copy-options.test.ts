/**
 * A copy job's options: defaults, the state directory, and errors that name
 * `job.<option>`, raised before any file is touched.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CopyJobError, InvalidOptionError } from '../../src/errors.js';
import { createCopyManager } from '../../src/upload/copy-manager.js';
import type { CopyJobOptions } from '../../src/upload/copy-options.js';
import { defaultStateDir } from '../../src/upload/copy-state-dir.js';
import { resolveCopyJob } from '../../src/upload/resolve-copy-job.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MINIMAL = {
  patterns: '/var/log/app/*.log',
  destination: 'file:///srv/published/{name}',
};

test('applies the documented defaults', () => {
  const job = resolveCopyJob('app', MINIMAL, '/var/lib/copy', '/');
  void job.destination.close?.();

  assert.equal(job.interval, 60_000);
  assert.equal(job.quietPeriod, 120_000, 'twice the interval');
  assert.deepEqual([job.retries, job.retryDelay, job.maxRetryDelay], [3, 5000, 60_000]);
  assert.deepEqual(
    [job.layout, job.compress, job.verify, job.afterUpload],
    ['preserve', false, 'length', 'keep'],
  );
  assert.deepEqual(job.files, {
    stateFile: '/var/lib/copy/app.json',
    workDir: '/var/lib/copy/app.work',
    journalDir: '/var/lib/copy/app.work',
    stagedDir: '/var/lib/copy/app.work/staged',
  });
  assert.equal(job.destination.description, 'file:///srv/published/{name}');
});

test('quietPeriod follows the interval unless given', () => {
  const job = resolveCopyJob('app', { ...MINIMAL, interval: '30s' }, '/s', '/');
  const quiet = resolveCopyJob('app', { ...MINIMAL, quietPeriod: 0 }, '/s', '/');
  assert.equal(job.quietPeriod, 60_000);
  assert.equal(quiet.quietPeriod, 0);
});

test('the state directory defaults to the XDG state home', () => {
  assert.equal(
    defaultStateDir({ XDG_STATE_HOME: '/var/state' }),
    '/var/state/hdfs-log-transport/copy-jobs',
  );
  assert.equal(
    defaultStateDir({ XDG_STATE_HOME: 'relative' }),
    join(homedir(), '.local/state/hdfs-log-transport/copy-jobs'),
  );
});

test('errors name the option as job.<option>', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ interval: '0s' }, 'job.interval'],
    [{ quietPeriod: '-1s' }, 'job.quietPeriod'],
    [{ retries: 0 }, 'job.retries'],
    [{ layout: 'tree' }, 'job.layout'],
    [{ compress: 'zstd' }, 'job.compress'],
    [{ verify: 'md5' }, 'job.verify'],
    [{ afterUpload: 'move' }, 'job.afterUpload'],
    [{ timeZone: 'Mars/Olympus' }, 'job.timeZone'],
    [{ patterns: [] }, 'job.patterns'],
    [{ patterns: ['/a/*.log', '/b/'] }, 'job.patterns[1]'],
    [{ destination: 'hdfs://nn1:8020/logs' }, 'job.destination'],
    [{ stateFile: '' }, 'job.stateFile'],
    [{ intreval: '1m' }, 'job.intreval'],
  ];
  for (const [change, option] of cases) {
    const job = { ...MINIMAL, ...change } as CopyJobOptions;
    assert.throws(
      () => resolveCopyJob('app', job, '/s', '/'),
      (error: unknown) => error instanceof InvalidOptionError && error.option === option,
      option,
    );
  }
  // A deep state file is fine: its lock socket moves to the temporary directory.
  const deep = `/${'d'.repeat(90)}`;
  assert.doesNotThrow(() =>
    resolveCopyJob('app', { ...MINIMAL, stateFile: `${deep}/app.json` }, '/s', '/'),
  );
  assert.throws(
    () => resolveCopyJob('../etc', MINIMAL, '/s', '/'),
    (error: unknown) => error instanceof InvalidOptionError && error.option === 'name',
  );
});

test('a job with bad options touches nothing and does not run', async (t) => {
  const stateDir = join(await makeTempDir(t), 'state');
  const manager = createCopyManager({ stateDir });

  assert.throws(
    () => manager.startCopy('app', { ...MINIMAL, layout: 'tree' as 'flatten' }),
    InvalidOptionError,
  );

  assert.deepEqual(manager.listCopies(), []);
  await assert.rejects(readdir(stateDir), { code: 'ENOENT' });
});

test('two running jobs cannot share a state file', async (t) => {
  let stop = () => Promise.resolve();
  t.after(() => stop()); // before the directory is removed
  const stateDir = await makeTempDir(t);
  const manager = createCopyManager({ stateDir });
  stop = () => manager.stopAllCopies({ timeout: 0 });
  const stateFile = join(stateDir, 'shared.json');

  manager.startCopy('one', { ...MINIMAL, stateFile });
  assert.throws(() => manager.startCopy('two', { ...MINIMAL, stateFile }), CopyJobError);
});
