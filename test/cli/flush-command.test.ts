import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createShipper } from '../../src/shipper.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { runCli, startCli } from '../helpers/cli.js';
import {
  checkPublishedOnce,
  webhdfsDestination,
  writeIds,
} from '../helpers/test-shipper.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const LINES = 600;

/**
 * A spool whose segments all wait in ready/: written and closed by a shipper
 * while the server refused every connection, as after an outage.
 */
async function prepareBacklog(t: TestContext, destination: string) {
  const spoolDir = await makeTempDir(t, 'spool-');
  const shipper = createShipper({
    destination,
    spoolDir,
    user: 'alice',
    rotate: { size: '8KiB' },
    upload: { interval: '1h', retries: 1 },
  });
  writeIds(shipper, 0, LINES);
  await shipper.close();
  const waiting = await readdir(join(spoolDir, 'ready'));
  assert.ok(waiting.length > 1, 'several segments wait');
  return { spoolDir, waiting };
}

test('flush publishes a spool’s backlog, one line per segment, and exits 0', async (t) => {
  const { server, root } = await startTestServer(t, { faults: { refuse: true } });
  const destination = webhdfsDestination(server.url);
  const { spoolDir, waiting } = await prepareBacklog(t, destination);
  server.clearFaults();
  await server.settle();

  const result = await runCli([
    'flush',
    '--spool',
    spoolDir,
    '--destination',
    destination,
    '--user',
    'alice',
  ]);

  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, new RegExp(`^Publishing ${waiting.length} segment\\(s\\)`));
  const lines = result.stdout.match(
    /^published \S+ → \/logs\/app\/\S+ \([\d.]+ \w+\)$/gm,
  );
  assert.equal(lines?.length, waiting.length, result.stdout);
  assert.match(
    result.stdout,
    new RegExp(
      `^Published ${waiting.length} segment\\(s\\); nothing is left waiting\\.$`,
      'm',
    ),
  );
  assert.equal(result.stderr, '');
  await checkPublishedOnce(root, LINES);
  assert.deepEqual(await readdir(join(spoolDir, 'ready')), []);
  assert.deepEqual(await readdir(join(spoolDir, 'writers')), [], 'no writer is left');
});

test('flush against a refusing server exits 1 with one line and keeps the backlog', async (t) => {
  const { server } = await startTestServer(t, { faults: { refuse: true } });
  const destination = webhdfsDestination(server.url);
  const { spoolDir, waiting } = await prepareBacklog(t, destination);

  const result = await runCli([
    'flush',
    '--spool',
    spoolDir,
    '--destination',
    destination,
    '--retries',
    '1',
  ]);

  assert.equal(result.code, 1, result.stdout + result.stderr);
  const last = result.stderr.trimEnd().split('\n').at(-1) ?? '';
  assert.match(
    last,
    new RegExp(
      `^hdfs-log-transport flush: ${waiting.length} segment\\(s\\) still waiting: `,
    ),
  );
  assert.doesNotMatch(result.stderr, /\n\s+at /);
  assert.deepEqual((await readdir(join(spoolDir, 'ready'))).sort(), waiting.sort());
});

test('flush --timeout stops a run that takes too long, and says what waits', async (t) => {
  const { server } = await startTestServer(t, { faults: { refuse: true } });
  const destination = webhdfsDestination(server.url);
  const { spoolDir, waiting } = await prepareBacklog(t, destination);
  server.setFaults({ refuse: false, delayMs: 10_000 });
  await server.settle();
  const flags = ['--spool', spoolDir, '--destination', destination];

  const result = await runCli(['flush', ...flags, '--timeout', '500ms']);

  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(
    result.stderr,
    new RegExp(
      `^hdfs-log-transport flush: timed out after 500ms; ${waiting.length} segment`,
      'm',
    ),
  );
  assert.equal((await readdir(join(spoolDir, 'ready'))).length, waiting.length);
});

test('flush stops gracefully on SIGTERM sent as soon as it prints', async (t) => {
  const { server } = await startTestServer(t, { faults: { refuse: true } });
  const destination = webhdfsDestination(server.url);
  const { spoolDir, waiting } = await prepareBacklog(t, destination);
  server.setFaults({ refuse: false, delayMs: 10_000 });
  await server.settle();
  const cli = startCli(t, ['flush', '--spool', spoolDir, '--destination', destination]);

  await cli.waitFor(/./);
  cli.child.kill('SIGTERM');
  const [code, signal] = (await once(cli.child, 'exit')) as [
    number | null,
    string | null,
  ];

  const { stdout, stderr } = cli.output();
  assert.deepEqual([code, signal], [130, null], stdout + stderr);
  assert.match(
    stderr,
    new RegExp(`^hdfs-log-transport flush: stopped; ${waiting.length} segment`, 'm'),
  );
  assert.equal((await readdir(join(spoolDir, 'ready'))).length, waiting.length);
});

test('flush mistakes are one line and exit code 2, without a stack trace', async (t) => {
  const dir = await makeTempDir(t);
  const url = 'webhdfs://127.0.0.1:9870/logs/{name}';
  const settings = join(await makeTempDir(t), 'webhdfs.json');
  await writeFile(settings, JSON.stringify({ gateway: 'yes' }));
  const cases: Array<[string[], RegExp]> = [
    [['--destination', url], /^hdfs-log-transport flush: --spool is required$/m],
    [['--spool', dir], /^hdfs-log-transport flush: --destination is required$/m],
    [['--spool', dir, '--destination', url, '--bogus'], /Unknown option '--bogus'/],
    [
      ['--spool', dir, '--destination', 'http://nn1:9870/logs'],
      /^[^\n]+--destination must be/,
    ],
    [
      ['--spool', dir, '--destination', url],
      /--spool: \S+ is not a spool \(no ready\/ in it\)/,
    ],
    [['--spool', dir, '--destination', url, '--timeout', 'soon'], /--timeout must be/],
    [['--spool', dir, '--destination', url, '--retries', '0'], /--retries must be/],
    [
      ['--spool', dir, '--destination', url, '--webhdfs', settings],
      /: --webhdfs \S+: gateway must be true or false; got "yes"$/m,
    ],
  ];

  for (const [args, message] of cases) {
    const result = await runCli(['flush', ...args]);

    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.equal(result.stdout, '');
  }
  assert.deepEqual(await readdir(dir), [], 'nothing was created');
});

test('flush --help names its options, the exit codes and examples', async () => {
  const result = await runCli(['flush', '--help']);

  assert.equal(result.code, 0);
  assert.match(result.stdout, /--spool DIR/);
  assert.match(result.stdout, /--destination URL/);
  assert.match(result.stdout, /Exit code 0/);
  assert.match(result.stdout, /Examples:\n {2}hdfs-log-transport flush --spool/);
});
