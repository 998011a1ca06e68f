import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DevHdfsServer, type DevHdfsRequestEvent } from '../../src/dev-hdfs/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { startTestServer } from './fixture.js';
import { rawRequest, remoteException, twoStep, webHdfsTarget } from './raw-http.js';
import { RawSocket } from './raw-socket.js';

const STATUS = webHdfsTarget('/', 'GETFILESTATUS');

test('refuse closes both ports (ECONNREFUSED) and reopens them on the same ports', async (t) => {
  const { server } = await startTestServer(t);
  const { url, dataNodeUrl } = server;
  const open = await RawSocket.connect(url);
  t.after(() => open.destroy());

  server.setFaults({ refuse: true });
  await server.settle();

  await open.until(() => false);
  assert.equal(open.closed, true, 'an open connection is destroyed');
  for (const base of [url, dataNodeUrl]) {
    await assert.rejects(rawRequest(base, STATUS), { code: 'ECONNREFUSED' });
  }

  server.setFaults({ refuse: false });
  await server.settle();
  assert.equal(server.url, url);
  assert.equal((await rawRequest(url, STATUS)).status, 200);
  const created = await twoStep(url, 'PUT', webHdfsTarget('/f', 'CREATE'), 'x');
  assert.equal(created.final.status, 201, 'the DataNode listens again too');
});

test('delayMs holds every request at least that long', async (t) => {
  const { server } = await startTestServer(t, { faults: { delayMs: 150 } });

  const started = performance.now();
  const response = await rawRequest(server.url, STATUS);

  assert.equal(response.status, 200);
  assert.ok(performance.now() - started >= 145, 'answered too early');
});

test('unavailable answers 503 with an HTML body, as a proxy would, then clears', async (t) => {
  const { server } = await startTestServer(t, { faults: { unavailable: 2 } });

  for (let i = 0; i < 2; i++) {
    const response = await rawRequest(server.url, STATUS);
    assert.equal(response.status, 503);
    assert.match(response.headers['content-type'] ?? '', /^text\/html/);
    assert.throws(() => JSON.parse(response.text) as unknown);
  }
  assert.equal((await rawRequest(server.url, STATUS)).status, 200);
  assert.deepEqual(server.faults, {});
});

test('a standby answers StandbyException with exactly the body Hadoop sends', async (t) => {
  const { server } = await startTestServer(t, { haState: 'standby' });
  const body = (category: string): string =>
    '{"RemoteException":{"exception":"StandbyException",' +
    '"javaClassName":"org.apache.hadoop.ipc.StandbyException",' +
    `"message":"Operation category ${category} is not supported in state standby. ` +
    'Visit https://s.apache.org/sbnn-error"}}';

  const read = await rawRequest(server.url, STATUS);
  assert.equal(read.status, 403);
  assert.equal(read.text, body('READ'));
  const write = await rawRequest(server.url, webHdfsTarget('/d', 'MKDIRS'), {
    method: 'PUT',
  });
  assert.equal(write.status, 403);
  assert.equal(write.text, body('WRITE'));
  const open = await twoStep(server.url, 'GET', webHdfsTarget('/d', 'OPEN'));
  assert.equal(open.final.text, body('READ'));

  server.setHaState('active');
  assert.equal((await rawRequest(server.url, STATUS)).status, 200);
});

test('a lone standby redirects CREATE, and its DataNode then fails', async (t) => {
  const { server } = await startTestServer(t, { haState: 'standby' });

  const { nameNode, final } = await twoStep(
    server.url,
    'PUT',
    webHdfsTarget('/f', 'CREATE'),
    'x',
  );

  assert.equal(nameNode.status, 307);
  assert.equal(final.status, 403);
  assert.equal(remoteException(final).exception, 'StandbyException');
});

test('safeMode refuses MKDIRS, RENAME and DELETE but serves reads', async (t) => {
  const { server } = await startTestServer(t, { faults: { safeMode: true } });

  const writes = [
    webHdfsTarget('/d', 'MKDIRS'),
    webHdfsTarget('/d', 'RENAME', { destination: '/e' }),
  ];
  for (const target of writes) {
    const response = await rawRequest(server.url, target, { method: 'PUT' });
    assert.equal(response.status, 403);
    assert.equal(remoteException(response).exception, 'SafeModeException');
  }
  const deleted = await rawRequest(server.url, webHdfsTarget('/d', 'DELETE'), {
    method: 'DELETE',
  });
  assert.match(
    remoteException(deleted).message,
    /^Cannot delete \/d\. Name node is in safe mode/,
  );
  assert.equal((await rawRequest(server.url, STATUS)).status, 200);
});

test("emits 'request' for every answered request, with role, op, path and status", async (t) => {
  const { server } = await startTestServer(t);
  const events: DevHdfsRequestEvent[] = [];
  server.on('request', (event) => events.push(event));

  await twoStep(
    server.url,
    'PUT',
    webHdfsTarget('/a b', 'CREATE', { 'user.name': 'al' }),
    'x',
  );

  const seen = events.map(({ role, method, op, path, status }) => [
    role,
    method,
    op,
    path,
    status,
  ]);
  assert.deepEqual(seen, [
    ['namenode', 'PUT', 'CREATE', '/a b', 307],
    ['datanode', 'PUT', 'CREATE', '/a b', 201],
  ]);
  assert.equal(events[0]?.query.get('user.name'), 'al');
});

test('close stops listening and destroys open connections', async (t) => {
  const server = await DevHdfsServer.start({ root: await makeTempDir(t) });
  const open = await RawSocket.connect(server.url);

  await server.close();

  await open.until(() => false);
  assert.equal(open.closed, true);
  await assert.rejects(rawRequest(server.url, STATUS), { code: 'ECONNREFUSED' });
  await server.close();
});

test('rejects unusable options before listening, naming the option', async () => {
  await assert.rejects(DevHdfsServer.start({}), {
    code: 'ERR_INVALID_OPTION',
    option: 'root',
  });
  await assert.rejects(DevHdfsServer.start({ root: '/tmp/x', port: 70000 }), {
    option: 'port',
  });
  await assert.rejects(DevHdfsServer.start({ root: '/tmp/x', faults: { delayMs: -1 } }), {
    option: 'faults.delayMs',
  });
});
