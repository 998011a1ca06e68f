/**
 * The NameNode role: `/webhdfs/v1/<path>?op=…` with the op checks of
 * section 2, the namespace operations of section 5 and the JSON of
 * section 3. CREATE, APPEND, OPEN and GETFILECHECKSUM are redirected to the
 * DataNode (namenode-redirects.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nameNodeState, writeAccess, type HandlerContext } from './handler-context.js';
import { baseHeaders, sendEmpty, sendJson } from './http-replies.js';
import {
  LISTING_HEAD,
  LISTING_SEPARATOR,
  LISTING_TAIL,
  booleanJson,
  fileStatusJson,
  listingEntryJson,
  pathJson,
} from './json-shapes.js';
import { redirectToDataNode } from './namenode-redirects.js';
import { checkOperation, checkWritable } from './namenode-state.js';
import { normalizeDestination } from './path-rules.js';
import { handleTokenOp } from './token-ops.js';
import type { WebHdfsParams, WebHdfsTarget } from './request-params.js';
import { RENAME_OPTIONS, nameNodeOp, unsupportedOp } from './webhdfs-ops.js';

/** Handles one WebHDFS request on the NameNode port. */
export async function handleNameNodeRequest(
  context: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: WebHdfsTarget,
): Promise<void> {
  const { path, params } = target;
  const op = nameNodeOp(req.method ?? '', params);
  // Jersey builds every parameter before the method runs, user.name included.
  const user = params.actingUser();

  switch (op) {
    case 'CREATE':
    case 'APPEND':
    case 'OPEN':
    case 'GETFILECHECKSUM':
      await redirectToDataNode(context, res, op, path, params, user);
      return;
    case 'GETFILESTATUS': {
      checkOperation(nameNodeState(context), 'READ');
      const status = await context.namespace.getFileStatus(path);
      sendJson(res, 'namenode', 200, fileStatusJson(status));
      return;
    }
    case 'LISTSTATUS':
      checkOperation(nameNodeState(context), 'READ');
      await sendListing(context, res, path);
      return;
    case 'GETDELEGATIONTOKEN':
    case 'RENEWDELEGATIONTOKEN':
    case 'CANCELDELEGATIONTOKEN':
      handleTokenOp(context, res, op, params);
      return;
    case 'GETHOMEDIRECTORY':
      // No namesystem call: a standby answers it too.
      sendJson(res, 'namenode', 200, pathJson(`/user/${user}`));
      return;
    case 'MKDIRS': {
      const permission = params.permission('permission');
      checkWritable(nameNodeState(context), `Cannot create directory ${path}`);
      const access = writeAccess(context, user);
      const made = await context.namespace.mkdirs(path, user, permission, access);
      sendJson(res, 'namenode', 200, booleanJson(made));
      return;
    }
    case 'RENAME':
      await rename(context, res, path, params, user);
      return;
    case 'DELETE': {
      const recursive = params.boolean('recursive', false);
      checkWritable(nameNodeState(context), `Cannot delete ${path}`);
      const access = writeAccess(context, user);
      const deleted = await context.namespace.delete(path, recursive, access);
      sendJson(res, 'namenode', 200, booleanJson(deleted));
      return;
    }
    default:
      throw unsupportedOp(op);
  }
}

/**
 * RENAME: without `renameoptions` the old rename and its boolean; with any
 * option, rename2, which answers an empty 200 or throws.
 */
async function rename(
  context: HandlerContext,
  res: ServerResponse,
  path: string,
  params: WebHdfsParams,
  user: string,
): Promise<void> {
  const destination = normalizeDestination(params.required('destination', 'RENAME'));
  const options = params.enumSet('renameoptions', RENAME_OPTIONS);
  checkWritable(nameNodeState(context), `Cannot rename ${path}`);
  const access = writeAccess(context, user);

  if (options.size === 0) {
    const renamed = await context.namespace.rename(path, destination, access);
    sendJson(res, 'namenode', 200, booleanJson(renamed));
    return;
  }
  const overwrite = options.has('OVERWRITE');
  await context.namespace.renameWithOptions(path, destination, overwrite, access);
  sendEmpty(res, 'namenode', 200);
}

/**
 * LISTSTATUS, streamed the way the NameNode prints it. The listing is taken
 * first, so a missing directory is still a clean 404 before any byte is sent.
 */
async function sendListing(
  context: HandlerContext,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const entries = await context.namespace.listStatus(path);
  res.writeHead(200, { ...baseHeaders('namenode'), 'Content-Type': 'application/json' });
  res.write(LISTING_HEAD);
  for (const [index, entry] of entries.entries()) {
    const separator = index === 0 ? '' : LISTING_SEPARATOR;
    if (!res.write(separator + listingEntryJson(entry))) await drained(res);
    if (res.destroyed) return;
  }
  res.end(LISTING_TAIL);
}

/** Resolves when the response can take more, or when the client is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
