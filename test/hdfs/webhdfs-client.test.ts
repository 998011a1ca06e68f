import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import {
  InvalidHdfsPathError,
  InvalidOptionError,
  WebHdfsProtocolError,
  WebHdfsRemoteError,
} from '../../src/errors.js';
import { classifyError } from '../../src/hdfs/error-class.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import {
  closedPort,
  remoteException,
  sendJson,
  startFakeServer,
  type FakeServer,
} from '../helpers/fake-server.js';

const STANDBY = remoteException(
  'StandbyException',
  'org.apache.hadoop.ipc.StandbyException',
  'Operation category READ is not supported in state standby.',
);

function client(t: TestContext, options: ConstructorParameters<typeof WebHdfsClient>[0]) {
  const instance = new WebHdfsClient(options);
  t.after(() => instance.close());
  return instance;
}

function query(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://x').searchParams;
}

/** A DataNode that stores what it receives; answers 201 as Hadoop's does. */
async function startDataNode(t: TestContext, received: string[]): Promise<FakeServer> {
  return startFakeServer(t, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString());
      res.writeHead(201, { location: 'hdfs://nn:8020/a', 'content-length': 0 }).end();
    });
  });
}

function redirectTo(res: ServerResponse, location: string): void {
  res.writeHead(307, { location, 'content-length': 0 }).end();
}

test('fails over to the next NameNode on StandbyException and remembers it', async (t) => {
  const standby = await startFakeServer(t, (_req, res) => sendJson(res, 403, STANDBY));
  const active = await startFakeServer(t, (_req, res) =>
    sendJson(res, 200, { boolean: true }),
  );
  const hdfs = client(t, { namenodes: [standby.url, active.url] });

  assert.equal(await hdfs.mkdirs('/logs'), true);
  assert.equal(await hdfs.mkdirs('/logs/b'), true);

  assert.equal(hdfs.activeNameNode, active.hostPort);
  assert.equal(standby.requests.length, 1, 'the standby is asked once, then skipped');
  assert.equal(active.requests.length, 2);
});

test('fails over when a NameNode refuses connections', async (t) => {
  const active = await startFakeServer(t, (_req, res) =>
    sendJson(res, 200, { boolean: true }),
  );
  const hdfs = client(t, {
    namenodes: [`http://127.0.0.1:${await closedPort()}`, active.url],
  });

  assert.equal(await hdfs.delete('/tmp/x'), true);
  assert.equal(hdfs.activeNameNode, active.hostPort);
});

test('reports StandbyException when every NameNode is a standby', async (t) => {
  const a = await startFakeServer(t, (_req, res) => sendJson(res, 403, STANDBY));
  const b = await startFakeServer(t, (_req, res) => sendJson(res, 403, STANDBY));
  const hdfs = client(t, { namenodes: [a.url, b.url] });

  await assert.rejects(hdfs.getFileStatus('/x'), (error) => {
    assert.ok(error instanceof WebHdfsRemoteError);
    assert.equal(error.exception, 'StandbyException');
    assert.equal(classifyError(error), 'failover');
    return true;
  });
});

test('returns false when HDFS answers {"boolean": false}', async (t) => {
  const nn = await startFakeServer(t, (_req, res) =>
    sendJson(res, 200, { boolean: false }),
  );
  const hdfs = client(t, { namenodes: nn.url });

  assert.equal(await hdfs.rename('/a', '/b'), false);
  assert.equal(await hdfs.delete('/a'), false);
  assert.equal(await hdfs.mkdirs('/a'), false);
});

test('sends renameoptions=NONE and surfaces a refusal as a typed error', async (t) => {
  const nn = await startFakeServer(t, (req, res) => {
    if (query(req).get('renameoptions') === 'NONE') {
      sendJson(
        res,
        403,
        remoteException(
          'FileAlreadyExistsException',
          'org.apache.hadoop.fs.FileAlreadyExistsException',
          'rename destination /b already exists',
        ),
      );
    } else res.writeHead(200, { 'content-length': 0 }).end();
  });
  const hdfs = client(t, { namenodes: nn.url });

  await assert.rejects(hdfs.renameWithOptions('/a', '/b'), (error) => {
    assert.ok(error instanceof WebHdfsRemoteError);
    assert.equal(error.exception, 'FileAlreadyExistsException');
    assert.equal(error.status, 403);
    assert.equal(error.op, 'RENAME');
    return true;
  });
  await hdfs.renameWithOptions('/a', '/b', { overwrite: true });
  assert.match(nn.requests[1] ?? '', /renameoptions=OVERWRITE/);
});

test('creates in two steps: no body to the NameNode, the data to the DataNode', async (t) => {
  const received: string[] = [];
  const dn = await startDataNode(t, received);
  const nn = await startFakeServer(t, (req, res) => {
    assert.equal(req.headers['content-length'], '0');
    redirectTo(
      res,
      `${dn.url}/webhdfs/v1/logs/a.log?op=CREATE&namenoderpcaddress=nn:8020`,
    );
  });
  const hdfs = client(t, { namenodes: nn.url, user: 'alice' });

  await hdfs.create('/logs/a.log', Buffer.from('line\n'), { blockSize: 1048576 });

  assert.deepEqual(received, ['line\n']);
  assert.match(nn.requests[0] ?? '', /^PUT \/webhdfs\/v1\/logs\/a\.log\?op=CREATE&/);
  assert.match(nn.requests[0] ?? '', /overwrite=false/);
  assert.match(nn.requests[0] ?? '', /blocksize=1048576/);
  assert.match(nn.requests[0] ?? '', /user\.name=alice/);
  assert.equal(
    dn.requests[0],
    'PUT /webhdfs/v1/logs/a.log?op=CREATE&namenoderpcaddress=nn:8020',
  );
});

