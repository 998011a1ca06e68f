/**
 * A gateway's name-and-password login, as Apache Knox's default topology
 * asks for it: every request to the gateway (or, without gateway mode, to
 * the NameNode) carries `Authorization: Basic`; without it, or with a
 * password that does not match, the answer is a 401 challenge. The login
 * names the user, as Knox's identity assertion does.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendHtml } from './http-replies.js';

/** What Knox's ShiroProvider answers without a valid login. */
const CHALLENGE = 'BASIC realm="application"';

/**
 * The user a request logged in as, or undefined once it has been answered
 * with a 401.
 */
export function checkBasicLogin(
  logins: ReadonlyMap<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (match !== null) {
    const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    const expected = logins.get(user);
    if (colon > 0 && expected !== undefined && same(decoded.slice(colon + 1), expected)) {
      return user;
    }
  }
  res.setHeader('WWW-Authenticate', CHALLENGE);
  sendHtml(res, 401, 'Unauthorized', 'Authentication required');
  return undefined;
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
