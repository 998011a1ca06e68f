/**
 * GETDELEGATIONTOKEN, RENEWDELEGATIONTOKEN and CANCELDELEGATIONTOKEN at the
 * NameNode (webhdfs-reference.md section 8; NWHM). They need security on:
 * without it FSNamesystem refuses to issue tokens.
 */
import type { ServerResponse } from 'node:http';
import { HadoopException } from './hadoop-exception.js';
import type { HandlerContext } from './handler-context.js';
import { sendEmpty, sendJson } from './http-replies.js';
import type { WebHdfsParams } from './request-params.js';

export type TokenOp =
  'GETDELEGATIONTOKEN' | 'RENEWDELEGATIONTOKEN' | 'CANCELDELEGATIONTOKEN';

/** Answers one token operation for the authenticated `user`. */
export function handleTokenOp(
  context: HandlerContext,
  res: ServerResponse,
  op: TokenOp,
  params: WebHdfsParams,
): void {
  const security = context.security;
  if (security === undefined) {
    throw new HadoopException(
      'IOException',
      'Delegation Token can be issued only with kerberos or web authentication',
    );
  }
  const user = params.user();
  if (op === 'GETDELEGATIONTOKEN') {
    const token = security.tokens.issue(user, params.get('renewer') ?? '');
    sendJson(res, 'namenode', 200, JSON.stringify({ Token: { urlString: token } }));
    return;
  }
  const token = params.required('token', op);
  if (op === 'RENEWDELEGATIONTOKEN') {
    const expiry = security.tokens.renew(token, user);
    sendJson(res, 'namenode', 200, JSON.stringify({ long: expiry }));
    return;
  }
  security.tokens.cancel(token, user);
  sendEmpty(res, 'namenode', 200);
}
