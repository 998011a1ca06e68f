import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { runCli, startCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** A directory with a config file of two jobs, each with one complete log file. */
async function prepareJobs(t: TestContext, url: string) {
  const dir = await makeTempDir(t, 'ship-');
  await mkdir(join(dir, 'nginx'));
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'nginx', 'access.log.1'), 'GET /\n'.repeat(100));
  await writeFile(join(dir, 'app', 'error.log.1'), 'oops\n');
  const config = join(dir, 'ship.json');
  await writeFile(
    config,
    JSON.stringify({
      // Relative paths: taken from the config file's directory.
      stateDir: 'state',
      stopTimeout: '5s',
      defaults: {
        destination: `webhdfs://${new URL(url).host}/copies/{name}`,
        user: 'alice',
        quietPeriod: '100ms',
      },
      jobs: {
        nginx: { patterns: 'nginx/*.log.*', interval: '200ms' },
        app: { patterns: ['app/error.log.*'], interval: '300ms', layout: 'flatten' },
      },
    }),
  );
  return { dir, config };
}

test('ship runs two jobs, prints a line per upload and stops on SIGTERM', async (t) => {
  const { server, root } = await startTestServer(t);
  const { config } = await prepareJobs(t, server.url);
  const cli = startCli(t, ['ship', '--config', config]);

  await cli.waitFor(
    /^nginx uploaded \S+access\.log\.1 → \/copies\/nginx\/\S+ \(600 B\)$/m,
  );
  await cli.waitFor(
    /^app uploaded \S+error\.log\.1 → \/copies\/app\/error\.log\.1 \(5 B\)$/m,
  );
  cli.child.kill('SIGTERM');
  const [code] = (await once(cli.child, 'exit')) as [number | null];

  const { stdout, stderr } = cli.output();
  assert.equal(code, 0, stdout + stderr);
  assert.match(
    stdout,
    /^ {2}nginx: \S+\/nginx\/\*\.log\.\* → webhdfs:\/\/\S+, every 200ms$/m,
  );
  assert.match(stdout, /^Stopping \(SIGTERM\): uploads in flight get 5s\.$/m);
  assert.match(stdout, /^job +state +files +bytes +pending +last error$/m);
  assert.match(stdout, /^nginx +stopped +1 +600 B +0$/m);
  assert.match(stdout, /^app +stopped +1 +5 B +0$/m);
  // A warning may say that the open-files check cannot see every process.
  assert.doesNotMatch(stderr, / error: /);
  assert.equal(
    await readFile(join(root, 'copies', 'app', 'error.log.1'), 'utf8'),
    'oops\n',
  );
  assert.equal(
    (await readdir(join(root, 'copies', 'nginx'), { recursive: true })).length > 0,
    true,
  );
});

test('ship stops gracefully on SIGTERM sent as soon as it prints', async (t) => {
  const { server } = await startTestServer(t);
  const { config } = await prepareJobs(t, server.url);
  const cli = startCli(t, ['ship', '--config', config]);

  await cli.waitFor(/./);
  cli.child.kill('SIGTERM');
  const [code, signal] = (await once(cli.child, 'exit')) as [
    number | null,
    string | null,
  ];

  const { stdout, stderr } = cli.output();
  assert.deepEqual([code, signal], [0, null], stdout + stderr);
  assert.match(stdout, /^Stopping \(SIGTERM\): uploads in flight get 5s\.$/m);
  assert.match(stdout, /^job +state +files +bytes +pending +last error$/m);
  assert.match(stdout, /^nginx +stopped +/m);
});

test('a second SIGTERM while ship stops does not cut the summary off', async (t) => {
  // Every request takes a while: the first run is still in flight at the stop.
  const { server } = await startTestServer(t, { faults: { delayMs: 1000 } });
  const { config } = await prepareJobs(t, server.url);
  const cli = startCli(t, ['ship', '--config', config]);
  await cli.waitFor(/^SIGTERM or Ctrl-C stops\.$/m);

  cli.child.kill('SIGTERM');
  await cli.waitFor(/^Stopping \(SIGTERM\)/m);
  cli.child.kill('SIGTERM');
  const [code, signal] = (await once(cli.child, 'exit')) as [
    number | null,
    string | null,
  ];

  const { stdout, stderr } = cli.output();
  assert.deepEqual([code, signal], [0, null], stdout + stderr);
  assert.match(stdout, /^Still stopping \(SIGTERM\): at most 5s in all\.$/m);
  assert.match(stdout, /^job +state +files +bytes +pending +last error$/m);
});

