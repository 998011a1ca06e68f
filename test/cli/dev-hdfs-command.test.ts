import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import { classifyError, isRemoteException } from '../../src/hdfs/error-class.js';
import { runCli, startCli } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('dev-hdfs prints its NameNode URL, serves the root and stops on SIGTERM', async (t) => {
  const root = await makeTempDir(t);
  const cli = startCli(t, ['dev-hdfs', '--root', root, '--port', '0']);
  const [, url = ''] = await cli.waitFor(/NameNode: (http:\/\/\S+)/);
  const hdfs = new WebHdfsClient({ namenodes: url, user: 'alice' });
  t.after(() => hdfs.close());

  await hdfs.create('/hello.txt', Buffer.from('hello\n'));
  cli.child.kill('SIGTERM');
  const [code] = (await once(cli.child, 'exit')) as [number | null];

  assert.equal(await readFile(join(root, 'hello.txt'), 'utf8'), 'hello\n');
  assert.equal(code, 0);
});

test('dev-hdfs starts with the faults given on the command line', async (t) => {
  const cli = startCli(t, ['dev-hdfs', '--port', '0', '--fault', 'safe-mode']);
  const [, url = ''] = await cli.waitFor(/NameNode: (http:\/\/\S+)/);
  const hdfs = new WebHdfsClient({ namenodes: url });
  t.after(() => hdfs.close());

  await assert.rejects(hdfs.mkdirs('/x'), (error) => {
    assert.equal(classifyError(error), 'retry');
    assert.match((error as Error).message, /SafeModeException/);
    return true;
  });
});

test('dev-hdfs stops on SIGINT too, exiting 0', async (t) => {
  const cli = startCli(t, ['dev-hdfs', '--port', '0']);
  await cli.waitFor(/NameNode: (http:\/\/\S+)/);

  cli.child.kill('SIGINT');
  const [code, signal] = (await once(cli.child, 'exit')) as [
    number | null,
    string | null,
  ];

  assert.deepEqual([code, signal], [0, null]);
});

test('dev-hdfs --fault deny-write refuses writes there with AccessControlException', async (t) => {
  const cli = startCli(t, ['dev-hdfs', '--port', '0', '--fault', 'deny-write=/locked']);
  const [, url = ''] = await cli.waitFor(/NameNode: (http:\/\/\S+)/);
  const hdfs = new WebHdfsClient({ namenodes: url, user: 'alice' });
  t.after(() => hdfs.close());

  await assert.rejects(hdfs.mkdirs('/locked/x'), (error) => {
    assert.ok(isRemoteException(error, 'AccessControlException'), String(error));
    assert.equal(classifyError(error), 'permanent');
    assert.match(error.remoteMessage, /^Permission denied: user=alice, access=WRITE, /);
    return true;
  });
  assert.equal(await hdfs.mkdirs('/open/x'), true);
});

test('dev-hdfs --proxy-user lets a proxy user act only for the users listed', async (t) => {
  const cli = startCli(t, ['dev-hdfs', '--port', '0', '--proxy-user', 'svc=carol']);
  const [, url = ''] = await cli.waitFor(/NameNode: (http:\/\/\S+)/);
  const asCarol = new WebHdfsClient({ namenodes: url, user: 'svc', doAs: 'carol' });
  const asDave = new WebHdfsClient({ namenodes: url, user: 'svc', doAs: 'dave' });
  t.after(() => Promise.all([asCarol.close(), asDave.close()]));

  assert.equal(await asCarol.getHomeDirectory(), '/user/carol');
  await assert.rejects(asDave.getHomeDirectory(), (error) => {
    assert.ok(isRemoteException(error, 'SecurityException'), String(error));
    assert.equal(error.status, 403);
    return true;
  });
});

test('dev-hdfs --ha prints an active and a standby NameNode', async (t) => {
  const cli = startCli(t, ['dev-hdfs', '--ha', '--port', '0']);
  const [, active = '', standby = ''] = await cli.waitFor(
    /active NameNode: +(\S+)\nstandby NameNode: +(\S+)/,
  );
  const hdfs = new WebHdfsClient({ namenodes: [standby, active] });
  t.after(() => hdfs.close());

  assert.equal(await hdfs.mkdirs('/ha'), true);
  assert.equal(hdfs.activeNameNode, new URL(active).host);
});

test('--help explains every command with examples', async () => {
  const top = await runCli(['--help']);
  const command = await runCli(['dev-hdfs', '--help']);

  assert.equal(top.code, 0);
  assert.match(top.stdout, /dev-hdfs/);
  assert.equal(command.code, 0);
  assert.match(command.stdout, /Examples:/);
});

test('a usage mistake is one clear line and exit code 2, without a stack trace', async () => {
  const unknownFlag = await runCli(['dev-hdfs', '--bogus']);
  const badFault = await runCli(['dev-hdfs', '--fault', 'meteor']);
  const badProxy = await runCli(['dev-hdfs', '--proxy-user', 'svc']);
  const unknownCommand = await runCli(['frobnicate']);

  for (const result of [unknownFlag, badFault, badProxy, unknownCommand]) {
    assert.equal(result.code, 2);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  }
  assert.match(
    unknownFlag.stderr,
    /^hdfs-log-transport dev-hdfs: Unknown option '--bogus'/,
  );
  assert.match(badFault.stderr, /unknown fault "meteor"/);
  assert.match(badProxy.stderr, /--proxy-user svc: expected PROXY=USER/);
  assert.match(unknownCommand.stderr, /unknown command "frobnicate"/);
});
