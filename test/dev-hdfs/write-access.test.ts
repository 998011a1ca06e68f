import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWriteDenied, symbolicMode } from '../../src/dev-hdfs/write-access.js';
import { layOut, startTestServer } from './fixture.js';
import { rawRequest, remoteException, twoStep, webHdfsTarget } from './raw-http.js';

const ALICE = { 'user.name': 'alice' };

test('denyWrite names the nearest existing ancestor, its owner and its mode', async (t) => {
  const { server, root } = await startTestServer(t, {
    faults: { denyWrite: ['/locked'] },
  });
  await layOut(root, [{ dir: '/locked' }]);

  const response = await rawRequest(
    server.url,
    webHdfsTarget('/locked/a/b', 'MKDIRS', ALICE),
    { method: 'PUT' },
  );

  assert.equal(response.status, 403);
  assert.deepEqual(remoteException(response), {
    exception: 'AccessControlException',
    javaClassName: 'org.apache.hadoop.security.AccessControlException',
    message:
      'Permission denied: user=alice, access=WRITE, inode="/locked":hdfs:supergroup:drwxr-xr-x',
  });
});

test('denyWrite refuses APPEND naming the file itself', async (t) => {
  const { server, root } = await startTestServer(t, {
    faults: { denyWrite: ['/locked'] },
  });
  await layOut(root, [{ file: '/locked/f', content: 'ab' }]);

  const { final } = await twoStep(
    server.url,
    'POST',
    webHdfsTarget('/locked/f', 'APPEND', ALICE),
    'cd',
  );

  assert.equal(final.status, 403);
  assert.equal(
    remoteException(final).message,
    'Permission denied: user=alice, access=WRITE, inode="/locked/f":hdfs:supergroup:-rw-r--r--',
  );
});

test('denyWrite leaves reads and an existing directory alone', async (t) => {
  const { server, root } = await startTestServer(t, {
    faults: { denyWrite: ['/locked'] },
  });
  await layOut(root, [{ dir: '/locked/d' }]);

  const mkdirs = await rawRequest(server.url, webHdfsTarget('/locked/d', 'MKDIRS'), {
    method: 'PUT',
  });
  const list = await rawRequest(server.url, webHdfsTarget('/locked', 'LISTSTATUS'));

  assert.equal(mkdirs.text, '{"boolean":true}');
  assert.equal(list.status, 200);
});

test('denyWrite switched on and off while running takes effect at the next request', async (t) => {
  const { server } = await startTestServer(t);
  const mkdirs = (path: string) =>
    rawRequest(server.url, webHdfsTarget(path, 'MKDIRS'), { method: 'PUT' });

  server.setFaults({ denyWrite: ['/locked'] });
  const denied = await mkdirs('/locked/a');
  const elsewhere = await mkdirs('/lockedout/a');
  server.setFaults({ denyWrite: [] });
  const allowed = await mkdirs('/locked/a');

  assert.equal(remoteException(denied).exception, 'AccessControlException');
  assert.equal(elsewhere.status, 200);
  assert.equal(allowed.text, '{"boolean":true}');
});

test('a denied path covers itself and what is under it, by whole components', () => {
  assert.equal(isWriteDenied('/locked', ['/locked/']), true);
  assert.equal(isWriteDenied('/locked/a/b', ['/locked']), true);
  assert.equal(isWriteDenied('/lockedout', ['/locked']), false);
  assert.equal(isWriteDenied('/anything', ['/']), true);
});

test('modes read as FsPermission prints them, sticky bit included', () => {
  assert.equal(symbolicMode(0o755), 'rwxr-xr-x');
  assert.equal(symbolicMode(0o640), 'rw-r-----');
  assert.equal(symbolicMode(0o1777), 'rwxrwxrwt');
  assert.equal(symbolicMode(0o1770), 'rwxrwx--T');
});