test('ship prints an ambiguous line for a copy moved away before its check', async (t) => {
  const { server, root } = await startTestServer(t);
  const { dir, config } = await prepareJobs(t, server.url);
  await rm(join(dir, 'nginx'), { recursive: true });
  const copy = join(root, 'copies', 'app', 'error.log.1');

  // The RENAME succeeds, and ship dies before it hears so (SIGKILL).
  const env = { ...process.env, HLT_FAILPOINT: 'after-rename' };
  const crashed = await runCli(['ship', '--config', config], { env });
  assert.equal(crashed.code, null, crashed.stdout + crashed.stderr);
  // A consumer (Hive's LOAD DATA INPATH) takes the copy before ship is back.
  assert.equal(await readFile(copy, 'utf8'), 'oops\n');
  await rm(copy);
  const cli = startCli(t, ['ship', '--config', config]);
  await cli.waitFor(/ ambiguous /);
  cli.child.kill('SIGTERM');
  const [code] = (await once(cli.child, 'exit')) as [number | null];

  const { stdout, stderr } = cli.output();
  assert.equal(code, 0, stdout + stderr);
  assert.match(
    stdout,
    /^app ambiguous \S+error\.log\.1 → \/copies\/app\/error\.log\.1: renamed there, then gone /m,
  );
  assert.match(stdout, /counted as published, not sent again$/m);
  assert.doesNotMatch(stdout, / uploaded /, 'no ordinary upload line');
  assert.match(stdout, /^app +stopped +1 +5 B +0$/m);
  await assert.rejects(readFile(copy), { code: 'ENOENT' }, 'never sent again');
});

test('ship exits 1 once every job failed, with a line per error', async (t) => {
  const dir = await makeTempDir(t, 'ship-');
  // A state file it cannot read: the job fails rather than copy everything again.
  await writeFile(join(dir, 'broken.json'), 'not json');
  const config = join(dir, 'ship.json');
  await writeFile(
    config,
    JSON.stringify({
      stateDir: dir,
      jobs: {
        broken: {
          patterns: '*.log',
          destination: 'webhdfs://127.0.0.1:9870/logs/{name}',
          stateFile: 'broken.json',
        },
      },
    }),
  );

  const result = await runCli(['ship', '--config', config]);

  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stderr, /^broken error: state file \S+broken\.json /m);
  assert.match(
    result.stderr,
    /^hdfs-log-transport ship: every job failed; see the errors above$/m,
  );
  assert.match(result.stdout, /^broken +failed +0 +0 B +0 +state file /m);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('ship --check lists the jobs and copies nothing', async (t) => {
  const { server, root } = await startTestServer(t);
  const { dir, config } = await prepareJobs(t, server.url);

  const result = await runCli(['ship', '--config', config, '--check']);

  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    new RegExp(`^2 job\\(s\\), state in ${join(dir, 'state')}:`),
  );
  assert.match(
    result.stdout,
    /^ {2}app: \S+\/app\/error\.log\.\* → webhdfs:\S+, every 300ms$/m,
  );
  assert.match(result.stdout, /^The config is valid\.$/m);
  assert.deepEqual(await readdir(root), []);
  assert.deepEqual((await readdir(dir)).sort(), ['app', 'nginx', 'ship.json']);
});

test('config mistakes are one line naming the key, and exit code 2', async (t) => {
  const dir = await makeTempDir(t);
  const job = { patterns: 'x.log', destination: 'webhdfs://127.0.0.1:9870/logs' };
  const files: Record<string, string> = {
    'interval.json': JSON.stringify({ jobs: { nginx: { ...job, interval: 'soon' } } }),
    'default.json': JSON.stringify({ defaults: { retries: 0 }, jobs: { nginx: job } }),
    'unknown.json': JSON.stringify({ jobs: { nginx: { ...job, colour: 'red' } } }),
    'top.json': JSON.stringify({ jbos: {} }),
    'broken.json': '{"jobs": {',
  };
  for (const [name, text] of Object.entries(files))
    await writeFile(join(dir, name), text);
  const cases: Array<[string[], RegExp]> = [
    [
      ['--config', join(dir, 'interval.json')],
      /: jobs\.nginx\.interval must be a duration/,
    ],
    [
      ['--config', join(dir, 'default.json')],
      /: defaults\.retries must be a whole number/,
    ],
    [
      ['--config', join(dir, 'unknown.json')],
      /: jobs\.nginx\.colour must be one of patterns/,
    ],
    [['--config', join(dir, 'top.json')], /: jbos must be one of the known keys/],
    [['--config', join(dir, 'broken.json')], /: not valid JSON/],
    [['--config', join(dir, 'missing.json')], /: cannot read it \(ENOENT/],
    [[], /^hdfs-log-transport ship: --config is required$/m],
    [['--config', join(dir, 'top.json'), '--daemonize'], /Unknown option '--daemonize'/],
  ];

  for (const [args, message] of cases) {
    const result = await runCli(['ship', ...args]);

    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr.split('\n')[0] ?? '', message);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.equal(result.stdout, '');
  }
});

test('ship --help shows the config file and examples', async () => {
  const result = await runCli(['ship', '--help']);

  assert.equal(result.code, 0);
  assert.match(result.stdout, /--config FILE/);
  assert.match(result.stdout, /"jobs": \{/);
  assert.match(result.stdout, /stopTimeout/);
  assert.match(result.stdout, /Examples:\n {2}hdfs-log-transport ship --config/);
});
