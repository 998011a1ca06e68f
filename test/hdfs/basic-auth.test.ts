/**
 * A gateway's name-and-password login (Apache Knox): options checked with
 * clear errors that never echo a password, the login sent on every gateway
 * request and to no other host, refusals named, a rotated password file
 * picked up, secrets cleaned from what a server echoes.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { DevHdfsRequestEvent } from '../../src/dev-hdfs/index.js';
import { InvalidOptionError, WebHdfsAuthError } from '../../src/errors.js';
import { classifyError } from '../../src/hdfs/error-class.js';
import type { WebHdfsClientOptions } from '../../src/hdfs/webhdfs-client-options.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { sendJson, startFakeServer } from '../helpers/fake-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const PASSWORD = 'correct horse battery staple';
const BASIC = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;

function client(t: TestContext, options: WebHdfsClientOptions): WebHdfsClient {
  const hdfs = new WebHdfsClient(options);
  t.after(() => hdfs.close());
  return hdfs;
}

async function knox(t: TestContext, password = PASSWORD) {
  const started = await startTestServer(t, {
    gateway: true,
    basicAuth: { alice: password },
  });
  const events: DevHdfsRequestEvent[] = [];
  started.server.on('request', (event) => events.push(event));
  return { ...started, events };
}

function invalid(options: Partial<WebHdfsClientOptions>, option: string): void {
  assert.throws(
    () => new WebHdfsClient({ namenodes: 'http://knox:8443', ...options }),
    (error: unknown) => {
      assert.ok(error instanceof InvalidOptionError, String(error));
      assert.equal(error.option, option);
      assert.ok(!error.message.includes('s3cret!!'), error.message);
      return true;
    },
  );
}

test('refuses unusable logins with the option named and no password shown', async (t) => {
  const dir = await makeTempDir(t);
  invalid({ basicAuth: { user: 'a:b', password: 's3cret!!' } }, 'basicAuth.user');
  invalid({ basicAuth: { user: '', password: 's3cret!!' } }, 'basicAuth.user');
  invalid({ basicAuth: { user: 'alice' } }, 'basicAuth');
  invalid(
    { basicAuth: { user: 'alice', password: 's3cret!!', passwordFile: '/x' } },
    'basicAuth',
  );
  invalid({ basicAuth: { user: 'alice', password: '' } }, 'basicAuth.password');
  invalid({ basicAuth: { user: 'alice', password: 's3cret!!\n' } }, 'basicAuth.password');
  invalid(
    { basicAuth: { user: 'alice', password: 's3cret!!', pasword: 'x' } as never },
    'basicAuth.pasword',
  );
  invalid(
    { basicAuth: { user: 'alice', passwordFile: join(dir, 'missing') } },
    'basicAuth.passwordFile',
  );
  invalid(
    { basicAuth: { user: 'alice', password: 's3cret!!' }, kerberos: true },
    'basicAuth',
  );
  invalid(
    { basicAuth: { user: 'alice', password: 's3cret!!' }, delegationToken: 'tok' },
    'basicAuth',
  );
});

test('publishes through a Knox-style gateway that wants a login', async (t) => {
  const { server, events } = await knox(t);
  const hdfs = client(t, {
    namenodes: server.url,
    gateway: true,
    user: 'ignored',
    basicAuth: { user: 'alice', password: PASSWORD },
  });

  await hdfs.create('/logs/.a.log.tmp', Buffer.from('through knox\n'));
  await hdfs.renameWithOptions('/logs/.a.log.tmp', '/logs/a.log');
  const status = await hdfs.getFileStatus('/logs/a.log');

  assert.equal(status.owner, 'alice', 'the login names the user');
  assert.deepEqual(
    events.map((event) => `${event.op} ${event.status}`),
    ['CREATE 201', 'RENAME 200', 'GETFILESTATUS 200'],
  );
  for (const event of events) assert.equal(event.query.get('user.name'), null);
});

test('says what the gateway wants, and that a login was refused', async (t) => {
  const { server } = await knox(t);
  const anonymous = client(t, { namenodes: server.url, gateway: true });
  await assert.rejects(anonymous.mkdirs('/logs'), (error: unknown) => {
    assert.ok(error instanceof WebHdfsAuthError, String(error));
    assert.match(error.message, /requires a user name and password.*webhdfs\.basicAuth/);
    return true;
  });

  const wrong = client(t, {
    namenodes: server.url,
    gateway: true,
    basicAuth: { user: 'alice', password: 'not the password' },
  });
  await assert.rejects(wrong.create('/logs/b.log', Buffer.from('x\n')), (error) => {
    assert.ok(error instanceof WebHdfsAuthError, String(error));
    assert.match(error.message, /password of webhdfs\.basicAuth were refused/);
    assert.equal(classifyError(error), 'permanent');
    return true;
  });
});

test('reads a rotated password file again after a refusal', async (t) => {
  const { server, events } = await knox(t, 'the new one');
  const file = join(await makeTempDir(t), 'password');
  await writeFile(file, 'the old one\n');
  const hdfs = client(t, {
    namenodes: server.url,
    gateway: true,
    basicAuth: { user: 'alice', passwordFile: file },
  });

  await writeFile(file, 'the new one\n');
  await hdfs.create('/logs/c.log', { path: file });

  assert.deepEqual(
    events.map((event) => `${event.op} ${event.status}`),
    ['CREATE 401', 'CREATE 201'],
  );
});

/** A NameNode that wants the login, and redirects the data to `dataNode`. */
function loginNameNode(dataNode: () => string, seen: string[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    seen.push(`${req.url ?? ''} ${req.headers.authorization ?? 'none'}`);
    req.resume();
    if (req.headers.authorization !== BASIC) {
      res.writeHead(401, { 'www-authenticate': 'BASIC realm="application"' }).end();
      return;
    }
    if (req.url?.startsWith('/data') === true) {
      res.writeHead(201).end();
      return;
    }
    res.writeHead(307, { location: `${dataNode()}/data?op=CREATE` }).end();
  };
}

