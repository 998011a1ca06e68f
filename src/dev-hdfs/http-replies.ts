/**
 * How each role writes its answers: the NameNode's Jetty headers and
 * `application/json`, the DataNode's `application/json; charset=utf-8` and
 * `Connection: close` (webhdfs-reference.md section 3), and the lingering
 * close a DataNode error needs while the client is still sending its body.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { HadoopException } from './hadoop-exception.js';
import { toHadoopJson } from './json-shapes.js';

/** Which server is answering, which decides headers and content types. */
export type Responder = 'namenode' | 'datanode';

/** How long a rejected upload is read and discarded before the socket closes. */
export const LINGER_MS = 2000;

/** Headers Hadoop's HttpServer2 adds to every NameNode answer. */
const NAMENODE_HEADERS: OutgoingHttpHeaders = {
  'Cache-Control': 'no-cache',
  Pragma: 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'X-FRAME-OPTIONS': 'SAMEORIGIN',
  'X-XSS-Protection': '1; mode=block',
};

const JSON_TYPES: Record<Responder, string> = {
  namenode: 'application/json',
  datanode: 'application/json; charset=utf-8',
};

/** Headers common to every answer of a role; the DataNode closes every connection. */
export function baseHeaders(responder: Responder): OutgoingHttpHeaders {
  if (responder === 'datanode') return { Connection: 'close' };
  return { ...NAMENODE_HEADERS, Expires: new Date().toUTCString() };
}

/** A complete JSON answer. */
export function sendJson(
  res: ServerResponse,
  responder: Responder,
  status: number,
  json: string,
): void {
  const body = Buffer.from(json);
  res.writeHead(status, {
    ...baseHeaders(responder),
    'Content-Type': JSON_TYPES[responder],
    'Content-Length': body.length,
  });
  res.end(body);
}

/** An answer with no body (`application/octet-stream`, `Content-Length: 0`). */
export function sendEmpty(
  res: ServerResponse,
  responder: Responder,
  status: number,
  headers: OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, {
    ...baseHeaders(responder),
    'Content-Type': 'application/octet-stream',
    'Content-Length': 0,
    ...headers,
  });
  res.end();
}

/** A RemoteException answer with the status its class maps to. */
export function sendException(
  res: ServerResponse,
  responder: Responder,
  error: HadoopException,
): void {
  sendJson(res, responder, error.status, toHadoopJson(error.toRemoteException()));
}

/** A non-WebHDFS answer, such as a proxy's or Jetty's own error page. */
export function sendHtml(
  res: ServerResponse,
  status: number,
  title: string,
  text: string,
): void {
  const body = Buffer.from(
    `<html>\n<head><title>${status} ${title}</title></head>\n` +
      `<body>\n<h1>${status} ${title}</h1>\n<p>${text}</p>\n</body>\n</html>\n`,
  );
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=iso-8859-1',
    'Content-Length': body.length,
  });
  res.end(body);
}

/**
 * Answers a RemoteException while the client may still be sending its body.
 * Closing at once would make the kernel answer the client's next segments
 * with RST, which can destroy the answer before the client reads it. So the
 * whole answer is written (with a Content-Length and `Connection: close`), the
 * rest of the body is read and discarded until the client stops or
 * {@link LINGER_MS} pass, and only then does the connection end.
 */
export function sendExceptionLingering(
  req: IncomingMessage,
  res: ServerResponse,
  responder: Responder,
  error: HadoopException,
): void {
  if (req.complete || req.destroyed) {
    sendException(res, responder, error);
    return;
  }
  const body = Buffer.from(toHadoopJson(error.toRemoteException()));
  res.writeHead(error.status, {
    ...baseHeaders(responder),
    Connection: 'close',
    'Content-Type': JSON_TYPES[responder],
    'Content-Length': body.length,
  });
  res.write(body);

  const finish = (): void => {
    clearTimeout(timer);
    req.off('end', finish);
    req.off('close', finish);
    req.off('error', finish);
    res.end();
  };
  const timer = setTimeout(finish, LINGER_MS);
  timer.unref();
  // An 'error' here is the client going away, which is what we wait for.
  req.once('end', finish);
  req.once('close', finish);
  req.once('error', finish);
  req.resume();
}
