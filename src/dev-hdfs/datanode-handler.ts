/**
 * The DataNode role (webhdfs-reference.md section 1.2): CREATE, APPEND, OPEN
 * and GETFILECHECKSUM at the URL the NameNode redirected to. Parameter names
 * are exact here, unlike at the NameNode, and every answer closes the
 * connection.
 */
import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { computeHdfsChecksum } from '../hdfs/checksum.js';
import { receiveUpload, type UploadTarget } from './datanode-upload.js';
import { HadoopException } from './hadoop-exception.js';
import type { HandlerContext } from './handler-context.js';
import { sendEmpty, sendJson, type Responder } from './http-replies.js';
import { fileChecksumJson } from './json-shapes.js';
import { isNodeError } from './namespace-core.js';
import { encodeUriPath } from './redirect-location.js';
import type { WebHdfsParams, WebHdfsTarget } from './request-params.js';
import { CREATE_FLAGS } from './webhdfs-ops.js';

/** dfs.bytes-per-checksum: a block must hold a whole number of checksum chunks. */
const BYTES_PER_CHECKSUM = 512;

/** Handles one request on the DataNode port. */
export async function handleDataNodeRequest(
  context: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: WebHdfsTarget,
): Promise<void> {
  const { params, path } = target;
  const op = params.op();
  const method = req.method ?? '';

  if (method === 'OPTIONS' && op === 'CREATE') {
    sendEmpty(res, 'datanode', 200, { 'Access-Control-Allow-Origin': '*' });
    return;
  }
  const known =
    (method === 'PUT' && op === 'CREATE') ||
    (method === 'POST' && op === 'APPEND') ||
    (method === 'GET' && (op === 'OPEN' || op === 'GETFILECHECKSUM'));
  if (!known) {
    throw new HadoopException(
      'IllegalArgumentException',
      `Invalid operation ${op || 'null'}`,
    );
  }
  const nameNodeAddress = params.get('namenoderpcaddress');
  if (nameNodeAddress === undefined || nameNodeAddress === '') {
    throw new HadoopException(
      'IllegalArgumentException',
      'namenoderpcaddress is not specified.',
    );
  }

  if (op === 'CREATE' || op === 'APPEND') {
    // The DataNode says 100 Continue before it even opens the file, whether
    // or not the client asked (WebHdfsHandler); a refusal comes after it.
    res.writeContinue();
    const upload = uploadTarget(op, path, params);
    await receiveUpload(context, req, res, 'datanode', upload, () => {
      // Exactly the headers WebHdfsHandler sets: no Content-Type on either.
      const headers =
        op === 'CREATE'
          ? {
              Location: `hdfs://${nameNodeAddress}${encodeUriPath(path)}`,
              'Access-Control-Allow-Origin': '*',
            }
          : {};
      res.writeHead(op === 'CREATE' ? 201 : 200, {
        ...headers,
        'Content-Length': 0,
        Connection: 'close',
      });
      res.end();
    });
    return;
  }
  if (op === 'OPEN') {
    await sendFileContent(context, res, 'datanode', path, params);
    return;
  }
  await sendFileChecksum(context, res, 'datanode', path);
}

/** The CREATE or APPEND a DataNode (or gateway) URL asks for. */
export function uploadTarget(
  op: 'CREATE' | 'APPEND',
  path: string,
  params: WebHdfsParams,
): UploadTarget {
  const owner = params.actingUser();
  if (op === 'APPEND') {
    params.long('buffersize', 1);
    return { op, path, user: owner };
  }

  const flags = params.enumSet('createflag', CREATE_FLAGS);
  const overwrite = params.boolean('overwrite', false) || flags.has('OVERWRITE');
  const blockSize = params.long('blocksize', 1);
  params.long('buffersize', 1);
  params.permission('unmaskedpermission');
  // DFSOutputStream's own check, made here before the file is created.
  if (blockSize !== undefined && blockSize % BYTES_PER_CHECKSUM !== 0) {
    throw new HadoopException(
      'HadoopIllegalArgumentException',
      `Invalid values: dfs.bytes-per-checksum (=${BYTES_PER_CHECKSUM}) must divide ` +
        `block size (=${blockSize}).`,
    );
  }
  return {
    op,
    request: {
      path,
      // An empty createflag means {CREATE} (plus OVERWRITE with overwrite=true).
      create: flags.size === 0 || flags.has('CREATE'),
      overwrite,
      createParent: params.boolean('createparent', true),
      owner,
      permission: params.permission('permission'),
      replication: params.long('replication', 1),
      blockSize,
    },
  };
}

/**
 * OPEN: `offset` and `length` as the DataNode reads them; the length sent is
 * min(visible length - offset, length), and seeking past the end is an
 * EOFException.
 */
export async function sendFileContent(
  context: HandlerContext,
  res: ServerResponse,
  responder: Responder,
  path: string,
  params: WebHdfsParams,
): Promise<void> {
  const offset = params.long('offset', 0) ?? 0;
  const length = params.long('length', 0);
  params.long('buffersize', 1);

  const file = await context.namespace.openForRead(path);
  try {
    if (offset > file.length) {
      throw new HadoopException('EOFException', 'Cannot seek after EOF');
    }
    const count = Math.min(file.length - offset, length ?? Number.MAX_SAFE_INTEGER);
    res.writeHead(200, {
      ...(responder === 'datanode' ? { Connection: 'close' } : {}),
      'Content-Type': 'application/octet-stream',
      'Content-Length': count,
      'Access-Control-Allow-Methods': 'GET',
      'Access-Control-Allow-Origin': '*',
    });
    await streamRange(file.handle, res, offset, count);
  } finally {
    await file.handle.close();
  }
}

/** GETFILECHECKSUM: MD5-of-MD5-of-CRC32C of a closed file (section 7). */
export async function sendFileChecksum(
  context: HandlerContext,
  res: ServerResponse,
  responder: Responder,
  path: string,
): Promise<void> {
  const source = await context.namespace.checksumSource(path);
  const checksum = await computeHdfsChecksum(source.local, {
    blockSize: source.blockSize,
  });
  sendJson(res, responder, 200, fileChecksumJson(checksum));
}

const HANG_UP_CODES = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE']);

/** Whether a copy to the client failed only because the client went away. */
function isHangUp(error: unknown): boolean {
  return isNodeError(error) && HANG_UP_CODES.has(error.code ?? '');
}

/**
 * Pipes `count` bytes from `offset` to the response, honouring backpressure.
 * A reader that hangs up early (it wanted a prefix, or gave up) ends the
 * copy; that is the client's choice, not a server failure.
 */
async function streamRange(
  handle: FileHandle,
  res: ServerResponse,
  offset: number,
  count: number,
): Promise<void> {
  if (count === 0) {
    res.end();
    return;
  }
  const stream = handle.createReadStream({
    start: offset,
    end: offset + count - 1,
    autoClose: false,
  });
  try {
    await pipeline(stream, res);
  } catch (error) {
    if (!isHangUp(error)) throw error;
  }
}
