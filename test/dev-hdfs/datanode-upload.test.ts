import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { request, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DevHdfsServer } from '../../src/dev-hdfs/index.js';
import { startTestServer, waitFor } from './fixture.js';
import {
  rawRequest,
  remoteException,
  twoStep,
  webHdfsTarget,
  type RawResponse,
} from './raw-http.js';

/** An upload whose body the test writes piece by piece (chunked encoding). */
interface OpenUpload {
  readonly req: ClientRequest;
  readonly answer: Promise<RawResponse | Error>;
}

async function openUpload(server: DevHdfsServer, path: string): Promise<OpenUpload> {
  const step1 = await rawRequest(server.url, webHdfsTarget(path, 'CREATE'), {
    method: 'PUT',
  });
  const location = new URL(step1.headers.location ?? '');
  const req = request({
    host: location.hostname,
    port: location.port,
    method: 'PUT',
    path: location.pathname + location.search,
    agent: false,
    headers: { 'Transfer-Encoding': 'chunked' },
  });
  const answer = new Promise<RawResponse | Error>((resolve) => {
    req.on('error', resolve);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text: String(body),
        });
      });
    });
  });
  req.flushHeaders();
  return { req, answer };
}

async function lengthOf(
  server: DevHdfsServer,
  path: string,
): Promise<number | undefined> {
  const response = await rawRequest(server.url, webHdfsTarget(path, 'GETFILESTATUS'));
  if (response.status !== 200) return undefined;
  return (JSON.parse(response.text) as { FileStatus: { length: number } }).FileStatus
    .length;
}

async function createStatus(server: DevHdfsServer, path: string, body: string) {
  const { final } = await twoStep(server.url, 'PUT', webHdfsTarget(path, 'CREATE'), body);
  return final.status === 201 ? 'created' : remoteException(final).exception;
}

test('a file being written is visible at its path and grows as bytes arrive', async (t) => {
  const { server, root } = await startTestServer(t);
  const upload = await openUpload(server, '/logs/a.log');

  upload.req.write('abc');
  await waitFor(async () => (await lengthOf(server, '/logs/a.log')) === 3, 'length 3');
  const listing = await rawRequest(server.url, webHdfsTarget('/logs', 'LISTSTATUS'));
  assert.match(listing.text, /"pathSuffix":"a\.log"/);

  upload.req.write('defg');
  await waitFor(async () => (await lengthOf(server, '/logs/a.log')) === 7, 'length 7');
  upload.req.end();

  const answer = await upload.answer;
  assert.ok(!(answer instanceof Error));
  assert.equal(answer.status, 201);
  assert.equal(await readFile(join(root, 'logs/a.log'), 'utf8'), 'abcdefg');
});

test('a file being written is under construction for everyone else', async (t) => {
  const { server } = await startTestServer(t);
  const upload = await openUpload(server, '/logs/a.log');
  upload.req.write('abc');
  await waitFor(async () => (await lengthOf(server, '/logs/a.log')) === 3, 'length 3');

  assert.equal(
    await createStatus(server, '/logs/a.log', 'x'),
    'AlreadyBeingCreatedException',
  );
  const { final } = await twoStep(
    server.url,
    'GET',
    webHdfsTarget('/logs/a.log', 'GETFILECHECKSUM'),
  );
  assert.equal(final.status, 403);
  assert.match(remoteException(final).message, /is under construction/);

  upload.req.end();
  assert.ok(!((await upload.answer) instanceof Error));
  assert.equal(
    await createStatus(server, '/logs/a.log', 'x'),
    'FileAlreadyExistsException',
  );
});

test('an abandoned upload keeps its lease until the soft limit, then is closed', async (t) => {
  const { server, root } = await startTestServer(t, { leaseSoftLimitMs: 300 });
  const upload = await openUpload(server, '/logs/a.log');
  upload.req.write('abc');
  await waitFor(async () => (await lengthOf(server, '/logs/a.log')) === 3, 'length 3');

  const recovered = once(server.namespace, 'leaseRecovered', {
    signal: AbortSignal.timeout(5000),
  });
  upload.req.destroy();
  assert.ok((await upload.answer) instanceof Error);
  await waitFor(
    () => server.namespace.leaseHolder('/logs/a.log') !== undefined,
    'the lease',
  );
  assert.equal(
    await createStatus(server, '/logs/a.log', 'x'),
    'AlreadyBeingCreatedException',
  );

  const [event] = (await recovered) as [{ path: string }];
  assert.equal(event.path, '/logs/a.log');
  assert.equal(server.namespace.leaseHolder('/logs/a.log'), undefined);
  assert.equal(
    await createStatus(server, '/logs/a.log', 'x'),
    'FileAlreadyExistsException',
  );
  assert.equal(await readFile(join(root, 'logs/a.log'), 'utf8'), 'abc');
});

test('CREATE with overwrite replaces a file being written; its writer fails', async (t) => {
  const { server, root } = await startTestServer(t);
  const upload = await openUpload(server, '/logs/a.log');
  upload.req.write('old');
  await waitFor(async () => (await lengthOf(server, '/logs/a.log')) === 3, 'length 3');

  const target = webHdfsTarget('/logs/a.log', 'CREATE', { overwrite: 'true' });
  const replaced = await twoStep(server.url, 'PUT', target, 'new');
  assert.equal(replaced.final.status, 201);
  upload.req.end('-more');

  const answer = await upload.answer;
  assert.ok(!(answer instanceof Error));
  assert.equal(answer.status, 404);
  assert.equal(remoteException(answer).exception, 'FileNotFoundException');
  assert.equal(await readFile(join(root, 'logs/a.log'), 'utf8'), 'new');
});

test('a file renamed while it is written keeps receiving its bytes at the new name', async (t) => {
  const { server, root } = await startTestServer(t);
  const upload = await openUpload(server, '/logs/.a.log.tmp');
  upload.req.write('abc');
  await waitFor(
    async () => (await lengthOf(server, '/logs/.a.log.tmp')) === 3,
    'length 3',
  );

  const renamed = await rawRequest(
    server.url,
    webHdfsTarget('/logs/.a.log.tmp', 'RENAME', {
      destination: '/logs/a.log',
      renameoptions: 'NONE',
    }),
    { method: 'PUT' },
  );
  assert.equal(renamed.status, 200);
  assert.equal(server.namespace.leaseHolder('/logs/a.log') !== undefined, true);
  upload.req.end('def');

  const answer = await upload.answer;
  assert.ok(!(answer instanceof Error));
  assert.equal(answer.status, 201);
  assert.equal(await readFile(join(root, 'logs/a.log'), 'utf8'), 'abcdef');
  assert.equal(server.namespace.leaseHolder('/logs/a.log'), undefined);
});
