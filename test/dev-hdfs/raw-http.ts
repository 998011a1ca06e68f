/**
 * A deliberately small raw HTTP client for the dev server's tests: node:http
 * with a fresh connection per request and no redirect following, so that
 * every status, header and byte the server sends is seen as sent. Paths are
 * passed through untouched (a URL object would resolve `..` and collapse
 * nothing else, hiding exactly what the path-rule tests send).
 */
import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
}

export interface RawRequest {
  readonly method?: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
}

/** Sends one request to `base` (`http://host:port`) + `target` (path and query, raw). */
export function rawRequest(
  base: string,
  target: string,
  options: RawRequest = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname.replace(/^\[|\]$/g, ''),
        port,
        method: options.method ?? 'GET',
        path: target,
        agent: false,
        headers: { 'Content-Length': body.length, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: all,
            text: all.toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A WebHDFS request target: `/webhdfs/v1` + the path with each component
 * percent-encoded (empty, `.` and `..` components kept as they are) + the
 * query in the given order, `op` first when there is one.
 */
export function webHdfsTarget(
  path: string,
  op: string,
  params: Record<string, string> = {},
): string {
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  const query = new URLSearchParams(op === '' ? {} : { op });
  for (const [name, value] of Object.entries(params)) query.append(name, value);
  const search = query.toString();
  return `/webhdfs/v1${encodedPath}${search === '' ? '' : `?${search}`}`;
}

/** The outcome of a two-step operation: what each step answered. */
export interface TwoStepResponse {
  readonly nameNode: RawResponse;
  /** The DataNode's answer, when the NameNode redirected. */
  readonly dataNode: RawResponse | undefined;
  /** The last answer received. */
  readonly final: RawResponse;
}

/**
 * CREATE, APPEND, OPEN or GETFILECHECKSUM by hand: step 1 to the NameNode
 * with no body, then, on a 307, the same method with the body to the
 * Location exactly as given.
 */
export async function twoStep(
  nameNodeUrl: string,
  method: string,
  target: string,
  body?: string | Buffer,
): Promise<TwoStepResponse> {
  const nameNode = await rawRequest(nameNodeUrl, target, { method });
  const location = nameNode.headers.location;
  if (nameNode.status !== 307 || location === undefined) {
    return { nameNode, dataNode: undefined, final: nameNode };
  }
  const url = new URL(location);
  const dataNode = await rawRequest(url.origin, location.slice(url.origin.length), {
    method,
    ...(body === undefined ? {} : { body }),
  });
  return { nameNode, dataNode, final: dataNode };
}

/** The parsed RemoteException of an error answer, checking its exact shape. */
export function remoteException(response: RawResponse): {
  exception: string;
  javaClassName: string;
  message: string;
} {
  const parsed = JSON.parse(response.text) as unknown;
  const keys = (value: unknown): string =>
    typeof value === 'object' && value !== null ? Object.keys(value).join(',') : '';
  if (keys(parsed) !== 'RemoteException') {
    throw new Error(`not a RemoteException body: ${response.text}`);
  }
  const inner = (parsed as { RemoteException: unknown }).RemoteException;
  if (keys(inner) !== 'exception,javaClassName,message') {
    throw new Error(`unexpected RemoteException keys: ${response.text}`);
  }
  return inner as { exception: string; javaClassName: string; message: string };
}
