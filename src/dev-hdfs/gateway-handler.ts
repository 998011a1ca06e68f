/**
 * Gateway mode, HttpFS-like: one endpoint and no DataNode. CREATE and APPEND
 * without `data=true` are redirected to the same URL with `data=true` added;
 * with it the body is written right there. OPEN and GETFILECHECKSUM answer
 * directly. Everything else is the NameNode role's.
 *
 * Status codes stay those of WebHDFS (as behind Knox, which passes the
 * NameNode's answers through); HttpFS itself maps most IOExceptions to 500.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { uploadTarget, sendFileChecksum, sendFileContent } from './datanode-handler.js';
import { receiveUpload } from './datanode-upload.js';
import { nameNodeState, type HandlerContext } from './handler-context.js';
import { sendEmpty, sendHtml, sendJson } from './http-replies.js';
import { locationJson } from './json-shapes.js';
import { handleNameNodeRequest } from './namenode-handler.js';
import { checkOperation } from './namenode-state.js';
import { checkValidName } from './path-rules.js';
import { encodeUriPath } from './redirect-location.js';
import {
  WEBHDFS_PREFIX,
  splitRequestTarget,
  type WebHdfsTarget,
} from './request-params.js';
import { nameNodeOp } from './webhdfs-ops.js';

/** HttpFS's CheckUploadContentTypeFilter accepts exactly this type for data uploads. */
const UPLOAD_CONTENT_TYPE = 'application/octet-stream';

/** Handles one request on the gateway endpoint. */
export async function handleGatewayRequest(
  context: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: WebHdfsTarget,
): Promise<void> {
  const { path, params } = target;
  const op = nameNodeOp(req.method ?? '', params);

  if (op === 'CREATE' || op === 'APPEND') {
    const upload = uploadTarget(op, path, params);
    checkValidName(path);
    if (!params.boolean('data', false)) {
      redirectToData(context, req, res, op, params.boolean('noredirect', false));
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.toLowerCase() !== UPLOAD_CONTENT_TYPE) {
      sendHtml(
        res,
        400,
        'Bad Request',
        `Data upload requests must have content-type set to '${UPLOAD_CONTENT_TYPE}'`,
      );
      return;
    }
    // Jetty sends 100 Continue when the body is first read, and only to a
    // client that asked for it.
    if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
    await receiveUpload(context, req, res, 'namenode', upload, () => {
      const location = `${context.nameNodeUrl}${WEBHDFS_PREFIX}${encodeUriPath(path)}`;
      sendEmpty(res, 'namenode', op === 'CREATE' ? 201 : 200, {
        ...(op === 'CREATE' ? { Location: location } : {}),
      });
    });
    return;
  }
  if (op === 'OPEN') {
    checkOperation(nameNodeState(context), 'READ');
    await sendFileContent(context, res, 'namenode', path, params);
    return;
  }
  if (op === 'GETFILECHECKSUM') {
    checkOperation(nameNodeState(context), 'READ');
    await sendFileChecksum(context, res, 'namenode', path);
    return;
  }
  await handleNameNodeRequest(context, req, res, target);
}

/**
 * HttpFS's createUploadRedirectionURL: the request URL with `data=true`
 * added and `noredirect` removed, the op spelled canonically.
 */
function redirectToData(
  context: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  op: 'CREATE' | 'APPEND',
  noRedirect: boolean,
): void {
  const { rawPath, query: sent } = splitRequestTarget(req.url ?? '/');
  const query = new URLSearchParams();
  for (const [name, value] of sent) {
    if (!['op', 'data', 'noredirect'].includes(name.toLowerCase()))
      query.append(name, value);
  }
  query.set('op', op);
  query.set('data', 'true');
  const location = `${context.nameNodeUrl}${rawPath}?${query.toString()}`;

  if (noRedirect) {
    sendJson(res, 'namenode', 200, locationJson(location));
    return;
  }
  sendEmpty(res, 'namenode', 307, { Location: location });
}
