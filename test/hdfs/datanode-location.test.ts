/**
 * The DataNode step keeps the scheme of the NameNode step: behind an https
 * NameNode, a redirect or a rewrite to plain http is refused before any byte
 * or token goes there, and a bare `host:port` rewrite target takes https.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import tls from 'node:tls';
import type { DevHdfsRequestEvent } from '../../src/dev-hdfs/index.js';
import { UploadError, WebHdfsDowngradeError } from '../../src/errors.js';
import { resolveDataNodeUrl } from '../../src/hdfs/datanode-location.js';
import { classifyError } from '../../src/hdfs/error-class.js';
import { resolveClientOptions } from '../../src/hdfs/webhdfs-client-options.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { startFakeServer } from '../helpers/fake-server.js';
import { readPublished } from '../helpers/published.js';
import { waitForEvents } from '../helpers/shipper-events.js';
import { makeTestPki } from '../helpers/test-pki.js';
import { startShipper, writeIds } from '../helpers/test-shipper.js';

const pkiDir = await mkdtemp(join(tmpdir(), 'hlt-pki-'));
after(() => rm(pkiDir, { recursive: true, force: true }));
const pki = await makeTestPki(pkiDir);
const serverTls = { cert: pki.serverCert.pem, key: pki.serverKey.pem };

const CONTEXT = {
  op: 'CREATE',
  path: '/a',
  role: 'namenode',
  endpoint: 'nn:9871',
} as const;
const LOCATION = 'http://dn1.internal:9864/webhdfs/v1/a?op=CREATE&delegation=secret';

function rewriteMap(dataNodeRewrite: Record<string, string>) {
  return resolveClientOptions({ namenodes: 'nn', dataNodeRewrite }).dataNodeRewrite;
}

function client(t: TestContext, options: ConstructorParameters<typeof WebHdfsClient>[0]) {
  const hdfs = new WebHdfsClient({ tls: { ca: pki.ca.pem }, ...options });
  t.after(() => hdfs.close());
  return hdfs;
}

/** A scripted NameNode over TLS on port 0, closed when the test ends. */
async function startHttpsNameNode(
  t: TestContext,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = https.createServer(serverTls, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A TLS terminator in front of a plain-HTTP NameNode, as a misconfigured
 * proxy would be: the client speaks https to it, and the NameNode behind it
 * writes its own plain `http://` DataNode URLs in its redirects.
 */
async function startTlsFront(t: TestContext, backend: string): Promise<string> {
  const { hostname, port } = new URL(backend);
  const sockets = new Set<Socket>();
  const front = tls.createServer(serverTls, (socket) => {
    const back = net.connect(Number(port), hostname);
    for (const end of [socket, back]) {
      sockets.add(end);
      end.once('close', () => sockets.delete(end));
      // A reset on one side ends the pair; the test judges by what arrived.
      end.on('error', () => socket.destroy());
    }
    socket.pipe(back).pipe(socket);
    back.once('close', () => socket.destroy());
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => front.close(resolve));
  });
  return `127.0.0.1:${(front.address() as AddressInfo).port}`;
}

test('refuses an http Location behind an https NameNode, naming only its origin', () => {
  const source = {
    rewrite: rewriteMap({}),
    context: CONTEXT,
    protocol: 'https:',
  } as const;

  assert.throws(
    () => resolveDataNodeUrl(LOCATION, source, 307),
    (error: unknown) => {
      assert.ok(error instanceof WebHdfsDowngradeError, String(error));
      assert.equal(error.code, 'ERR_WEBHDFS_DOWNGRADE');
      assert.equal(error.target, 'http://dn1.internal:9864');
      assert.equal(error.rewrite, undefined);
      assert.match(error.message, /NameNode redirected to http:\/\/dn1\.internal:9864,/);
      assert.ok(!`${error.message}\n${error.stack ?? ''}`.includes('secret'));
      assert.equal(classifyError(error), 'permanent');
      return true;
    },
  );
  // Over plain http the redirect is followed as written: there was no TLS to lose.
  const plain = resolveDataNodeUrl(LOCATION, { ...source, protocol: 'http:' }, 307);
  assert.equal(plain.href, LOCATION);
});

test('gives a bare host:port rewrite target the NameNode scheme, keeping its port', () => {
  const rewrite = rewriteMap({ 'dn1.internal': 'dn1.example:80' });
  const context = CONTEXT;
  const location = LOCATION.replace('http:', 'https:');

  const secure = resolveDataNodeUrl(
    location,
    { rewrite, context, protocol: 'https:' },
    307,
  );
  assert.equal(secure.origin, 'https://dn1.example:80');
  assert.equal(secure.search, '?op=CREATE&delegation=secret');
  const plain = resolveDataNodeUrl(
    location,
    { rewrite, context, protocol: 'http:' },
    307,
  );
  assert.equal(plain.origin, 'http://dn1.example');
});

test('refuses an explicit http rewrite target behind an https NameNode, naming the key', () => {
  const rewrite = rewriteMap({ 'DN1.internal:9865': 'http://dn1.example:9864' });
  const location = 'https://dn1.internal:9865/webhdfs/v1/a?op=CREATE';

  assert.throws(
    () =>
      resolveDataNodeUrl(
        location,
        { rewrite, context: CONTEXT, protocol: 'https:' },
        307,
      ),
    (error: unknown) => {
      assert.ok(error instanceof WebHdfsDowngradeError, String(error));
      assert.equal(error.rewrite, 'dn1.internal:9865');
      assert.match(
        error.message,
        /dataNodeRewrite\["dn1\.internal:9865"\] leads to http:/,
      );
      return true;
    },
  );
  // An https target of an http Location is an upgrade, and used.
  const upgraded = rewriteMap({ 'dn1.internal': 'https://dn1.example:9865' });
  const context = CONTEXT;
  const url = resolveDataNodeUrl(
    LOCATION,
    { rewrite: upgraded, context, protocol: 'https:' },
    307,
  );
  assert.equal(url.origin, 'https://dn1.example:9865');
});

test('sends nothing to an http DataNode an https NameNode redirects to', async (t) => {
  const token = 'dGhpcy1pcy1hLWRlbGVnYXRpb24tdG9rZW4tZm9yLXRlc3Rz';
  const dataNode = await startFakeServer(t, (_req, res) => res.writeHead(201).end());
  const nameNode = await startHttpsNameNode(t, (req, res) => {
    const location = `${dataNode.url}/webhdfs/v1/a?op=CREATE&delegation=${token}`;
    req.resume();
    res.writeHead(307, { location, 'content-length': 0 }).end();
  });

  for (const noRedirect of [false, true]) {
    const hdfs = client(t, { namenodes: nameNode, user: 'alice', noRedirect });
    const error = await hdfs.create('/a', Buffer.from('secret data\n')).then(
      () => assert.fail('the data went to plain http'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof WebHdfsDowngradeError, String(error));
    assert.equal(error.target, dataNode.url);
    assert.equal(error.role, 'namenode');
    assert.ok(!`${error.message}\n${error.stack ?? ''}`.includes(token));
  }
  assert.deepEqual(dataNode.requests, []);
});

test('a shipper publishes nothing when an https NameNode redirects to http', async (t) => {
  const { server, root } = await startTestServer(t);
  const requests: DevHdfsRequestEvent[] = [];
  server.on('request', (event) => requests.push(event));
  const front = await startTlsFront(t, server.url);
  const { shipper, events } = await startShipper(t, `swebhdfs://${front}/logs/{name}`, {
    webhdfs: { tls: { ca: pki.ca.path } },
  });

  const reported = waitForEvents(shipper, 'error', 'the refused redirect', {
    accept: (error) => error instanceof UploadError,
  });
  writeIds(shipper, 0, 10);
  await assert.rejects(shipper.flush(), { code: 'ERR_FLUSH_INCOMPLETE' });
  const [error] = await reported;

  assert.equal(error?.code, 'ERR_WEBHDFS_DOWNGRADE');
  assert.match(error.message, /redirected to http:\/\/127\.0\.0\.1:\d+, plain http/);
  assert.equal(events.uploaded.length, 0);
  assert.ok(
    requests.some((event) => event.role === 'namenode' && event.op === 'CREATE'),
    'the NameNode was asked, through the TLS front',
  );
  assert.deepEqual(
    requests.filter((event) => event.role === 'datanode'),
    [],
  );
  assert.deepEqual(await readPublished(root), []);
});

test('a bare host:port rewrite of a TLS DataNode keeps https, and delivers', async (t) => {
  const { server } = await startTestServer(t, { tls: serverTls });
  const requests: string[] = [];
  server.on('request', (event) =>
    requests.push(`${event.role} ${event.op} ${event.status}`),
  );
  const dataNode = new URL(server.dataNodeUrl);
  const nameNode = `swebhdfs://${new URL(server.url).host}`;

  // The certificate names localhost too: only https to it can succeed.
  const rewrite = { [dataNode.host]: `localhost:${dataNode.port}` };
  const hdfs = client(t, {
    namenodes: nameNode,
    user: 'alice',
    dataNodeRewrite: rewrite,
  });
  await hdfs.create('/logs/a.log', Buffer.from('rewritten over tls\n'));
  assert.deepEqual(requests.slice(0, 2), ['namenode CREATE 307', 'datanode CREATE 201']);

  const downgrade = { [dataNode.host]: `http://localhost:${dataNode.port}` };
  const refused = client(t, {
    namenodes: nameNode,
    user: 'alice',
    dataNodeRewrite: downgrade,
  });
  await assert.rejects(refused.create('/logs/b.log', Buffer.from('never sent\n')), {
    code: 'ERR_WEBHDFS_DOWNGRADE',
    rewrite: dataNode.host,
  });
  assert.equal(requests.filter((line) => line.startsWith('datanode')).length, 1);
});
