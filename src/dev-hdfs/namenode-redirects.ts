/**
 * Step 1 of CREATE, APPEND, OPEN and GETFILECHECKSUM at the NameNode
 * (webhdfs-reference.md section 1.1): check what the NameNode checks, then
 * send the client to the DataNode with a 307, or with `{"Location":…}` when
 * it asked for `noredirect=true`.
 */
import type { ServerResponse } from 'node:http';
import { HadoopException } from './hadoop-exception.js';
import { nameNodeState, type HandlerContext } from './handler-context.js';
import { sendEmpty, sendJson } from './http-replies.js';
import { locationJson } from './json-shapes.js';
import { checkOperation } from './namenode-state.js';
import { checkValidName } from './path-rules.js';
import { buildRedirectLocation, type RedirectParam } from './redirect-location.js';
import type { WebHdfsParams } from './request-params.js';
import { CREATE_FLAGS } from './webhdfs-ops.js';

export type RedirectOp = 'CREATE' | 'APPEND' | 'OPEN' | 'GETFILECHECKSUM';

/** Answers step 1 of a two-step operation. */
export async function redirectToDataNode(
  context: HandlerContext,
  res: ServerResponse,
  op: RedirectOp,
  path: string,
  params: WebHdfsParams,
  user: string,
): Promise<void> {
  const noRedirect = params.boolean('noredirect', false);
  const opParams = op === 'CREATE' ? createParams(params) : readParams(op, params);

  if (op === 'CREATE') {
    // The NameNode does not look at the namespace for CREATE: existence,
    // overwrite and the parent are the DataNode's business. It only checks
    // the name (HDFS-16503). It makes no namesystem call either, so a
    // standby still redirects (section 4.2, unverified on a live cluster);
    // the DataNode's DFSClient then fails over to the active NameNode.
    checkValidName(path);
  } else {
    checkOperation(nameNodeState(context), 'READ');
    const status = await context.namespace.getFileInfo(path);
    if (status === undefined) {
      throw new HadoopException('FileNotFoundException', `File ${path} not found.`);
    }
    const offset = Number(opParams.find(([name]) => name === 'offset')?.[1] ?? 0);
    if (op === 'OPEN' && offset >= status.length && status.length > 0) {
      throw new HadoopException(
        'IOException',
        `Offset=${offset} out of the range [0, ${status.length}); OPEN, path=${path}`,
      );
    }
  }

  const location = buildRedirectLocation({
    base: context.dataNodeUrl,
    op,
    path,
    auth: authParams(context, params, user),
    nameNodeAddress: context.nameNodeAddress,
    opParams,
  });
  if (noRedirect) {
    sendJson(res, 'namenode', 200, locationJson(location));
    return;
  }
  sendEmpty(res, 'namenode', 307, { Location: location });
}

/**
 * Security on: the client's delegation token, or one minted for the user the
 * request acts as, renewable by them (NWHM redirectURI). Off: `doas` and
 * `user.name`, only when the client sent them.
 */
function authParams(
  context: HandlerContext,
  params: WebHdfsParams,
  actingUser: string,
): RedirectParam[] {
  if (context.security !== undefined) {
    const given = params.get('delegation');
    const token =
      given !== undefined && given !== ''
        ? given
        : context.security.tokens.issue(actingUser, actingUser);
    return [['delegation', token]];
  }
  const auth: RedirectParam[] = [];
  // Behind a login the gateway names the user it logged in, as Knox does.
  const user = params.get('user.name');
  const named = (user !== undefined && user !== '') || context.basicLogins !== undefined;
  if (named) auth.push(['user.name', params.user()]);
  const doAs = params.get('doas');
  if (doAs !== undefined && doAs !== '') auth.push(['doas', doAs]);
  return auth;
}

/**
 * CREATE's parameters, validated as Jersey would, printed as Hadoop's Param
 * classes print them. createflag, createparent and overwrite have non-null
 * defaults, so they are always there.
 */
function createParams(params: WebHdfsParams): RedirectParam[] {
  const flags = params.enumSet('createflag', CREATE_FLAGS);
  const out: RedirectParam[] = [
    ['createflag', [...flags].join(',')],
    ['createparent', String(params.boolean('createparent', true))],
    ['overwrite', String(params.boolean('overwrite', false))],
  ];
  for (const name of ['blocksize', 'buffersize', 'replication']) {
    const value = params.long(name, 1);
    if (value !== undefined) out.push([name, String(value)]);
  }
  for (const name of ['permission', 'unmaskedpermission']) {
    const value = params.permission(name);
    if (value !== undefined) out.push([name, value.toString(8)]);
  }
  return out;
}

/** APPEND, OPEN and GETFILECHECKSUM parameters (offset defaults to 0, so OPEN always has it). */
function readParams(op: RedirectOp, params: WebHdfsParams): RedirectParam[] {
  if (op === 'GETFILECHECKSUM') return [];
  const out: RedirectParam[] = [];
  const bufferSize = params.long('buffersize', 1);
  if (bufferSize !== undefined) out.push(['buffersize', String(bufferSize)]);
  if (op === 'OPEN') {
    out.push(['offset', String(params.long('offset', 0) ?? 0)]);
    const length = params.long('length', 0);
    if (length !== undefined) out.push(['length', String(length)]);
  }
  return out;
}
