import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { Readable, type Writable } from 'node:stream';
import {
  AbortError,
  HdfsLogTransportError,
  UploadSourceError,
  WebHdfsNetworkError,
  WebHdfsProtocolError,
  WebHdfsTimeoutError,
  type WebHdfsRequestContext,
} from '../errors.js';
import { FileBody } from './file-body.js';
import { tlsFailure } from './tls-failure.js';

/**
 * What an upload reads from: bytes in memory, a stream, or a local file (read
 * from disk as it is sent, so memory stays constant whatever the file's size).
 */
export type UploadBody =
  Uint8Array | Readable | AsyncIterable<Uint8Array> | { readonly path: string };

export interface ExchangeTimeouts {
  /** Until the TCP (and TLS) connection is up. */
  readonly connect: number;
  /** Silence while waiting for the answer once the request is sent. */
  readonly request: number;
  /** Silence while a body moves in either direction. */
  readonly stall: number;
}

export interface ExchangeRequest {
  readonly url: URL;
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly context: WebHdfsRequestContext;
  readonly agent: http.Agent;
  readonly timeouts: ExchangeTimeouts;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: UploadBody;
  readonly signal?: AbortSignal | undefined;
}

export interface ExchangeResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The answer's body; the caller reads or destroys it. Stalls fail it. */
  readonly body: IncomingMessage;
  /** The request's context, for errors about the answer. */
  readonly context: WebHdfsRequestContext;
  /** The scheme the request went by: a redirect must not drop TLS. */
  readonly protocol: 'http:' | 'https:';
}

/** Errors that say the connection never carried the request. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

/**
 * One HTTP request and its answer, on node:http (measured faster and leaner than
 * undici for large uploads, and it lets us read an answer that arrives while the
 * body is still being sent). When a DataNode refuses a write after `100 Continue`
 * it answers and closes while we are sending: that answer is what the caller
 * gets, not the EPIPE or reset that follows it.
 */
export async function exchange(request: ExchangeRequest): Promise<ExchangeResponse> {
  const { context, timeouts, signal } = request;
  if (signal?.aborted)
    throw new AbortError(`WebHDFS ${context.op} ${context.path}`, signal.reason);
  const body = await openBody(request.body);
  const headers: Record<string, string> = { ...request.headers };
  if (body === undefined) headers['content-length'] = '0';
  else if (body.length !== undefined) headers['content-length'] = String(body.length);
  else headers['transfer-encoding'] = 'chunked';

  const protocol = request.url.protocol === 'https:' ? 'https:' : 'http:';
  const transport = protocol === 'https:' ? https : http;
  return new Promise<ExchangeResponse>((resolve, reject) => {
    let settled = false;
    let connected = false;
    let bodySent = body === undefined;
    let response: IncomingMessage | undefined;
    const req = transport.request(request.url, {
      method: request.method,
      headers,
      agent: request.agent,
    });

    let connectTimer: NodeJS.Timeout | undefined;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      cleanup();
      body?.stop();
      req.destroy();
      reject(error);
    };
    const onAbort = (): void => {
      const error = new AbortError(
        `WebHDFS ${context.op} ${context.path}`,
        signal?.reason,
      );
      if (response) response.destroy(error);
      else fail(error);
    };
    const cleanup = (): void => {
      clearTimeout(connectTimer);
      if (!response) signal?.removeEventListener('abort', onAbort);
    };

    req.on('socket', (socket: Socket) => {
      const onConnected = (): void => {
        connected = true;
        clearTimeout(connectTimer);
        // Socket silence is the stall timer while we send, the request timer after.
        req.setTimeout(bodySent ? timeouts.request : timeouts.stall);
      };
      if (!socket.connecting) {
        onConnected();
        return;
      }
      connectTimer = setTimeout(() => {
        fail(new WebHdfsTimeoutError(context, 'connect', timeouts.connect, false));
      }, timeouts.connect);
      socket.once(
        request.url.protocol === 'https:' ? 'secureConnect' : 'connect',
        onConnected,
      );
    });

    req.on('timeout', () => {
      if (response) {
        response.destroy(new WebHdfsTimeoutError(context, 'stall', timeouts.stall, true));
        return;
      }
      const which = bodySent ? 'request' : 'stall';
      fail(new WebHdfsTimeoutError(context, which, timeouts[which], true));
    });

    req.on('error', (error: NodeJS.ErrnoException) => {
      // After an early answer the server closes while we send: EPIPE is expected.
      if (response) return;
      if (error instanceof HdfsLogTransportError) {
        fail(error);
        return;
      }
      const code = error.code ?? 'ECLOSED';
      const tls =
        request.url.protocol === 'https:' ? tlsFailure(context, code, error) : undefined;
      if (tls !== undefined) {
        fail(tls);
        return;
      }
      const sent = connected && !NOT_SENT_CODES.has(code);
      fail(new WebHdfsNetworkError(context, code, sent, error));
    });

    req.on('finish', () => {
      bodySent = true;
      if (connected && !response) req.setTimeout(timeouts.request);
    });

    req.on('response', (res: IncomingMessage) => {
      if (settled) {
        res.destroy();
        return;
      }
      const status = res.statusCode ?? 0;
      // end() came after the last byte was handed over: the whole body is on
      // its way, though the socket may report it written after this answer.
      if (req.writableEnded) bodySent = true;
      if (!bodySent && status < 300) {
        // No WebHDFS server accepts a write before it has read the whole body.
        res.resume();
        fail(
          new WebHdfsProtocolError(context, status, 'success before the body was sent'),
        );
        return;
      }
      settled = true;
      response = res;
      cleanup();
      if (!bodySent && body) {
        // An early refusal: stop sending; the server closes the connection.
        body.stop();
      }
      req.setTimeout(timeouts.stall);
      res.once('close', () => {
        req.setTimeout(0);
        signal?.removeEventListener('abort', onAbort);
      });
      resolve({ status, headers: res.headers, body: res, context, protocol });
    });

    // Only now, with every listener in place, may an abort destroy the request.
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    if (body === undefined) {
      req.end();
      return;
    }
    body.sendTo(req, (error) => {
      if (!settled) fail(asUploadError(error, context));
    });
  });
}

function asUploadError(error: Error, context: WebHdfsRequestContext): Error {
  if (error instanceof HdfsLogTransportError) return error;
  return new UploadSourceError(`${context.op} ${context.path}`, error);
}

/** A body on its way: sent into the request, stopped by an early answer or a failure. */
interface OpenedBody {
  readonly length: number | undefined;
  /** Writes the body into `req` and ends it; `onError` gets a failure of its source. */
  sendTo(req: Writable, onError: (error: Error) => void): void;
  /** Stops sending and releases the source. */
  stop(): void;
}

async function openBody(body: UploadBody | undefined): Promise<OpenedBody | undefined> {
  if (body === undefined) return undefined;
  if (body instanceof Uint8Array) {
    return streamBody(Readable.from([body], { objectMode: false }), body.length);
  }
  if (body instanceof Readable) return streamBody(body, undefined);
  // Sends exactly the bytes present now, so Content-Length always holds.
  if (!(Symbol.asyncIterator in body)) return FileBody.open(body.path);
  return streamBody(Readable.from(body, { objectMode: false }), undefined);
}

function streamBody(stream: Readable, length: number | undefined): OpenedBody {
  return {
    length,
    sendTo(req, onError) {
      stream.once('error', onError);
      stream.pipe(req);
    },
    stop() {
      stream.unpipe();
      stream.destroy();
    },
  };
}
