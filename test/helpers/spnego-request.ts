/**
 * Token operations sent by hand with SPNEGO, as an operator's tool would
 * (`curl --negotiate`): to get a token to give a client, or to cancel one.
 */
import { GssAgent } from '../../src/hdfs/gss-agent.js';

/** One token operation at the NameNode `url`, authenticated as `principal`. */
export async function tokenRequest(
  url: string,
  method: 'GET' | 'PUT',
  op: string,
  token: string | undefined,
  principal: string,
  keytab: string,
): Promise<unknown> {
  const agent = new GssAgent({ clientKeytab: keytab });
  try {
    const host = new URL(url).hostname;
    const { token: negotiate } = await agent.initiate(`HTTP@${host}`, principal);
    const query = new URLSearchParams({ op, ...(token === undefined ? {} : { token }) });
    if (op === 'GETDELEGATIONTOKEN') query.set('renewer', principal.split('@')[0] ?? '');
    const res = await fetch(`${url}/webhdfs/v1/?${query.toString()}`, {
      method,
      headers: { authorization: `Negotiate ${negotiate}` },
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${op} answered ${res.status}: ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } finally {
    agent.close();
  }
}

/** GETDELEGATIONTOKEN: a token's `urlString`. */
export async function fetchToken(url: string, principal: string, keytab: string) {
  const json = (await tokenRequest(
    url,
    'GET',
    'GETDELEGATIONTOKEN',
    undefined,
    principal,
    keytab,
  )) as {
    Token: { urlString: string };
  };
  return json.Token.urlString;
}
