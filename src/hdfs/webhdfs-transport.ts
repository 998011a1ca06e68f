import http from 'node:http';
import https from 'node:https';
import { debuglog } from 'node:util';
import { WebHdfsProtocolError, type WebHdfsRequestContext } from '../errors.js';
import { resolveDataNodeUrl } from './datanode-location.js';
import { classifyError } from './error-class.js';
import { encodeHdfsPath, validateHdfsPath } from './hdfs-path.js';
import { exchange, type ExchangeResponse, type UploadBody } from './http-exchange.js';
import { NameNodePool } from './namenode-pool.js';
import type { NameNodeEndpoint } from './namenode-url.js';
import { errorFromResponse, isRecord, readJson } from './response-body.js';
import type { ResolvedClientOptions } from './webhdfs-client-options.js';

const debug = debuglog('hdfs-log-transport');

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';
export type Params = Record<string, string | number | boolean | undefined>;

/** One WebHDFS call as the client describes it. */
export interface CallSpec {
  readonly method: Method;
  readonly op: string;
  readonly path: string;
  readonly params?: Params;
  readonly signal?: AbortSignal | undefined;
  readonly body?: UploadBody;
  /** Statuses that are an answer rather than an error. @default [200, 307] */
  readonly accepted?: readonly number[];
}

/** A JSON answer bigger than this is not WebHDFS (LISTSTATUS of a huge directory aside). */
export const JSON_LIMIT = 256 * 1024 * 1024;

/**
 * How requests reach the cluster: NameNode URLs with the auth parameters, HA
 * failover, DataNode redirects (rewritten when asked), connection reuse, and
 * turning error answers into typed errors.
 */
export class WebHdfsTransport {
  readonly #options: ResolvedClientOptions;
  readonly #pool: NameNodePool;
  readonly #agents = { http: new http.Agent(), https: new https.Agent() };

  constructor(options: ResolvedClientOptions) {
    this.#options = options;
    this.#pool = new NameNodePool(options.namenodes);
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
    this.#agents = {
      http: new http.Agent(agentOptions),
      https: new https.Agent(agentOptions),
    };
  }

  get activeNameNode(): NameNodeEndpoint {
    return this.#pool.active;
  }

  /**
   * A request to the active NameNode; on StandbyException or an unreachable
   * NameNode, the same request to the next one (the first did nothing).
   */
  async nameNode(call: CallSpec): Promise<ExchangeResponse> {
    validateHdfsPath(call.path);
    // A stream body cannot be sent twice; a file or a buffer can.
    const resendable = call.body === undefined || !(Symbol.asyncIterator in call.body);
    const endpoints = this.#pool.inFailoverOrder();
    let index = 0;
    for (;;) {
      const endpoint = endpoints[index] as NameNodeEndpoint;
      const context = {
        op: call.op,
        path: call.path,
        role: 'namenode',
        endpoint: endpoint.hostPort,
      };
      try {
        return await this.#send(
          this.#nameNodeUrl(endpoint, call),
          call,
          context as Context,
        );
      } catch (error) {
        index += 1;
        if (
          classifyError(error) !== 'failover' ||
          index === endpoints.length ||
          !resendable
        ) {
          throw error;
        }
        debug('%s %s: failing over from %s', call.op, call.path, endpoint.hostPort);
        this.#pool.failOver(endpoint);
      }
    }
  }

  /** The second step of CREATE, APPEND, OPEN or GETFILECHECKSUM. */
  async dataNode(url: URL, call: CallSpec): Promise<ExchangeResponse> {
    const context = {
      op: call.op,
      path: call.path,
      role: 'datanode',
      endpoint: url.host,
    } as const;
    return this.#send(url, { ...call, accepted: call.accepted ?? [200, 201] }, context);
  }

  /** Where a NameNode's answer sends the data: its 307, or `{"Location"}` with noredirect. */
  async redirectTarget(res: ExchangeResponse): Promise<URL> {
    const { context } = res;
    const rewrite = this.#options.dataNodeRewrite;
    if (res.status === 307) {
      res.body.resume();
      return resolveDataNodeUrl(res.headers.location, rewrite, context, 307);
    }
    const json = await readJson(res.body, context, JSON_LIMIT);
    const location = isRecord(json) ? json.Location : undefined;
    return resolveDataNodeUrl(location, rewrite, context, res.status);
  }

  /** Closes idle connections; requests in flight finish. */
  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  async #send(url: URL, call: CallSpec, context: Context): Promise<ExchangeResponse> {
    debug(
      '%s %s %s → %s %s',
      call.method,
      call.op,
      call.path,
      context.role,
      context.endpoint,
    );
    const res = await exchange({
      url,
      method: call.method,
      context,
      agent: url.protocol === 'https:' ? this.#agents.https : this.#agents.http,
      timeouts: this.#options.timeouts,
      headers:
        call.body === undefined ? {} : { 'content-type': 'application/octet-stream' },
      signal: call.signal,
      ...(call.body === undefined ? {} : { body: call.body }),
    });
    if ((call.accepted ?? [200, 307]).includes(res.status)) return res;
    if (res.status >= 400) throw await errorFromResponse(res.body, context);
    res.body.resume();
    throw new WebHdfsProtocolError(
      context,
      res.status,
      'status not expected for this operation',
    );
  }

  #nameNodeUrl(endpoint: NameNodeEndpoint, call: CallSpec): URL {
    const query = new URLSearchParams({ op: call.op });
    for (const [key, value] of Object.entries(call.params ?? {})) {
      if (value !== undefined) query.set(key, String(value));
    }
    const { user, doAs, delegationToken } = this.#options;
    // With a token Hadoop ignores user.name and doas (JspHelper): send only the token.
    if (delegationToken !== undefined) query.set('delegation', delegationToken);
    else {
      if (user !== undefined) query.set('user.name', user);
      if (doAs !== undefined) query.set('doas', doAs);
    }
    const path = `${endpoint.basePath}${encodeHdfsPath(call.path)}`;
    return new URL(`${endpoint.origin}${path}?${query.toString()}`);
  }
}

type Context = WebHdfsRequestContext;