test('rewrites an unreachable DataNode host with the rewrite map', async (t) => {
  const received: string[] = [];
  const dn = await startDataNode(t, received);
  const nn = await startFakeServer(t, (_req, res) => {
    redirectTo(res, 'http://dn7.cluster.internal:9864/webhdfs/v1/a?op=CREATE');
  });
  const rewrite = { 'dn7.cluster.internal:9864': dn.url };
  const hdfs = client(t, { namenodes: nn.url, dataNodeRewrite: rewrite });

  await hdfs.create('/a', Buffer.from('x'));

  assert.deepEqual(received, ['x']);
});

test('asks for the DataNode as JSON with noRedirect', async (t) => {
  const received: string[] = [];
  const dn = await startDataNode(t, received);
  const nn = await startFakeServer(t, (req, res) => {
    assert.equal(query(req).get('noredirect'), 'true');
    sendJson(res, 200, { Location: `${dn.url}/webhdfs/v1/a?op=CREATE` });
  });
  const hdfs = client(t, { namenodes: nn.url, noRedirect: true });

  await hdfs.create('/a', Buffer.from('via json'));

  assert.deepEqual(received, ['via json']);
});

test('sends the data to the gateway itself with data=true in gateway mode', async (t) => {
  const received: string[] = [];
  const gateway = await startDataNode(t, received);
  const hdfs = client(t, {
    namenodes: `${gateway.url}/gateway/prod/webhdfs/v1`,
    gateway: true,
  });

  await hdfs.create(
    '/a',
    Readable.from([Buffer.from('through '), Buffer.from('the gateway')]),
  );

  assert.deepEqual(received, ['through the gateway']);
  assert.match(
    gateway.requests[0] ?? '',
    /^PUT \/gateway\/prod\/webhdfs\/v1\/a\?op=CREATE&.*data=true/,
  );
});

test('treats a redirect without Location as a protocol error', async (t) => {
  const nn = await startFakeServer(t, (_req, res) => res.writeHead(307).end());
  const hdfs = client(t, { namenodes: nn.url });

  await assert.rejects(hdfs.create('/a', Buffer.from('x')), WebHdfsProtocolError);
});

test('sends a delegation token instead of user.name, and doas with user.name', async (t) => {
  const nn = await startFakeServer(t, (_req, res) =>
    sendJson(res, 200, { Path: '/user/alice' }),
  );
  const withToken = client(t, {
    namenodes: nn.url,
    user: 'alice',
    delegationToken: 'tok',
  });
  const proxied = client(t, { namenodes: nn.url, user: 'svc', doAs: 'alice' });

  assert.equal(await withToken.getHomeDirectory(), '/user/alice');
  await proxied.getHomeDirectory();

  assert.match(nn.requests[0] ?? '', /delegation=tok/);
  assert.doesNotMatch(nn.requests[0] ?? '', /user\.name/);
  assert.match(nn.requests[1] ?? '', /user\.name=svc&doas=alice/);
});

test('refuses an invalid HDFS path before sending anything', async (t) => {
  const nn = await startFakeServer(t, (_req, res) =>
    sendJson(res, 200, { boolean: true }),
  );
  const hdfs = client(t, { namenodes: nn.url });

  await assert.rejects(hdfs.mkdirs('/logs/dt=2026-12-03T15:00'), InvalidHdfsPathError);
  await assert.rejects(hdfs.rename('/a', 'relative/b'), InvalidHdfsPathError);
  assert.equal(nn.requests.length, 0);
});

test('names the option and the value when options are wrong', () => {
  assert.throws(() => new WebHdfsClient({ namenodes: [] }), InvalidOptionError);
  assert.throws(
    () => new WebHdfsClient({ namenodes: 'ftp://nn1' }),
    /option "namenodes\[0\]" must be .*received "ftp:\/\/nn1"/,
  );
  assert.throws(
    () => new WebHdfsClient({ namenodes: 'nn1', user: 'no spaces' }),
    /option "user" must be a user name/,
  );
  assert.throws(
    () => new WebHdfsClient({ namenodes: 'nn1', stallTimeout: -1 }),
    /option "stallTimeout" must be a positive whole number/,
  );
});

test('lists a directory and reads a file status', async (t) => {
  const entry = { type: 'FILE', pathSuffix: 'a.log', length: 12, owner: 'alice' };
  const nn = await startFakeServer(t, (req, res) => {
    if (query(req).get('op') === 'LISTSTATUS') {
      res.writeHead(200, { 'content-type': 'application/json' });
      // NameNodes stream this body in pieces.
      res.write('{"FileStatuses":{"FileStatus":[\n');
      res.end(`${JSON.stringify(entry)}\n]}}\n`);
    } else sendJson(res, 200, { FileStatus: { ...entry, pathSuffix: '' } });
  });
  const hdfs = client(t, { namenodes: nn.url });

  const listing = await hdfs.listStatus('/logs');
  const status = await hdfs.getFileStatus('/logs/a.log');

  assert.deepEqual(
    listing.map((listed) => [listed.pathSuffix, listed.length]),
    [['a.log', 12]],
  );
  assert.equal(status.type, 'FILE');
  assert.equal(status.ecBit, false);
});
