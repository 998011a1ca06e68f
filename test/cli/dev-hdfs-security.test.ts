/**
 * The dev-hdfs command serving HTTPS, requiring Kerberos or a login, as the real
 * binary in a child process: certificates made at run time, a KDC on loopback.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { WebHdfsAuthError } from '../../src/errors.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import { runCli, startCli } from '../helpers/cli.js';
import { makeTestPki, type TestPki } from '../helpers/test-pki.js';
import { REALM, useTestRealm, type TestRealm } from '../helpers/test-realm.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const dir = await mkdtemp(join(tmpdir(), 'hlt-cli-pki-'));
after(() => rm(dir, { recursive: true, force: true }));
const pki: TestPki = await makeTestPki(dir);

let realm!: TestRealm;
const skip = await useTestRealm((started) => (realm = started));

test('dev-hdfs --tls-cert/--tls-key serves HTTPS, DataNode included', async (t) => {
  const root = await makeTempDir(t);
  const cli = startCli(t, [
    'dev-hdfs',
    ...['--root', root, '--port', '0'],
    ...['--tls-cert', pki.serverCert.path, '--tls-key', pki.serverKey.path],
  ]);
  const [, url = ''] = await cli.waitFor(/NameNode: (https:\/\/\S+)/);
  const hdfs = new WebHdfsClient({
    namenodes: `swebhdfs://${new URL(url).host}`,
    user: 'alice',
    tls: { ca: pki.ca.path },
  });
  t.after(() => hdfs.close());

  await hdfs.create('/secure.txt', Buffer.from('over tls\n'));
  assert.equal(await readFile(join(root, 'secure.txt'), 'utf8'), 'over tls\n');
});

test('dev-hdfs --kerberos-keytab requires SPNEGO', { skip }, async (t) => {
  const cli = startCli(t, [
    'dev-hdfs',
    ...['--port', '0', '--kerberos-keytab', realm.serviceKeytab],
    ...['--kerberos-principal', 'HTTP/127.0.0.1'],
  ]);
  const [, url = ''] = await cli.waitFor(/NameNode: (http:\/\/\S+)/);
  const keytab = await realm.addClient('cli');
  const secure = new WebHdfsClient({
    namenodes: url,
    kerberos: { principal: `cli@${REALM}`, keytab },
  });
  const anonymous = new WebHdfsClient({ namenodes: url, user: 'mallory' });
  t.after(() => Promise.all([secure.close(), anonymous.close()]));

  assert.equal(await secure.mkdirs('/kerberized'), true);
  assert.equal((await secure.getFileStatus('/kerberized')).owner, 'cli');
  await assert.rejects(anonymous.mkdirs('/not-allowed'), WebHdfsAuthError);
  // While the server runs (after hooks run in order, the server's first):
  // the secure client cancels the token it fetched.
  await secure.close();
});

test('security flag mistakes are one line and exit code 2', async (t) => {
  const notPem = join(await makeTempDir(t), 'not.pem');
  await writeFile(notPem, 'hello');
  const emptyLogins = join(dir, 'empty-logins');
  await writeFile(emptyLogins, '# nobody yet\n\n');
  const logins = join(dir, 'logins');
  await writeFile(logins, 'alice:wonderland\n');
  const cases: [string[], RegExp][] = [
    [['--tls-cert', pki.serverCert.path], /--tls-cert and --tls-key go together/],
    [['--tls-cert', notPem, '--tls-key', pki.serverKey.path], /holds no PEM block/],
    [
      ['--tls-cert', join(dir, 'missing.pem'), '--tls-key', pki.serverKey.path],
      /--tls-cert: cannot read .*missing\.pem \(ENOENT\)/,
    ],
    [['--tls-client-ca', pki.ca.path], /--tls-client-ca needs --tls-cert/],
    [['--kerberos-principal', 'HTTP/x'], /--kerberos-principal needs --kerberos-keytab/],
    [['--kerberos-keytab', join(dir, 'none.keytab')], /cannot read .*none\.keytab/],
    [['--ha', '--kerberos-keytab', pki.ca.path], /--ha does not take --kerberos-keytab/],
    [['--basic-auth-file', notPem], /line 1 of .*not\.pem is not "user:password"/],
    [['--basic-auth-file', emptyLogins], /holds no "user:password" line/],
    [
      ['--basic-auth-file', logins, '--kerberos-keytab', pki.ca.path],
      /--basic-auth-file and --kerberos-keytab exclude each other/,
    ],
  ];
  for (const [flags, message] of cases) {
    const result = await runCli(['dev-hdfs', '--port', '0', ...flags]);
    assert.equal(result.code, 2, flags.join(' '));
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.doesNotMatch(result.stderr, /hello|wonderland/, 'no password is shown');
  }
});

test('dev-hdfs --ha serves both NameNodes over HTTPS', async (t) => {
  const cli = startCli(t, [
    'dev-hdfs',
    ...['--ha', '--port', '0'],
    ...['--tls-cert', pki.serverCert.path, '--tls-key', pki.serverKey.path],
  ]);
  const [, active = '', standby = ''] = await cli.waitFor(
    /active NameNode: +(\S+)\nstandby NameNode: +(\S+)/,
  );
  const hdfs = new WebHdfsClient({
    namenodes: [standby, active],
    user: 'alice',
    tls: { ca: pki.ca.path },
  });
  t.after(() => hdfs.close());

  // MKDIRS, unlike CREATE's first step, is refused by a standby: the client moves on.
  assert.equal(await hdfs.mkdirs('/ha'), true);
  assert.equal(hdfs.activeNameNode, new URL(active).host);
  await hdfs.create('/ha/tls.txt', Buffer.from('both over tls\n'));
  assert.match(standby, /^https:/);
});

test('dev-hdfs --gateway --basic-auth-file wants a login, as Knox does', async (t) => {
  const logins = join(await makeTempDir(t), 'logins');
  await writeFile(logins, '# Knox users\nalice:wonder:land\n\nbob:builder\n');
  const cli = startCli(t, [
    'dev-hdfs',
    ...['--gateway', '--port', '0', '--basic-auth-file', logins],
  ]);
  const [, url = ''] = await cli.waitFor(/NameNode: (http:\/\/\S+)/);
  const alice = new WebHdfsClient({
    namenodes: url,
    gateway: true,
    basicAuth: { user: 'alice', password: 'wonder:land' },
  });
  const anonymous = new WebHdfsClient({ namenodes: url, gateway: true, user: 'bob' });
  t.after(() => Promise.all([alice.close(), anonymous.close()]));

  await alice.create('/knox.txt', Buffer.from('logged in\n'));
  assert.equal((await alice.getFileStatus('/knox.txt')).owner, 'alice');
  await assert.rejects(
    anonymous.mkdirs('/not-allowed'),
    /requires a user name and password/,
  );
});
