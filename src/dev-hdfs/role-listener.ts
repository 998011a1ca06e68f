/**
 * One listening endpoint (the NameNode's, the DataNode's or the admin one)
 * that can stop listening and start again on the same port, which is how the
 * `refuse` fault produces real ECONNREFUSED errors and then recovers.
 */
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { DevHdfsTlsOptions } from './dev-hdfs-options.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Long enough for a path at HDFS's 8000-character limit, percent-encoded,
 * plus its query; Node's default (16 KiB) would answer 431 first.
 */
const MAX_HEADER_BYTES = 64 * 1024;

export class RoleListener {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #host = '';
  #port = 0;

  /**
   * `handleExpect`: when true, a request with `Expect: 100-continue` goes to
   * the handler, which decides whether to send `100 Continue`; when false,
   * Node answers it itself.
   */
  constructor(
    handler: RequestHandler,
    options: { handleExpect: boolean; tls?: DevHdfsTlsOptions | undefined },
  ) {
    const http = {
      maxHeaderSize: MAX_HEADER_BYTES,
      // Uploads may take as long as they take; the default would cut them at 5 minutes.
      requestTimeout: 0,
    };
    const { tls } = options;
    this.#server =
      tls === undefined
        ? createServer(http)
        : createTlsServer({
            ...http,
            cert: pem(tls.cert),
            key: pem(tls.key),
            ...(tls.ca === undefined ? {} : { ca: pem(tls.ca) }),
            requestCert: tls.requireClientCert === true,
            rejectUnauthorized: tls.requireClientCert === true,
          });
    this.#server.on('request', handler);
    if (options.handleExpect) this.#server.on('checkContinue', handler);
    // A TLS server reports the raw TCP socket here too, which is what stop() destroys.
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** The port bound by the first {@link listen}. */
  get port(): number {
    return this.#port;
  }

  get listening(): boolean {
    return this.#server.listening;
  }

  /** Starts listening; port 0 picks a free port, which later resumes reuse. */
  async listen(host: string, port: number): Promise<void> {
    this.#host = host;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => reject(error);
      this.#server.once('error', fail);
      this.#server.listen({ host, port, exclusive: true }, () => {
        this.#server.off('error', fail);
        resolve();
      });
    });
    const address = this.#server.address();
    if (address !== null && typeof address === 'object') this.#port = address.port;
  }

  /** Listens again on the same host and port after {@link stop}. */
  async resume(): Promise<void> {
    if (!this.#server.listening) await this.listen(this.#host, this.#port);
  }

  /** Stops listening and destroys every open connection. */
  async stop(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve, reject) => {
      this.#server.close((error) => (error === undefined ? resolve() : reject(error)));
    });
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}

function pem(value: string | Uint8Array): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value);
}
