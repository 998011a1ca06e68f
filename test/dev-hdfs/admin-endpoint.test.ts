import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from './fixture.js';
import { rawRequest, remoteException, webHdfsTarget } from './raw-http.js';

const STATUS = webHdfsTarget('/', 'GETFILESTATUS');

test('the admin endpoint reads, merges and clears faults', async (t) => {
  const { server } = await startTestServer(t, {
    adminPort: 0,
    faults: { safeMode: true },
  });
  const admin = server.adminUrl ?? assert.fail('no admin endpoint');

  const initial = await rawRequest(admin, '/faults');
  assert.deepEqual(JSON.parse(initial.text), { safeMode: true });

  const body = JSON.stringify({ unavailable: 1, safeMode: null });
  const merged = await rawRequest(admin, '/faults', { method: 'PUT', body });
  assert.equal(merged.status, 200);
  assert.deepEqual(JSON.parse(merged.text), { unavailable: 1 });
  assert.equal((await rawRequest(server.url, STATUS)).status, 503);

  await rawRequest(admin, '/faults', { method: 'PUT', body: '{"refuse":true}' });
  await assert.rejects(rawRequest(server.url, STATUS), { code: 'ECONNREFUSED' });
  const cleared = await rawRequest(admin, '/faults', { method: 'DELETE' });
  assert.deepEqual(JSON.parse(cleared.text), {});
  assert.equal((await rawRequest(server.url, STATUS)).status, 200);
});

test('the admin endpoint makes writes under a path fail with AccessControlException', async (t) => {
  const { server } = await startTestServer(t, { adminPort: 0 });
  const admin = server.adminUrl ?? assert.fail('no admin endpoint');
  const mkdirs = () =>
    rawRequest(server.url, webHdfsTarget('/locked/d', 'MKDIRS'), { method: 'PUT' });

  const body = JSON.stringify({ denyWrite: ['/locked'] });
  await rawRequest(admin, '/faults', { method: 'PUT', body });
  const denied = await mkdirs();
  await rawRequest(admin, '/faults', { method: 'PUT', body: '{"denyWrite":null}' });
  const allowed = await mkdirs();

  assert.equal(denied.status, 403);
  assert.equal(remoteException(denied).exception, 'AccessControlException');
  assert.equal(allowed.text, '{"boolean":true}');
});

test('the admin endpoint switches the HA state', async (t) => {
  const { server } = await startTestServer(t, { adminPort: 0 });
  const admin = server.adminUrl ?? assert.fail('no admin endpoint');

  const standby = await rawRequest(admin, '/ha?state=standby', { method: 'PUT' });
  assert.deepEqual(JSON.parse(standby.text), { state: 'standby' });
  assert.equal((await rawRequest(server.url, STATUS)).status, 403);

  await rawRequest(admin, '/ha?state=active', { method: 'PUT' });
  assert.equal((await rawRequest(server.url, STATUS)).status, 200);
  assert.deepEqual(JSON.parse((await rawRequest(admin, '/ha')).text), {
    state: 'active',
  });
});

test('the admin endpoint rejects what it cannot use with 400 and a reason', async (t) => {
  const { server } = await startTestServer(t, { adminPort: 0 });
  const admin = server.adminUrl ?? assert.fail('no admin endpoint');

  for (const body of ['not json', '{"delayMs":"soon"}', '{"explode":true}']) {
    const response = await rawRequest(admin, '/faults', { method: 'PUT', body });
    assert.equal(response.status, 400, body);
    assert.match((JSON.parse(response.text) as { error: string }).error, /\S/);
  }
  const badState = await rawRequest(admin, '/ha?state=leader', { method: 'PUT' });
  assert.equal(badState.status, 400);
  assert.deepEqual(server.faults, {});
});

test('without adminPort there is no admin endpoint', async (t) => {
  const { server } = await startTestServer(t);
  assert.equal(server.adminUrl, undefined);
});
