/**
 * What happens to every request before and after its role's handler: the
 * `delayMs`, `unavailable` and `nameNodeException` faults, URL parsing,
 * authentication and `doas`, the error answer when a handler throws, and the
 * 'request' event once the connection is done with.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleDataNodeRequest } from './datanode-handler.js';
import { checkBasicLogin } from './dev-basic-auth.js';
import { handleGatewayRequest } from './gateway-handler.js';
import { HadoopException } from './hadoop-exception.js';
import type { HandlerContext } from './handler-context.js';
import { sendException, sendExceptionLingering, sendHtml } from './http-replies.js';
import { handleNameNodeRequest } from './namenode-handler.js';
import { applyDoAs } from './proxy-users.js';
import { parseWebHdfsUrl, splitRequestTarget } from './request-params.js';
import { isWebHdfsMethod } from './webhdfs-ops.js';

/** Which endpoint received a request. */
export type EndpointRole = 'namenode' | 'datanode' | 'gateway';

/** One request the server answered (or lost: status 0 when no answer was sent). */
export interface DevHdfsRequestEvent {
  /** The gateway endpoint reports as `namenode`. */
  readonly role: 'namenode' | 'datanode';
  readonly method: string;
  /** The op upper-cased, `''` when absent. */
  readonly op: string;
  /** The decoded HDFS path (or the URL path when it is not a WebHDFS URL). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly status: number;
}

const HANDLERS = {
  namenode: handleNameNodeRequest,
  datanode: handleDataNodeRequest,
  gateway: handleGatewayRequest,
} as const;

/** Serves one request; never rejects (failures become answers or reports). */
export async function serveRequest(
  context: HandlerContext,
  closing: AbortSignal,
  role: EndpointRole,
  req: IncomingMessage,
  res: ServerResponse,
  onDone: (event: DevHdfsRequestEvent) => void,
): Promise<void> {
  const requestTarget = req.url ?? '/';
  const { rawPath, query } = splitRequestTarget(requestTarget);
  const method = req.method ?? '';
  let path = rawPath;
  let op = (query.get('op') ?? '').toUpperCase();
  res.once('close', () => {
    const status = res.headersSent ? res.statusCode : 0;
    const eventRole = role === 'datanode' ? 'datanode' : 'namenode';
    onDone({ role: eventRole, method, op, path, query, status });
  });

  try {
    const delayMs = context.faults.get('delayMs');
    if (delayMs !== undefined) await sleep(delayMs, undefined, { signal: closing });
    if (role !== 'datanode' && context.faults.takeUnavailable()) {
      // What a load balancer in front of a NameNode answers, not WebHDFS JSON.
      sendHtml(
        res,
        503,
        'Service Unavailable',
        'No server is available for this request.',
      );
      return;
    }
    if (role !== 'datanode' && !isWebHdfsMethod(method)) {
      sendHtml(res, 405, 'Method Not Allowed', `${method} is not supported here.`);
      return;
    }
    const target = parseWebHdfsUrl(
      requestTarget,
      role === 'datanode' ? 'datanode' : 'namenode',
    );
    if (target === undefined) {
      sendHtml(res, 404, 'Not Found', `${path} is not a WebHDFS resource.`);
      return;
    }
    path = target.path;
    op = target.params.op();
    if (context.basicLogins !== undefined && role !== 'datanode') {
      const user = checkBasicLogin(context.basicLogins, req, res);
      if (user === undefined) return;
      target.params.authenticatedAs(user);
    }
    if (context.security !== undefined) {
      const securityRole = role === 'datanode' ? 'datanode' : 'namenode';
      const user = await context.security.authenticate(
        securityRole,
        req,
        res,
        target.params,
      );
      // Answered already: a 401 challenge or a refused SPNEGO exchange.
      if (user === undefined) return;
      target.params.authenticatedAs(user);
    }
    // A delegation token names the user by itself: doas is ignored (JspHelper).
    const viaToken =
      context.security !== undefined && (target.params.get('delegation') ?? '') !== '';
    if (!viaToken) applyDoAs(target.params, role !== 'datanode', context.proxyUsers);
    if (role !== 'datanode') {
      const exception = context.faults.takeNameNodeException(op);
      if (exception !== undefined) {
        throw new HadoopException(
          exception,
          `${exception} injected by the dev-hdfs nameNodeException fault for ${op} ${path}`,
        );
      }
    }
    await HANDLERS[role](context, req, res, target);
  } catch (error) {
    // Closing destroys every socket; what was in flight has nobody to answer.
    if (!closing.aborted) answerError(context, role, req, res, error);
  }
}

/**
 * A RemoteException for what a handler threw; anything that is not a
 * HadoopException is the server's own failure: reported, and answered 500.
 */
function answerError(
  context: HandlerContext,
  role: EndpointRole,
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
): void {
  const known = error instanceof HadoopException;
  if (!known) context.reportInternalError(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const exception = known
    ? error
    : new HadoopException('RuntimeException', String(error), { status: 500 });
  if (role === 'namenode') {
    sendException(res, 'namenode', exception);
    return;
  }
  // The DataNode and the gateway may be mid-upload: answer without an RST.
  const responder = role === 'datanode' ? 'datanode' : 'namenode';
  sendExceptionLingering(req, res, responder, exception);
}
