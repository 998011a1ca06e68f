import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { layOut, startTestServer } from './fixture.js';
import { rawRequest, remoteException, webHdfsTarget } from './raw-http.js';
import { RawSocket, hasCompleteResponse, requestHead } from './raw-socket.js';

const OCTETS = { 'Content-Type': 'application/octet-stream' };

test('gateway CREATE redirects to itself with data=true, then writes there', async (t) => {
  const { server, root } = await startTestServer(t, { gateway: true });
  assert.equal(server.dataNodeUrl, server.url, 'no DataNode port in gateway mode');
  const target = webHdfsTarget('/g/f', 'create', {
    'user.name': 'alice',
    noredirect: 'false',
  });

  const step1 = await rawRequest(server.url, target, { method: 'PUT' });
  assert.equal(step1.status, 307);
  const location = new URL(step1.headers.location ?? '');
  assert.equal(location.origin, server.url);
  assert.equal(location.searchParams.get('data'), 'true');
  assert.equal(location.searchParams.get('op'), 'CREATE');
  assert.equal(location.searchParams.get('noredirect'), null);

  const step2 = await rawRequest(server.url, location.pathname + location.search, {
    method: 'PUT',
    headers: OCTETS,
    body: 'hello',
  });
  assert.equal(step2.status, 201);
  assert.equal(step2.headers.location, `${server.url}/webhdfs/v1/g/f`);
  assert.equal(await readFile(join(root, 'g/f'), 'utf8'), 'hello');

  const append = webHdfsTarget('/g/f', 'APPEND', { data: 'true' });
  const appended = await rawRequest(server.url, append, {
    method: 'POST',
    headers: OCTETS,
    body: ', world',
  });
  assert.equal(appended.status, 200);
  assert.equal(await readFile(join(root, 'g/f'), 'utf8'), 'hello, world');
});

test('gateway answers 100 Continue to a client that asks, and only then', async (t) => {
  const { server, root } = await startTestServer(t, { gateway: true });

  for (const [path, expect] of [
    ['/g/asks', true],
    ['/g/silent', false],
  ] as const) {
    const socket = await RawSocket.connect(server.url);
    t.after(() => socket.destroy());
    const headers = {
      ...OCTETS,
      'Content-Length': 2,
      ...(expect ? { Expect: '100-continue' } : {}),
    };
    await socket.write(
      requestHead('PUT', webHdfsTarget(path, 'CREATE', { data: 'true' }), headers),
    );
    if (expect) {
      const interim = await socket.until((text) => text.includes('\r\n\r\n'));
      assert.equal(interim, 'HTTP/1.1 100 Continue\r\n\r\n');
    }
    await socket.write('ok');
    const all = await socket.until(
      (text) =>
        /HTTP\/1\.1 201/.test(text) &&
        hasCompleteResponse(text, text.indexOf('HTTP/1.1 201')),
    );
    assert.equal(all.includes('100 Continue'), expect);
    assert.equal(await readFile(join(root, path), 'utf8'), 'ok');
  }
});

test('gateway OPEN and GETFILECHECKSUM answer directly, without a redirect', async (t) => {
  const { server, root } = await startTestServer(t, { gateway: true });
  await layOut(root, [{ file: '/g/f', content: '12345678901234\n' }]);

  const open = await rawRequest(
    server.url,
    webHdfsTarget('/g/f', 'OPEN', { offset: '10' }),
  );
  assert.equal(open.status, 200);
  assert.equal(open.text, '1234\n');

  const checksum = await rawRequest(server.url, webHdfsTarget('/g/f', 'GETFILECHECKSUM'));
  assert.equal(checksum.status, 200);
  assert.equal(
    checksum.text,
    '{"FileChecksum":{"algorithm":"MD5-of-0MD5-of-512CRC32C",' +
      '"bytes":"0000020000000000000000007267e9528002723a30939aefc238d665","length":28}}',
  );
});

test('gateway refuses a data upload that is not application/octet-stream', async (t) => {
  const { server } = await startTestServer(t, { gateway: true });
  const target = webHdfsTarget('/g/f', 'CREATE', { data: 'true' });

  const response = await rawRequest(server.url, target, {
    method: 'PUT',
    headers: { 'Content-Type': 'text/plain' },
    body: 'x',
  });

  assert.equal(response.status, 400);
  assert.match(response.text, /Data upload requests must have content-type set to/);
});

test('gateway answers noredirect=true with the data URL as JSON', async (t) => {
  const { server } = await startTestServer(t, { gateway: true });
  const target = webHdfsTarget('/g/f', 'CREATE', { noredirect: 'true' });

  const response = await rawRequest(server.url, target, { method: 'PUT' });

  assert.equal(response.status, 200);
  const { Location } = JSON.parse(response.text) as { Location: string };
  assert.equal(new URL(Location).searchParams.get('data'), 'true');
});

test('gateway keeps the NameNode ops and their errors', async (t) => {
  const { server } = await startTestServer(t, { gateway: true });
  const made = await rawRequest(server.url, webHdfsTarget('/g/d', 'MKDIRS'), {
    method: 'PUT',
  });
  assert.equal(made.text, '{"boolean":true}');
  const missing = await rawRequest(server.url, webHdfsTarget('/g/nope', 'OPEN'));
  assert.equal(missing.status, 404);
  assert.equal(remoteException(missing).exception, 'FileNotFoundException');
});
