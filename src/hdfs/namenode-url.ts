import { InvalidOptionError } from '../errors.js';

/** Default WebHDFS ports (hdfs-default.xml: dfs.namenode.http(s)-address). */
export const WEBHDFS_HTTP_PORT = 9870;
export const WEBHDFS_HTTPS_PORT = 9871;
/** Where WebHDFS lives on a NameNode; gateways put it elsewhere (Knox: /gateway/x/webhdfs/v1). */
export const DEFAULT_WEBHDFS_BASE_PATH = '/webhdfs/v1';

/** A NameNode (or gateway) endpoint, resolved from what the user wrote. */
export interface NameNodeEndpoint {
  /** `http://host:port` or `https://host:port`. */
  readonly origin: string;
  /** Path prefix of the REST API, without a trailing `/`. */
  readonly basePath: string;
  /** `host:port`, for messages. */
  readonly hostPort: string;
}

/**
 * Reads a NameNode address: `webhdfs://host[:port]` or `http://host[:port]` (9870),
 * `swebhdfs://host[:port]` or `https://host[:port]` (9871, TLS), a gateway's
 * `http(s)://host[:port]/base/path` (80 or 443 without a port), or a bare
 * `host:port`. A path in the URL replaces the default `/webhdfs/v1`, so a Knox
 * topology URL works as given.
 */
export function parseNameNodeUrl(
  value: unknown,
  option = 'namenodes',
  basePath?: string,
): NameNodeEndpoint {
  const expected = 'a NameNode URL such as "http://nn1:9870" or "webhdfs://nn1"';
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidOptionError(option, expected, value);
  }
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `webhdfs://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidOptionError(option, expected, value);
  }

  const scheme = url.protocol.slice(0, -1).toLowerCase();
  const tls = scheme === 'https' || scheme === 'swebhdfs';
  if (!['http', 'https', 'webhdfs', 'swebhdfs'].includes(scheme)) {
    throw new InvalidOptionError(
      option,
      `${expected} (http, https, webhdfs or swebhdfs)`,
      value,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InvalidOptionError(
      option,
      `${expected}, without credentials or query`,
      value,
    );
  }
  const urlPath = url.pathname.replace(/\/+$/, '');
  const port = url.port !== '' ? Number(url.port) : defaultPort(tls, scheme, urlPath);
  const hostPort = `${url.hostname}:${port}`;

  return {
    origin: `${tls ? 'https' : 'http'}://${hostPort}`,
    basePath: normaliseBasePath(
      basePath ?? (urlPath === '' ? DEFAULT_WEBHDFS_BASE_PATH : urlPath),
    ),
    hostPort,
  };
}

/**
 * A NameNode listens on Hadoop's ports (9870, 9871 for TLS), whatever the
 * scheme says; a URL that carries its own REST path names a gateway (Knox,
 * HttpFS behind a proxy), which is a web server on the web's ports.
 */
function defaultPort(tls: boolean, scheme: string, urlPath: string): number {
  if (scheme.endsWith('webhdfs') || urlPath === '') {
    return tls ? WEBHDFS_HTTPS_PORT : WEBHDFS_HTTP_PORT;
  }
  return tls ? 443 : 80;
}

function normaliseBasePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
