/**
 * Receiving a CREATE or APPEND body, as the DataNode's HdfsWriter does (and
 * the gateway, which writes through the same path): open the file under a
 * lease, stream the body into it with constant memory, close it, answer. The
 * upload faults (rejectAfterContinue, resetUpload, quotaBytes, holdLease,
 * denyWrite) act here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parentOfHdfsPath } from '../hdfs/hdfs-path.js';
import { HadoopException } from './hadoop-exception.js';
import {
  writeAccess,
  writerNameNodeState,
  type HandlerContext,
} from './handler-context.js';
import { sendExceptionLingering, type Responder } from './http-replies.js';
import { checkWritable } from './namenode-state.js';
import type { CreateRequest, OpenFile } from './namespace-writes.js';
import { normalizeHdfsPath } from './path-rules.js';
import { ClientGoneError, readChunk, skipBytes, writeFully } from './request-body.js';

/** What to open: a CREATE with its parameters, or an APPEND. */
export type UploadTarget =
  | {
      readonly op: 'CREATE';
      readonly request: Omit<CreateRequest, 'holder' | 'clientMachine'>;
    }
  | { readonly op: 'APPEND'; readonly path: string; readonly user: string };

/**
 * Runs one upload and answers it. `answer` writes the success response; any
 * failure is answered as a RemoteException with a lingering close, because
 * the client may still be sending.
 */
export async function receiveUpload(
  context: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  responder: Responder,
  target: UploadTarget,
  answer: () => void,
): Promise<void> {
  const path = target.op === 'CREATE' ? target.request.path : target.path;
  const rejection = context.faults.takeRejectAfterContinue();
  if (rejection !== undefined) {
    try {
      await skipBytes(req, rejection.afterBytes);
    } catch (error) {
      // The client hung up before the rejection: nobody is left to answer.
      if (error instanceof ClientGoneError) return;
      throw error;
    }
    const user = target.op === 'CREATE' ? target.request.owner : target.user;
    const error = injectedRejection(rejection.exception, path, user);
    sendExceptionLingering(req, res, responder, error);
    return;
  }

  let file: OpenFile;
  try {
    file = await openTarget(context, target);
  } catch (error) {
    answerFailure(context, req, res, responder, error);
    return;
  }

  try {
    const reset = context.faults.takeResetUpload();
    await copyBody(context, req, file, reset?.afterBytes);
  } catch (error) {
    await context.namespace.abandon(file, context.leaseSoftLimitMs);
    if (!(error instanceof ClientGoneError))
      answerFailure(context, req, res, responder, error);
    return;
  }

  try {
    await context.namespace.complete(file);
  } catch (error) {
    answerFailure(context, req, res, responder, error);
    return;
  }
  answer();
}

/** The NameNode-side checks of create/append, then the namespace operation. */
async function openTarget(
  context: HandlerContext,
  target: UploadTarget,
): Promise<OpenFile> {
  const writer = {
    holder: `DFSClient_NONMAPREDUCE_${Math.floor(Math.random() * 2 ** 31)}_1`,
    clientMachine: context.hostName,
  };
  const path = target.op === 'CREATE' ? target.request.path : target.path;
  const user = target.op === 'CREATE' ? target.request.owner : target.user;
  // Hadoop's own wording, without the space: "Cannot create file/a".
  const refusal =
    target.op === 'CREATE' ? `Cannot create file${path}` : `Cannot append to file${path}`;
  checkWritable(writerNameNodeState(context), refusal);

  const held = context.faults.get('holdLease') ?? [];
  if (held.some((heldPath) => normalizeHdfsPath(heldPath) === normalizeHdfsPath(path))) {
    const operation = target.op === 'CREATE' ? 'CREATE_FILE' : 'APPEND_FILE';
    throw new HadoopException(
      'AlreadyBeingCreatedException',
      `Failed to ${operation} ${path} for ${writer.holder} on ${writer.clientMachine} ` +
        'because this file lease is currently owned by DFSClient_NONMAPREDUCE_0_1 on ' +
        writer.clientMachine,
    );
  }

  const access = writeAccess(context, user);
  if (target.op === 'CREATE') {
    return context.namespace.startCreate({ ...target.request, ...writer, access });
  }
  return context.namespace.startAppend({ path, ...writer, access });
}

/**
 * Streams the body into the file. With a quota set, each block allocation is
 * checked first, and the bytes that still fit in the current block are
 * written before the DSQuotaExceededException, as HDFS would have them.
 */
async function copyBody(
  context: HandlerContext,
  req: IncomingMessage,
  file: OpenFile,
  resetAfterBytes: number | undefined,
): Promise<void> {
  let received = 0;
  for (;;) {
    if (resetAfterBytes !== undefined && received >= resetAfterBytes) {
      req.socket.resetAndDestroy();
      throw new ClientGoneError('reset by the resetUpload fault');
    }
    let chunk = await readChunk(req);
    if (chunk === undefined) return;
    if (resetAfterBytes !== undefined)
      chunk = chunk.subarray(0, resetAfterBytes - received);
    received += chunk.length;
    await writeWithinQuota(context, file, chunk);
  }
}

async function writeWithinQuota(
  context: HandlerContext,
  file: OpenFile,
  chunk: Buffer,
): Promise<void> {
  let rest = chunk;
  while (rest.length > 0) {
    const allocated = Math.ceil(file.length / file.blockSize) * file.blockSize;
    let room = allocated - file.length;
    if (room === 0) {
      const quotaBytes = context.faults.get('quotaBytes');
      if (quotaBytes !== undefined)
        await context.namespace.checkBlockAllocation(quotaBytes, file);
      room = file.blockSize;
    }
    const part = rest.subarray(0, room);
    await writeFully(file.handle, part);
    file.length += part.length;
    rest = rest.subarray(part.length);
  }
}

/** The exception the rejectAfterContinue fault answers, 403 whatever its class. */
function injectedRejection(
  exception: string,
  path: string,
  user: string,
): HadoopException {
  const message =
    exception === 'AccessControlException'
      ? `Permission denied: user=${user}, access=WRITE, ` +
        `inode="${parentOfHdfsPath(path)}":hdfs:supergroup:drwxr-xr-x`
      : `${exception} injected by the dev-hdfs rejectAfterContinue fault for ${path}`;
  return new HadoopException(exception, message, { status: 403 });
}

function answerFailure(
  context: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  responder: Responder,
  error: unknown,
): void {
  if (error instanceof HadoopException) {
    sendExceptionLingering(req, res, responder, error);
    return;
  }
  context.reportInternalError(error);
  const internal = new HadoopException('RuntimeException', String(error), {
    status: 500,
  });
  sendExceptionLingering(req, res, responder, internal);
}
