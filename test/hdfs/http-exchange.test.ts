import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import {
  AbortError,
  WebHdfsHttpError,
  WebHdfsNetworkError,
  WebHdfsProtocolError,
  WebHdfsRemoteError,
  WebHdfsTimeoutError,
} from '../../src/errors.js';
import { exchange, type ExchangeRequest } from '../../src/hdfs/http-exchange.js';
import { errorFromResponse } from '../../src/hdfs/response-body.js';
import {
  closedPort,
  remoteException,
  sendJson,
  startFakeServer,
} from '../helpers/fake-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MIB = 1024 * 1024;
const context = { op: 'CREATE', path: '/a', role: 'datanode', endpoint: 'test' } as const;

function request(url: string, overrides: Partial<ExchangeRequest> = {}): ExchangeRequest {
  return {
    url: new URL(url),
    method: 'PUT',
    context,
    agent: new http.Agent(),
    timeouts: { connect: 5_000, request: 5_000, stall: 5_000 },
    ...overrides,
  };
}

/** An endless body that counts how much of it was read. */
function countingSource(): { stream: Readable; read: () => number } {
  let read = 0;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const stream = new Readable({
    read() {
      read += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, read: () => read };
}

test('returns the RemoteException answered while the body is still being sent', async (t) => {
  const server = await startFakeServer(t, (req, res) => {
    res.writeContinue();
    let received = 0;
    req.on('data', (data: Buffer) => {
      received += data.length;
      if (received < MIB || res.headersSent) return;
      const body = remoteException(
        'AccessControlException',
        'org.apache.hadoop.security.AccessControlException',
        'Permission denied: user=bob, access=WRITE, inode="/a"',
      );
      const text = JSON.stringify(body);
      // A lingering close: answer, then keep reading until the client stops.
      res.writeHead(403, {
        'content-type': 'application/json',
        'content-length': text.length,
        connection: 'close',
      });
      res.write(text);
    });
    req.on('close', () => res.end());
  });
  const source = countingSource();

  const res = await exchange(request(server.url, { body: source.stream }));
  const error = await errorFromResponse(res.body, res.context);

  assert.equal(res.status, 403);
  assert.ok(error instanceof WebHdfsRemoteError);
  assert.equal(error.exception, 'AccessControlException');
  assert.match(error.message, /Permission denied/);
  assert.equal(source.stream.destroyed, true, 'the upload stops');
});

test('reads no further ahead than its buffers when the server stops reading', async (t) => {
  const server = await startFakeServer(t, (req) => req.pause());
  const source = countingSource();
  const timeouts = { connect: 5_000, request: 5_000, stall: 300 };

  await assert.rejects(
    exchange(request(server.url, { body: source.stream, timeouts })),
    (error) => {
      assert.ok(error instanceof WebHdfsTimeoutError);
      assert.equal(error.timeout, 'stall');
      return true;
    },
  );
  assert.ok(source.read() < 64 * MIB, `read ${source.read()} bytes of an endless body`);
});

test('fails with a request timeout when the answer never comes', async (t) => {
  const server = await startFakeServer(t, () => undefined);
  const timeouts = { connect: 5_000, request: 200, stall: 5_000 };

  await assert.rejects(
    exchange(request(server.url, { method: 'GET', timeouts })),
    (error) => {
      assert.ok(error instanceof WebHdfsTimeoutError);
      assert.equal(error.timeout, 'request');
      assert.equal(error.requestSent, true);
      return true;
    },
  );
});

test('fails a response body that stops moving with a stall timeout', async (t) => {
  const server = await startFakeServer(t, (_req, res) => {
    res.writeHead(200, { 'content-length': 1000 });
    res.write('only the start');
  });
  const timeouts = { connect: 5_000, request: 5_000, stall: 200 };
  const res = await exchange(request(server.url, { method: 'GET', timeouts }));

  await assert.rejects(res.body.toArray(), WebHdfsTimeoutError);
});

/**
 * A port that takes no more connections: a listener with a backlog of one that
 * never accepts (node:net always accepts, so Python holds it), its queue filled.
 */
async function saturatedPort(t: TestContext): Promise<number> {
  const script = [
    'import socket, sys, time',
    's = socket.socket()',
    "s.bind(('127.0.0.1', 0))",
    's.listen(0)',
    'print(s.getsockname()[1], flush=True)',
    'time.sleep(60)',
  ].join('\n');
  const holder = spawn('python3', ['-c', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => holder.kill());
  const [line] = (await once(holder.stdout, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  const filler = net.connect(port, '127.0.0.1');
  t.after(() => filler.destroy());
  await once(filler, 'connect');
  return port;
}

test('fails with a connect timeout when the server takes no connection', async (t) => {
  const port = await saturatedPort(t);
  const timeouts = { connect: 200, request: 5_000, stall: 5_000 };

  await assert.rejects(
    exchange(request(`http://127.0.0.1:${port}/`, { method: 'GET', timeouts })),
    (error) => {
      assert.ok(error instanceof WebHdfsTimeoutError);
      assert.equal(error.timeout, 'connect');
      assert.equal(error.requestSent, false);
      return true;
    },
  );
});

test('says a refused connection did not send the request', async () => {
  const port = await closedPort();
  await assert.rejects(exchange(request(`http://127.0.0.1:${port}/`)), (error) => {
    assert.ok(error instanceof WebHdfsNetworkError);
    assert.equal(error.syscallCode, 'ECONNREFUSED');
    assert.equal(error.requestSent, false);
    return true;
  });
});

test('rejects with AbortError and stops the upload when the signal fires', async (t) => {
  const controller = new AbortController();
  let markClosed = (): void => undefined;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const server = await startFakeServer(t, (req) => {
    req.once('data', () => controller.abort());
    req.resume();
    req.on('close', markClosed);
  });
  const source = countingSource();

  const pending = exchange(
    request(server.url, { body: source.stream, signal: controller.signal }),
  );

  await assert.rejects(pending, AbortError);
  await closed;
  assert.equal(source.stream.destroyed, true);
});

test('sends a file with its length and a buffer as given', async (t) => {
  const received: Array<{ length: string | undefined; body: string }> = [];
  const server = await startFakeServer(t, (req, res) => {
    void new Response(Readable.toWeb(req) as ReadableStream).text().then((body) => {
      received.push({ length: req.headers['content-length'], body });
      res.writeHead(201, { 'content-length': 0 }).end();
    });
  });

  const file = join(await makeTempDir(t), 'segment.log');
  await writeFile(file, 'line 1\nline 2\n');

  for (const body of [{ path: file }, Buffer.from('hello')]) {
    const res = await exchange(request(server.url, { body }));
    res.body.resume();
  }

  assert.deepEqual(received, [
    { length: '14', body: 'line 1\nline 2\n' },
    { length: '5', body: 'hello' },
  ]);
});

test('a success answered before the body was read is refused, not believed', async (t) => {
  // A broken proxy: 201 after the first bytes of a 4 MiB file.
  const server = await startFakeServer(t, (req, res) => {
    // Its head goes out at once; it goes on reading and ends the answer only
    // then, so the client sees the answer, not a broken pipe.
    req.once('data', () => res.writeHead(201, { 'content-length': 0 }).flushHeaders());
    req.on('end', () => res.end());
    req.resume();
  });
  const file = join(await makeTempDir(t), 'segment.log');
  await writeFile(file, Buffer.alloc(4 * MIB, 'x'));

  await assert.rejects(
    exchange(request(server.url, { body: { path: file } })),
    (error) => {
      assert.ok(error instanceof WebHdfsProtocolError, String(error));
      assert.match(error.message, /success before the body was sent/);
      return true;
    },
  );
});

test('a success answered right after the last byte is believed, every time', async (t) => {
  // The server answers the moment it holds every byte, as the dev server and
  // Hadoop do: the answer may be read before the socket reports the write.
  const server = await startFakeServer(t, (req, res) => {
    let received = 0;
    const length = Number(req.headers['content-length']);
    req.on('data', (data: Buffer) => {
      received += data.length;
      if (received === length) res.writeHead(201, { 'content-length': 0 }).end();
    });
  });
  const file = join(await makeTempDir(t), 'segment.log');
  await writeFile(file, Buffer.alloc(MIB + 7, 'x'));
  const agent = new http.Agent({ keepAlive: true });
  t.after(() => agent.destroy());

  for (let index = 0; index < 200; index++) {
    const res = await exchange(request(server.url, { body: { path: file }, agent }));
    assert.equal(res.status, 201);
    res.body.resume();
  }
});

test('keeps the head of a proxy page in an HTTP error', async (t) => {
  const server = await startFakeServer(t, (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/html' });
    res.end(
      '<html><body><h1>503 Service Unavailable</h1>No server is available</body></html>',
    );
  });
  const res = await exchange(request(server.url, { method: 'GET' }));
  const error = await errorFromResponse(res.body, res.context);

  assert.ok(error instanceof WebHdfsHttpError);
  assert.equal(error.status, 503);
  assert.match(error.message, /503 Service Unavailable/);
});

test('reads a RemoteException whose message is null', async (t) => {
  const server = await startFakeServer(t, (_req, res) => {
    sendJson(res, 403, {
      RemoteException: {
        exception: 'SafeModeException',
        javaClassName: 'org.apache.hadoop.hdfs.server.namenode.SafeModeException',
        message: null,
      },
    });
  });
  const res = await exchange(request(server.url, { method: 'GET' }));
  const error = await errorFromResponse(res.body, res.context);

  assert.ok(error instanceof WebHdfsRemoteError);
  assert.equal(error.exception, 'SafeModeException');
  assert.equal(error.remoteMessage, '');
});

test('rejects at once, sending nothing, when the signal was aborted before', async (t) => {
  const server = await startFakeServer(t, (_req, res) => res.end());
  const signal = AbortSignal.abort(new Error('shutting down'));

  await assert.rejects(
    exchange(request(server.url, { method: 'GET', signal })),
    AbortError,
  );
  await assert.rejects(
    exchange(request(server.url, { body: Buffer.from('x'), signal })),
    AbortError,
  );
  assert.deepEqual(server.requests, []);
});