test('sends the login on a redirect to the gateway itself, never to another host', async (t) => {
  const atGateway: string[] = [];
  const gateway = await startFakeServer(
    t,
    loginNameNode(() => gateway.url, atGateway),
  );
  const login = { basicAuth: { user: 'alice', password: PASSWORD } };
  await client(t, { namenodes: gateway.url, ...login }).create(
    '/logs/d.log',
    Buffer.from('d\n'),
  );
  assert.deepEqual(
    atGateway.map((line) => line.replace(/\?.*? /, ' ')),
    [`/webhdfs/v1/logs/d.log ${BASIC}`, `/data ${BASIC}`],
  );

  const atDataNode: string[] = [];
  const dataNode = await startFakeServer(t, (req, res) => {
    atDataNode.push(req.headers.authorization ?? 'none');
    req.resume();
    res.writeHead(201).end();
  });
  const nameNode = await startFakeServer(
    t,
    loginNameNode(() => dataNode.url, []),
  );
  await client(t, { namenodes: nameNode.url, ...login }).create(
    '/logs/e.log',
    Buffer.from('e\n'),
  );
  assert.deepEqual(atDataNode, ['none']);
});

test('cleans the login from what a server echoes back', async (t) => {
  const server = await startFakeServer(t, (req, res) => {
    req.resume();
    sendJson(res, 403, {
      RemoteException: {
        exception: 'AccessControlException',
        javaClassName: 'org.apache.hadoop.security.AccessControlException',
        message: `denied: ${req.headers.authorization ?? ''} (${PASSWORD})`,
      },
    });
  });
  const hdfs = client(t, {
    namenodes: server.url,
    basicAuth: { user: 'alice', password: PASSWORD },
  });
  const error = await hdfs.mkdirs('/logs').then(
    () => assert.fail('a refusal was taken for success'),
    (caught: unknown) => caught as Error,
  );
  const shown = [error.message, error.stack, JSON.stringify(error)].join('\n');
  assert.match(shown, /denied/);
  assert.ok(!shown.includes(BASIC.slice(6)), shown);
  assert.ok(!shown.includes(PASSWORD), shown);
});
