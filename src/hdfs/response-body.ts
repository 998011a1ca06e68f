import type { IncomingMessage } from 'node:http';
import {
  WebHdfsHttpError,
  WebHdfsProtocolError,
  WebHdfsRemoteError,
  type WebHdfsRequestContext,
} from '../errors.js';

/** Error answers are short; anything longer is a proxy's page and only its head matters. */
const ERROR_BODY_LIMIT = 64 * 1024;

/** Reads a whole answer into memory, refusing more than `limit` bytes. */
export async function readBody(
  res: IncomingMessage,
  context: WebHdfsRequestContext,
  limit: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.destroy();
      throw new WebHdfsProtocolError(
        context,
        res.statusCode ?? 0,
        `answer over ${limit} bytes`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON answer; a body that is not JSON is a protocol error. */
export async function readJson(
  res: IncomingMessage,
  context: WebHdfsRequestContext,
  limit: number,
): Promise<unknown> {
  const text = (await readBody(res, context, limit)).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const head = text.slice(0, 100);
    throw new WebHdfsProtocolError(context, res.statusCode ?? 0, `not JSON: ${head}`);
  }
}

/**
 * Turns an error answer into the typed error: a RemoteException when the body
 * is one (any status), else an HTTP error that keeps the head of the body.
 */
export async function errorFromResponse(
  res: IncomingMessage,
  context: WebHdfsRequestContext,
): Promise<WebHdfsRemoteError | WebHdfsHttpError> {
  const status = res.statusCode ?? 0;
  let text: string;
  try {
    text = await readTruncated(res, ERROR_BODY_LIMIT);
  } catch {
    // The server closed before the body was complete; the status still tells a lot.
    text = '';
  }
  const remote = parseRemoteException(text);
  return remote
    ? new WebHdfsRemoteError(context, status, remote)
    : new WebHdfsHttpError(context, status, text);
}

interface RemoteException {
  exception: string;
  javaClassName: string;
  message: string;
}

/** `{"RemoteException":{"exception","javaClassName","message"}}`, or undefined. */
export function parseRemoteException(text: string): RemoteException | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.RemoteException)) return undefined;
  const { exception, javaClassName, message } = parsed.RemoteException;
  if (typeof exception !== 'string' && typeof javaClassName !== 'string')
    return undefined;
  const className = typeof javaClassName === 'string' ? javaClassName : '';
  return {
    exception:
      typeof exception === 'string' ? exception : (className.split('.').at(-1) ?? ''),
    javaClassName: className,
    // Hadoop writes a null message for exceptions built without one (JsonUtil).
    message: typeof message === 'string' ? message : '',
  };
}

async function readTruncated(res: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= limit) {
      res.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
