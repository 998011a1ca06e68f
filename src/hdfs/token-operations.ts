import { WebHdfsProtocolError } from '../errors.js';
import type { TokenOperations } from './delegation-tokens.js';
import type { ExchangeResponse } from './http-exchange.js';
import { isRecord, readJson } from './response-body.js';
import type { CallSpec } from './webhdfs-transport.js';

/** Token answers are a few hundred bytes. */
const TOKEN_JSON_LIMIT = 64 * 1024;

/**
 * GETDELEGATIONTOKEN, RENEWDELEGATIONTOKEN and CANCELDELEGATIONTOKEN over a
 * transport's NameNode calls (webhdfs-reference.md section 8):
 * `{"Token":{"urlString":…}}`, `{"long":…}` and an empty 200.
 */
export function tokenOperations(
  nameNode: (call: CallSpec) => Promise<ExchangeResponse>,
): TokenOperations {
  return {
    async fetch() {
      const res = await nameNode({ method: 'GET', op: 'GETDELEGATIONTOKEN', path: '/' });
      const json = await readJson(res.body, res.context, TOKEN_JSON_LIMIT);
      const token =
        isRecord(json) && isRecord(json.Token) ? json.Token.urlString : undefined;
      if (typeof token !== 'string' || token === '') {
        throw new WebHdfsProtocolError(res.context, res.status, 'no Token.urlString');
      }
      return token;
    },
    async renew(token) {
      const call = {
        method: 'PUT',
        op: 'RENEWDELEGATIONTOKEN',
        path: '/',
        params: { token },
      } as const;
      const res = await nameNode(call);
      const json = await readJson(res.body, res.context, TOKEN_JSON_LIMIT);
      const expiry = isRecord(json) ? json.long : undefined;
      if (typeof expiry !== 'number' || !Number.isFinite(expiry)) {
        throw new WebHdfsProtocolError(res.context, res.status, 'no {"long": …}');
      }
      return expiry;
    },
    async cancel(token, signal) {
      const call = {
        method: 'PUT',
        op: 'CANCELDELEGATIONTOKEN',
        path: '/',
        params: { token },
        signal,
      } as const;
      const res = await nameNode(call);
      res.body.resume();
    },
  };
}
