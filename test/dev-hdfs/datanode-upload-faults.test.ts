import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestServer, waitFor } from './fixture.js';
import { rawRequest, remoteException, twoStep, webHdfsTarget } from './raw-http.js';
import { RawSocket, hasCompleteResponse, requestHead } from './raw-socket.js';

const MIB = 1024 * 1024;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

test('rejectAfterContinue answers 403 while the client is still sending, readably', async (t) => {
  const { server, root } = await startTestServer(t, {
    faults: { rejectAfterContinue: { afterBytes: 64 * 1024, times: 1 } },
  });
  const step1 = await rawRequest(server.url, webHdfsTarget('/r/f', 'CREATE'), {
    method: 'PUT',
  });
  const location = new URL(step1.headers.location ?? '');
  const socket = await RawSocket.connect(location.origin);
  t.after(() => socket.destroy());

  const total = 64 * MIB;
  const head = requestHead('PUT', location.pathname + location.search, {
    'Content-Length': total,
  });
  await socket.write(head);
  await socket.until((text) => text.startsWith('HTTP/1.1 100 Continue\r\n\r\n'));

  // Keep sending until the whole answer has arrived, as a streaming client does.
  const chunk = Buffer.alloc(16 * 1024, 0x61);
  let sent = 0;
  while (!hasCompleteResponse(socket.received, 25) && sent < total && !socket.closed) {
    await socket.write(chunk);
    sent += chunk.length;
  }

  assert.ok(sent < total, 'the answer came while the body was still being sent');
  assert.equal(socket.error, undefined, 'no reset before the answer was read');
  const answer = socket.received.slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
  assert.match(answer, /^HTTP\/1\.1 403 Forbidden\r\n/);
  assert.match(answer, /\r\nconnection: close\r\n/i);
  const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  assert.deepEqual(
    Object.keys((JSON.parse(body) as { RemoteException: object }).RemoteException),
    ['exception', 'javaClassName', 'message'],
  );
  assert.match(body, /"exception":"AccessControlException"/);
  assert.match(
    body,
    /"javaClassName":"org\.apache\.hadoop\.security\.AccessControlException"/,
  );
  assert.equal(await exists(join(root, 'r/f')), false, 'the create never happened');

  const next = await twoStep(server.url, 'PUT', webHdfsTarget('/r/f', 'CREATE'), 'ok');
  assert.equal(next.final.status, 201, 'times: 1 rejects one upload only');
});

test('rejectAfterContinue can name the exception class', async (t) => {
  const { server } = await startTestServer(t, {
    faults: { rejectAfterContinue: { exception: 'SafeModeException' } },
  });
  const { final } = await twoStep(
    server.url,
    'PUT',
    webHdfsTarget('/r/f', 'CREATE'),
    'x',
  );
  assert.equal(final.status, 403);
  assert.equal(
    remoteException(final).javaClassName,
    'org.apache.hadoop.hdfs.server.namenode.SafeModeException',
  );
});

test('resetUpload resets mid-body and leaves the file under construction', async (t) => {
  const { server, root } = await startTestServer(t, {
    faults: { resetUpload: { afterBytes: 1000, times: 1 } },
  });

  const failed = twoStep(
    server.url,
    'PUT',
    webHdfsTarget('/u/f', 'CREATE'),
    Buffer.alloc(4 * MIB, 0x62),
  );
  await assert.rejects(failed, (error: NodeJS.ErrnoException) => {
    assert.ok(['ECONNRESET', 'EPIPE'].includes(error.code ?? ''), String(error));
    return true;
  });
  await waitFor(() => server.namespace.leaseHolder('/u/f') !== undefined, 'the lease');
  assert.equal((await readFile(join(root, 'u/f'))).length, 1000);

  const again = await twoStep(server.url, 'PUT', webHdfsTarget('/u/g', 'CREATE'), 'fine');
  assert.equal(again.final.status, 201, 'times: 1 resets one upload only');
});

test('quotaBytes fails a write with DSQuotaExceededException when a block is needed', async (t) => {
  const { server, root } = await startTestServer(t, { faults: { quotaBytes: 2 * MIB } });
  const target = webHdfsTarget('/q/f', 'CREATE', {
    blocksize: String(MIB),
    replication: '1',
  });

  const { final } = await twoStep(server.url, 'PUT', target, Buffer.alloc(3 * MIB, 0x63));

  assert.equal(final.status, 403);
  const remote = remoteException(final);
  assert.equal(remote.exception, 'DSQuotaExceededException');
  assert.match(
    remote.message,
    /^The DiskSpace quota of \/ is exceeded: quota = 2097152 B = 2 MB/,
  );
  // Two whole blocks fitted; the third could not be allocated.
  assert.equal((await stat(join(root, 'q/f'))).size, 2 * MIB);

  server.setFaults({ quotaBytes: undefined });
  const small = webHdfsTarget('/q/g', 'CREATE', {
    blocksize: String(MIB),
    replication: '1',
  });
  assert.equal((await twoStep(server.url, 'PUT', small, 'x')).final.status, 201);
});

test('holdLease makes CREATE and APPEND of those paths AlreadyBeingCreatedException', async (t) => {
  const { server } = await startTestServer(t, { faults: { holdLease: ['/h/f'] } });

  const create = await twoStep(server.url, 'PUT', webHdfsTarget('/h/f', 'CREATE'), 'x');
  assert.equal(create.nameNode.status, 307);
  assert.equal(create.final.status, 403);
  assert.equal(remoteException(create.final).exception, 'AlreadyBeingCreatedException');
  const other = await twoStep(server.url, 'PUT', webHdfsTarget('/h/g', 'CREATE'), 'x');
  assert.equal(other.final.status, 201);

  server.setFaults({ holdLease: ['/h/g'] });
  const append = await twoStep(server.url, 'POST', webHdfsTarget('/h/g', 'APPEND'), 'y');
  assert.equal(remoteException(append.final).exception, 'AlreadyBeingCreatedException');
});

test('safeMode refuses CREATE and APPEND at the DataNode step, as Hadoop does', async (t) => {
  const { server, root } = await startTestServer(t, { faults: { safeMode: true } });

  const create = await twoStep(server.url, 'PUT', webHdfsTarget('/s/f', 'CREATE'), 'x');
  assert.equal(
    create.nameNode.status,
    307,
    'the NameNode does not look at the namespace',
  );
  assert.equal(create.final.status, 403);
  const remote = remoteException(create.final);
  assert.equal(remote.exception, 'SafeModeException');
  assert.match(remote.message, /^Cannot create file\/s\/f\. Name node is in safe mode\./);
  assert.equal(await exists(join(root, 's/f')), false);
});

test('a client that hangs up before a rejection is not a server failure', async (t) => {
  const { server } = await startTestServer(t, {
    faults: { rejectAfterContinue: { afterBytes: MIB, times: 1 } },
  });
  const step1 = await rawRequest(server.url, webHdfsTarget('/r/f', 'CREATE'), {
    method: 'PUT',
  });
  const location = new URL(step1.headers.location ?? '');
  const socket = await RawSocket.connect(location.origin);
  const head = requestHead('PUT', location.pathname + location.search, {
    'Content-Length': 2 * MIB,
  });

  await socket.write(head);
  await socket.write('only a few bytes');
  const aborted = new Promise((resolve) => server.once('request', resolve));
  socket.destroy();

  assert.equal(((await aborted) as { status: number }).status, 0);
  // The fixture fails the test if the server reported an internal error.
});
