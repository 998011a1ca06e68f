import type { WebHdfsRequestContext } from '../errors.js';
import { WebHdfsProtocolError } from '../errors.js';
import type { ExchangeResponse } from './http-exchange.js';
import { isRecord, readJson } from './response-body.js';

/** Where a NameNode's answer sends the data: its 307, or `{"Location"}` with noredirect. */
export async function redirectTarget(
  res: ExchangeResponse,
  rewrite: ReadonlyMap<string, string>,
  jsonLimit: number,
): Promise<URL> {
  const { context } = res;
  if (res.status === 307) {
    res.body.resume();
    return resolveDataNodeUrl(res.headers.location, rewrite, context, 307);
  }
  const json = await readJson(res.body, context, jsonLimit);
  const location = isRecord(json) ? json.Location : undefined;
  return resolveDataNodeUrl(location, rewrite, context, res.status);
}

/**
 * The URL to send a file's data to, from a NameNode's 307 `Location` (or the
 * `{"Location": …}` of `noredirect=true`), with the DataNode host replaced when
 * the rewrite map names it. The rest of the URL, query included, is used exactly
 * as the NameNode wrote it (webhdfs-reference.md section 1.1, "encoding quirk").
 */
export function resolveDataNodeUrl(
  location: unknown,
  rewrite: ReadonlyMap<string, string>,
  context: WebHdfsRequestContext,
  status: number,
): URL {
  if (typeof location !== 'string' || location === '') {
    throw new WebHdfsProtocolError(context, status, 'redirect without a Location');
  }
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new WebHdfsProtocolError(context, status, `redirect to an invalid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebHdfsProtocolError(context, status, `redirect to a ${url.protocol} URL`);
  }

  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const replacement =
    rewrite.get(`${url.hostname}:${port}`.toLowerCase()) ??
    rewrite.get(url.hostname.toLowerCase());
  if (replacement === undefined) return url;
  return new URL(`${url.pathname}${url.search}`, replacement);
}
