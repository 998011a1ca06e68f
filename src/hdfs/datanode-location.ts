import type { WebHdfsRequestContext } from '../errors.js';
import { WebHdfsDowngradeError, WebHdfsProtocolError } from '../errors.js';
import type { ExchangeResponse } from './http-exchange.js';
import { isRecord, readJson } from './response-body.js';
import type { DataNodeRewriteTarget } from './webhdfs-client-options.js';

/** Where a NameNode's answer sends the data: its 307, or `{"Location"}` with noredirect. */
export async function redirectTarget(
  res: ExchangeResponse,
  rewrite: ReadonlyMap<string, DataNodeRewriteTarget>,
  jsonLimit: number,
): Promise<URL> {
  const { context, protocol } = res;
  if (res.status === 307) {
    res.body.resume();
    return resolveDataNodeUrl(res.headers.location, { rewrite, context, protocol }, 307);
  }
  const json = await readJson(res.body, context, jsonLimit);
  const location = isRecord(json) ? json.Location : undefined;
  return resolveDataNodeUrl(location, { rewrite, context, protocol }, res.status);
}

/** What a redirect is read against. */
export interface RedirectSource {
  readonly rewrite: ReadonlyMap<string, DataNodeRewriteTarget>;
  /** The NameNode request's context, for errors. */
  readonly context: WebHdfsRequestContext;
  /** The scheme the NameNode was reached by. */
  readonly protocol: 'http:' | 'https:';
}

/**
 * The URL to send a file's data to, from a NameNode's 307 `Location` (or the
 * `{"Location": …}` of `noredirect=true`), with the DataNode host replaced when
 * the rewrite map names it. The rest of the URL, query included, is used exactly
 * as the NameNode wrote it (webhdfs-reference.md section 1.1, "encoding quirk").
 *
 * Hadoop's redirect keeps the scheme of the request (section 8, NWHM:459-462),
 * so a NameNode reached over https that sends the data, and the `delegation`
 * token in its URL, to plain http is misconfigured or not a NameNode: that
 * URL is refused, whether the redirect or a rewrite made it.
 */
export function resolveDataNodeUrl(
  location: unknown,
  source: RedirectSource,
  status: number,
): URL {
  const { context } = source;
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
  const key = [`${url.hostname}:${port}`.toLowerCase(), url.hostname.toLowerCase()].find(
    (candidate) => source.rewrite.has(candidate),
  );
  const replacement = key === undefined ? undefined : source.rewrite.get(key);
  const target =
    replacement === undefined
      ? url
      : new URL(
          `${url.pathname}${url.search}`,
          `${replacement.protocol ?? source.protocol}//${replacement.host}`,
        );

  if (source.protocol === 'https:' && target.protocol !== 'https:') {
    throw new WebHdfsDowngradeError(context, target.origin, key);
  }
  return target;
}
