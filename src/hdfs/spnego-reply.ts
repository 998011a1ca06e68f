/**
 * Mutual authentication in SPNEGO over HTTP (RFC 4559 section 5): with its
 * answer the server sends a token of its own, `WWW-Authenticate: Negotiate
 * <token>`, which only the service the client got a ticket for can make,
 * and which completes the client's context. Hadoop's KerberosAuthenticator
 * asks for it and feeds that token back into its context until the context
 * is established; this client does the same with the context it keeps in
 * its Kerberos agent.
 */
import { debuglog } from 'node:util';
import { WebHdfsAuthError } from '../errors.js';
import type { GssAgent } from './gss-agent.js';
import type { ExchangeResponse } from './http-exchange.js';

const debug = debuglog('hdfs-log-transport');

/** `Negotiate <base64>` in a header Node may have joined from several, with `, `. */
const NEGOTIATE_REPLY = /(?:^|,)\s*Negotiate\s+([A-Za-z0-9+/]+=*)\s*(?:,|$)/i;

/** The server's reply token in `WWW-Authenticate`, if it sent one. */
export function negotiateReply(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return NEGOTIATE_REPLY.exec(header)?.[1];
}

/**
 * Checks the server's reply token in `res` against the client `context`
 * (which the check releases; the caller releases it in any case). An
 * answer without one is taken (gateways and proxies may strip it; Hadoop's
 * server sends it) and noted in a debug line. A token that does not verify
 * rejects with a WebHdfsAuthError, and the answer is dropped unread: it
 * may not come from the cluster.
 */
export async function verifyNegotiateReply(
  agent: GssAgent,
  context: number,
  res: ExchangeResponse,
  remember: (secret: string) => void,
): Promise<void> {
  const reply = negotiateReply(res.headers['www-authenticate']);
  if (reply === undefined) {
    if (res.status < 400) {
      const { op, path, endpoint } = res.context;
      debug(
        '%s %s: %s sent no SPNEGO reply token; not authenticated',
        op,
        path,
        endpoint,
      );
    }
    return;
  }

  remember(reply);
  let check;
  try {
    check = await agent.verify(context, reply);
  } catch (error) {
    res.body.destroy();
    throw error;
  }
  if (check.verified) return;

  res.body.destroy();
  throw new WebHdfsAuthError(
    res.context,
    res.status,
    'the server could not prove its identity: its SPNEGO reply token ' +
      `(WWW-Authenticate: Negotiate) does not verify (${check.reason})`,
  );
}
