/**
 * An HTTP front for a kerberized dev NameNode that stands where a proxy, a
 * gateway or an impostor would: it passes requests on and, in the answers,
 * counts the server's SPNEGO reply tokens (`WWW-Authenticate: Negotiate
 * <token>`) and passes them on as they are, altered, or not at all.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TestContext } from 'node:test';

export type ReplyMode = 'pass' | 'alter' | 'strip';

export interface NegotiateFront {
  /** The front's base URL, to use as the NameNode's. */
  readonly url: string;
  /** What happens to the reply tokens from now on. @default 'pass' */
  mode: ReplyMode;
  /** How many answers carried a reply token from the server. */
  readonly replies: number;
}

const NEGOTIATE_REPLY = /^Negotiate\s+(\S+)$/i;

/** The token with one byte of its end flipped: inside the sealed part. */
export function alterToken(token: string): string {
  const bytes = Buffer.from(token, 'base64');
  const at = bytes.length - 4;
  bytes[at] = (bytes[at] ?? 0) ^ 0x5a;
  return bytes.toString('base64');
}

/** Starts a front to `target` (`http://host:port`) on port 0, closed after the test. */
export async function startNegotiateFront(
  t: TestContext,
  target: string,
): Promise<NegotiateFront> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  let replies = 0;
  const front = {
    url: '',
    mode: 'pass' as ReplyMode,
    get replies() {
      return replies;
    },
  };

  const relay = (res: ServerResponse, answer: IncomingMessage): void => {
    const headers = { ...answer.headers };
    const reply = NEGOTIATE_REPLY.exec(headers['www-authenticate'] ?? '')?.[1];
    if (reply !== undefined) {
      replies += 1;
      if (front.mode === 'strip') delete headers['www-authenticate'];
      if (front.mode === 'alter') {
        headers['www-authenticate'] = `Negotiate ${alterToken(reply)}`;
      }
    }
    res.writeHead(answer.statusCode ?? 502, headers);
    answer.pipe(res);
  };
  const server = http.createServer((req, res) => {
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => relay(res, answer),
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of sockets) socket.destroy();
    agent.destroy();
    await closed;
  });
  const { port } = server.address() as AddressInfo;
  front.url = `http://127.0.0.1:${port}`;
  return front;
}
