import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { CliUsageError } from '../../src/cli/cli-error.js';
import { readShipConfig } from '../../src/cli/ship-config.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const destination = 'webhdfs://nn1:9870/logs/{name}';

test('relative paths are taken from the config file’s directory', async (t) => {
  const dir = await makeTempDir(t);
  const file = join(dir, 'ship.json');
  await writeFile(
    file,
    JSON.stringify({
      stateDir: 'state',
      jobs: {
        a: { destination, patterns: ['logs/*.log', '/abs/*.log'], stateFile: 'a.json' },
      },
    }),
  );

  const config = await readShipConfig(file);

  assert.equal(config.stateDir, join(dir, 'state'));
  const job = config.jobs.find(({ name }) => name === 'a');
  assert.ok(job !== undefined);
  assert.deepEqual(job.options.patterns, [join(dir, 'logs/*.log'), '/abs/*.log']);
  assert.equal(job.options.stateFile, join(dir, 'a.json'));
});

test('defaults apply to every job, a job’s own keys win, the order is kept', async (t) => {
  const dir = await makeTempDir(t);
  const file = join(dir, 'ship.json');
  await writeFile(
    file,
    JSON.stringify({
      stopTimeout: '3s',
      defaults: { destination, interval: '30s', user: 'etl' },
      jobs: {
        zeta: { patterns: '/z/*.log' },
        alpha: { patterns: '/a/*.log', interval: '2m' },
      },
    }),
  );

  const config = await readShipConfig(file);

  assert.equal(config.stopTimeout, 3000);
  assert.deepEqual(
    config.jobs.map((job) => [job.name, job.interval, job.options.user]),
    [
      ['zeta', 30_000, 'etl'],
      ['alpha', 120_000, 'etl'],
    ],
  );
  assert.equal(config.jobs[0]?.destination, 'webhdfs://nn1:9870/logs/{name}');
});

test('a bad default is blamed on defaults, a bad job key on the job', async (t) => {
  const dir = await makeTempDir(t);
  const file = join(dir, 'ship.json');
  const check = async (config: unknown, key: RegExp) => {
    await writeFile(file, JSON.stringify(config));
    await assert.rejects(readShipConfig(file), (error) => {
      assert.ok(error instanceof CliUsageError);
      assert.match(error.message, key);
      return true;
    });
  };

  await check(
    { defaults: { verify: 'md5' }, jobs: { a: { patterns: 'x', destination } } },
    /: defaults\.verify must be "length" or "checksum"; got "md5"$/,
  );
  await check(
    {
      defaults: { verify: 'md5' },
      jobs: { a: { patterns: 'x', destination, verify: 'crc' } },
    },
    /: jobs\.a\.verify must be/,
  );
  await check({ jobs: { a: 'x' } }, /: jobs\.a must be an object; got "x"$/);
  await check(
    { jobs: { a: { patterns: ['x', 7], destination } } },
    /: jobs\.a\.patterns\[1\] must be/,
  );
  await check(
    { stopTimeout: -1, jobs: { a: { patterns: 'x', destination } } },
    /: stopTimeout must be a duration/,
  );
  await check([], /: the file must be an object; got an array of 0$/);
});
