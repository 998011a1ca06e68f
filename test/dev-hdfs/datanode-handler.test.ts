import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  MULTIBLOCK_BLOCK_SIZE,
  MULTIBLOCK_CHECKSUM,
  multiblockVector,
} from '../helpers/multiblock-vector.js';
import { layOut, startTestServer } from './fixture.js';
import { rawRequest, remoteException, twoStep, webHdfsTarget } from './raw-http.js';
import { RawSocket, hasCompleteResponse, requestHead } from './raw-socket.js';

const vectors = fileURLToPath(
  new URL('../../../test/fixtures/checksum-vectors/', import.meta.url),
);

/** The DataNode target (path and query) a CREATE or APPEND step 1 redirects to. */
async function dataNodeTarget(url: string, target: string, method = 'PUT') {
  const step1 = await rawRequest(url, target, { method });
  assert.equal(step1.status, 307, step1.text);
  const location = new URL(step1.headers.location ?? '');
  return { origin: location.origin, target: location.pathname + location.search };
}

for (const expect of [undefined, '100-continue']) {
  const title = `the DataNode answers 100 Continue first (Expect: ${String(expect)})`;
  test(title, async (t) => {
    const { server, root } = await startTestServer(t);
    const dn = await dataNodeTarget(server.url, webHdfsTarget('/c/f', 'CREATE'));
    const socket = await RawSocket.connect(dn.origin);
    t.after(() => socket.destroy());

    const headers = { 'Content-Length': 5, ...(expect ? { Expect: expect } : {}) };
    await socket.write(requestHead('PUT', dn.target, headers));
    const interim = await socket.until((text) => text.includes('\r\n\r\n'));
    assert.equal(interim, 'HTTP/1.1 100 Continue\r\n\r\n');

    await socket.write('hello');
    const all = await socket.until((text) => hasCompleteResponse(text, interim.length));
    const final = all.slice(interim.length);
    assert.match(final, /^HTTP\/1\.1 201 Created\r\n/);
    assert.match(final, /\r\nlocation: hdfs:\/\/127\.0\.0\.1:\d+\/c\/f\r\n/i);
    assert.match(final, /\r\ncontent-length: 0\r\n/i);
    assert.match(final, /\r\nconnection: close\r\n/i);
    assert.equal(await readFile(join(root, 'c/f'), 'utf8'), 'hello');
  });
}

test('APPEND at the DataNode answers 200 with no body and no Location', async (t) => {
  const { server, root } = await startTestServer(t);
  await layOut(root, [{ file: '/a/f', content: 'one,' }]);

  const { dataNode } = await twoStep(
    server.url,
    'POST',
    webHdfsTarget('/a/f', 'APPEND'),
    'two',
  );

  assert.equal(dataNode?.status, 200);
  assert.equal(dataNode.headers.location, undefined);
  assert.equal(dataNode.headers['content-length'], '0');
  assert.equal(await readFile(join(root, 'a/f'), 'utf8'), 'one,two');
});

test('a DataNode URL without namenoderpcaddress is refused with 400', async (t) => {
  const { server } = await startTestServer(t);
  const dn = await dataNodeTarget(server.url, webHdfsTarget('/c/f', 'CREATE'));
  const target = dn.target.replace(/&namenoderpcaddress=[^&]*/, '');

  const response = await rawRequest(dn.origin, target, { method: 'PUT', body: 'x' });

  assert.equal(response.status, 400);
  assert.equal(remoteException(response).exception, 'IllegalArgumentException');
  assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
});

test('OPEN sends min(length - offset, length param) bytes from the offset', async (t) => {
  const { server, root } = await startTestServer(t);
  await layOut(root, [{ file: '/o/f', content: '0123456789' }]);

  const cases = [
    [{}, '0123456789'],
    [{ offset: '3' }, '3456789'],
    [{ offset: '3', length: '4' }, '3456'],
    [{ offset: '8', length: '100' }, '89'],
    [{ length: '0' }, ''],
  ] as const;
  for (const [params, expected] of cases) {
    const { final } = await twoStep(
      server.url,
      'GET',
      webHdfsTarget('/o/f', 'OPEN', params),
    );
    assert.equal(final.status, 200);
    assert.equal(final.text, expected, JSON.stringify(params));
    assert.equal(final.headers['content-length'], String(expected.length));
    assert.equal(final.headers['content-type'], 'application/octet-stream');
  }
});

test('GETFILECHECKSUM reproduces the published Hadoop vectors', async (t) => {
  const { server } = await startTestServer(t);
  const published = [
    ['data15bytes', '0000020000000000000000007267e9528002723a30939aefc238d665'],
    ['data120bytes', '000002000000000000000000a58cdc3c0967fc8cddb7fed5960d06f2'],
  ] as const;

  for (const [file, bytes] of published) {
    const content = await readFile(join(vectors, file));
    const created = await twoStep(
      server.url,
      'PUT',
      webHdfsTarget(`/v/${file}`, 'CREATE'),
      content,
    );
    assert.equal(created.final.status, 201);

    const { final } = await twoStep(
      server.url,
      'GET',
      webHdfsTarget(`/v/${file}`, 'GETFILECHECKSUM'),
    );
    assert.equal(final.status, 200);
    assert.equal(
      final.text,
      `{"FileChecksum":{"algorithm":"MD5-of-0MD5-of-512CRC32C","bytes":"${bytes}","length":28}}`,
    );
  }
});

test('GETFILECHECKSUM of the three-block vector is its published answer', async (t) => {
  const { server } = await startTestServer(t);
  const blocksize = String(MULTIBLOCK_BLOCK_SIZE);
  const created = await twoStep(
    server.url,
    'PUT',
    webHdfsTarget('/v/multiblock-2.5MiB.bin', 'CREATE', { blocksize }),
    multiblockVector(),
  );
  assert.equal(created.final.status, 201, created.final.text);

  const { final } = await twoStep(
    server.url,
    'GET',
    webHdfsTarget('/v/multiblock-2.5MiB.bin', 'GETFILECHECKSUM'),
  );

  assert.equal(final.status, 200);
  assert.equal(
    final.text,
    '{"FileChecksum":{"algorithm":"MD5-of-2048MD5-of-512CRC32C",' +
      '"bytes":"000002000000000000000800f6d4ef6d768ca47546786d653ee94c95","length":28}}',
  );
  assert.deepEqual(JSON.parse(final.text), { FileChecksum: MULTIBLOCK_CHECKSUM });
});

test('GETFILECHECKSUM of a missing file is 404 at the NameNode', async (t) => {
  const { server } = await startTestServer(t);
  const { final, dataNode } = await twoStep(
    server.url,
    'GET',
    webHdfsTarget('/nope', 'GETFILECHECKSUM'),
  );
  assert.equal(dataNode, undefined);
  assert.equal(final.status, 404);
  assert.equal(remoteException(final).exception, 'FileNotFoundException');
});

test('the DataNode refuses an op it does not serve with 400', async (t) => {
  const { server } = await startTestServer(t);
  const dn = await dataNodeTarget(server.url, webHdfsTarget('/c/f', 'CREATE'));
  const target = dn.target.replace('op=CREATE', 'op=MKDIRS');

  const response = await rawRequest(dn.origin, target, { method: 'PUT' });

  assert.equal(response.status, 400);
  assert.equal(remoteException(response).message, 'Invalid operation MKDIRS');
});
