import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TestContext } from 'node:test';

export interface FakeServer {
  readonly url: string;
  readonly hostPort: string;
  readonly server: http.Server;
  /** Every request line received, e.g. `PUT /webhdfs/v1/a?op=CREATE`. */
  readonly requests: string[];
}

/**
 * A scripted HTTP server on 127.0.0.1, port 0, closed when the test ends: for
 * client behaviours a faithful server never shows (a missing Location, a proxy
 * page, a body that stops moving).
 */
export async function startFakeServer(
  t: TestContext,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<FakeServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    server,
    requests,
  };
}

/** Answers a WebHDFS JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A RemoteException body as Hadoop's JsonUtil writes it. */
export function remoteException(
  exception: string,
  javaClassName: string,
  message: string,
) {
  return { RemoteException: { exception, javaClassName, message } };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
