/**
 * The URL a NameNode redirects CREATE, APPEND, OPEN and GETFILECHECKSUM to
 * (webhdfs-reference.md section 1.1, NamenodeWebHdfsMethods.redirectURI).
 */
import { WEBHDFS_PREFIX } from './request-params.js';

/**
 * Characters java.net.URI's multi-argument constructor leaves unquoted in a
 * path: unreserved, punctuation, `/` and `@`. Everything else is written as
 * UTF-8 percent-escapes. (Java leaves non-ASCII letters as they are; Node
 * refuses them in a header, so they are escaped here, which any decoder reads
 * the same way.)
 */
const URI_PATH_SAFE = /[A-Za-z0-9_\-!.~'()*,;:$&+=/@]/;

/** Encodes an HDFS path as Hadoop writes it in a Location header. */
export function encodeUriPath(path: string): string {
  let encoded = '';
  for (const char of path) {
    encoded += URI_PATH_SAFE.test(char) ? char : encodeURIComponent(char);
  }
  return encoded;
}

/** One query parameter of the redirect, already in the form Hadoop prints it. */
export type RedirectParam = readonly [name: string, value: string];

/**
 * Builds the DataNode URL: `op` first, then `doas` and `user.name` when the
 * client sent them, then `namenoderpcaddress`, then the op's own parameters
 * sorted by name (Param.toSortedString). Values are percent-encoded once;
 * Hadoop double-encodes them, which its own DataNode undoes, and the
 * reference allows any encoding the server's own DataNode reads back.
 */
export function buildRedirectLocation(options: {
  readonly base: string;
  readonly op: string;
  readonly path: string;
  readonly auth: readonly RedirectParam[];
  readonly nameNodeAddress: string;
  readonly opParams: readonly RedirectParam[];
}): string {
  const auth = [...options.auth].sort(([a], [b]) => (a < b ? -1 : 1));
  const opParams = [...options.opParams].sort(([a], [b]) => (a < b ? -1 : 1));
  const query = [
    ['op', options.op] as const,
    ...auth,
    ['namenoderpcaddress', options.nameNodeAddress] as const,
    ...opParams,
  ]
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
  return `${options.base}${WEBHDFS_PREFIX}${encodeUriPath(options.path)}?${query}`;
}
