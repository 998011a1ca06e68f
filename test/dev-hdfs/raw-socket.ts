/**
 * HTTP over a bare TCP socket, for what node:http hides from its callers:
 * interim `100 Continue` answers, and an answer that arrives while the
 * request body is still being sent.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

export class RawSocket {
  readonly socket: Socket;
  #received = Buffer.alloc(0);
  #ended = false;
  #error: Error | undefined;
  #waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      this.#wake();
    });
    socket.on('end', () => {
      this.#ended = true;
      this.#wake();
    });
    socket.on('error', (error) => {
      this.#error = error;
      this.#wake();
    });
    socket.on('close', () => {
      this.#ended = true;
      this.#wake();
    });
  }

  /** Connects to the host and port of `url`. */
  static async connect(url: string): Promise<RawSocket> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    return new RawSocket(socket);
  }

  /** Everything received so far. */
  get received(): string {
    return this.#received.toString('latin1');
  }

  /** Whether the server closed (or reset) the connection. */
  get closed(): boolean {
    return this.#ended;
  }

  /** The socket error, if the connection failed (e.g. ECONNRESET). */
  get error(): Error | undefined {
    return this.#error;
  }

  /** Writes, waiting for the socket to drain when its buffer is full. */
  async write(data: string | Buffer): Promise<void> {
    if (!this.socket.write(data)) await once(this.socket, 'drain');
  }

  /** Resolves once `predicate` holds for what was received, or the connection ended. */
  async until(predicate: (received: string) => boolean): Promise<string> {
    while (!predicate(this.received) && !this.#ended && this.#error === undefined) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.received;
  }

  destroy(): void {
    this.socket.destroy();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Whether `text` holds a complete HTTP answer with a Content-Length body. */
export function hasCompleteResponse(text: string, from = 0): boolean {
  const headEnd = text.indexOf('\r\n\r\n', from);
  if (headEnd === -1) return false;
  const head = text.slice(from, headEnd);
  const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
  if (length === undefined) return false;
  return text.length >= headEnd + 4 + Number(length);
}

/** The request line and headers of an HTTP/1.1 request. */
export function requestHead(
  method: string,
  target: string,
  headers: Record<string, string | number>,
): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return [`${method} ${target} HTTP/1.1`, 'Host: dev-hdfs', ...lines, '', ''].join(
    '\r\n',
  );
}
