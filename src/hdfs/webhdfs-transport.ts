import http from 'node:http';
import https from 'node:https';
import { debuglog } from 'node:util';
import {
  WebHdfsProtocolError,
  WebHdfsTimeoutError,
  type WebHdfsRequestContext,
} from '../errors.js';
import { redirectTarget } from './datanode-location.js';
import { classifyError, isRemoteException } from './error-class.js';
import { encodeHdfsPath, validateHdfsPath } from './hdfs-path.js';
import { exchange, type ExchangeResponse, type UploadBody } from './http-exchange.js';
import { NameNodePool } from './namenode-pool.js';
import type { NameNodeEndpoint } from './namenode-url.js';
import { redactError } from './redact-secrets.js';
import { RequestAuth, refusal, type AuthPlan } from './request-auth.js';
import { errorFromResponse } from './response-body.js';
import { tlsAgentOptions } from './tls-options.js';
import { tokenOperations } from './token-operations.js';
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
 * Longest wait for CANCELDELEGATIONTOKEN on close (shorter when
 * `requestTimeout` is): a close must not hang on a NameNode that has gone,
 * and a token left uncancelled only lives until it expires.
 */
export const CANCEL_TIMEOUT_MS = 5000;

/**
 * How requests reach the cluster: NameNode URLs with their credentials
 * (request-auth.ts), HA failover, DataNode redirects (rewritten when asked),
 * connection reuse over HTTP or TLS, and turning error answers into typed
 * errors, cleaned of any secret a server may have echoed.
 */
export class WebHdfsTransport {
  readonly #options: ResolvedClientOptions;
  readonly #pool: NameNodePool;
  readonly #agents: { http: http.Agent; https: https.Agent };
  readonly #auth: RequestAuth;

  constructor(options: ResolvedClientOptions) {
    this.#options = options;
    this.#pool = new NameNodePool(options.namenodes);
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
    this.#agents = {
      http: new http.Agent(agentOptions),
      https: new https.Agent({ ...agentOptions, ...tlsAgentOptions(options.tls) }),
    };
    this.#auth = new RequestAuth(
      options,
      tokenOperations((call) => this.nameNode(call)),
    );
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
        return await this.#authenticated(endpoint, call, context as Context, resendable);
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
    // The NameNode put a token of its own in the URL (NWHM redirectURI).
    const minted = url.searchParams.get('delegation');
    if (minted !== null && minted !== '') this.#auth.remember(minted);
    const accepted = call.accepted ?? [200, 201];
    try {
      const headers = this.#auth.dataNodeHeaders(url);
      return await this.#send(url, { ...call, accepted }, context, headers);
    } catch (error) {
      throw redactError(error, this.#auth.secrets);
    }
  }

  /** Where a NameNode's answer sends the data: its 307, or `{"Location"}` with noredirect. */
  async redirectTarget(res: ExchangeResponse): Promise<URL> {
    return redirectTarget(res, this.#options.dataNodeRewrite, JSON_LIMIT);
  }

  /** Kerberos contexts awaiting a NameNode's reply: none once requests have ended. */
  kerberosContexts(): Promise<number> {
    return this.#auth.kerberosContexts();
  }

  /**
   * Cancels the delegation token this client fetched, then closes idle
   * connections; requests in flight finish. Rejects, once all is closed, when
   * the token could not be cancelled within {@link CANCEL_TIMEOUT_MS}.
   */
  async close(): Promise<void> {
    try {
      await this.#cancelToken();
    } finally {
      this.#agents.http.destroy();
      this.#agents.https.destroy();
      this.#auth.close();
    }
  }

  async #cancelToken(): Promise<void> {
    const ms = Math.min(CANCEL_TIMEOUT_MS, this.#options.timeouts.request);
    const context = {
      op: 'CANCELDELEGATIONTOKEN',
      path: '/',
      role: 'namenode',
      endpoint: this.#pool.active.hostPort,
    } as const;
    const abandon = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        abandon.abort();
        reject(new WebHdfsTimeoutError(context, 'request', ms, true));
      }, ms).unref();
    });
    const cancelling = this.#auth.cancelToken(abandon.signal);
    // Once the time is up the abandoned request fails too; the timeout is the report.
    void cancelling.catch(() => undefined);
    try {
      const cancelled = await Promise.race([cancelling, expired]);
      if (cancelled) debug('delegation token cancelled');
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One request to one NameNode with its credentials: answers a SPNEGO
   * challenge once, and replaces a refused delegation token it fetched
   * itself once. Errors leave without any secret in them.
   */
  async #authenticated(
    endpoint: NameNodeEndpoint,
    call: CallSpec,
    context: Context,
    resendable: boolean,
  ): Promise<ExchangeResponse> {
    try {
      return await this.#withCredentials(endpoint, call, context, resendable);
    } catch (error) {
      throw redactError(error, this.#auth.secrets);
    }
  }

  async #withCredentials(
    endpoint: NameNodeEndpoint,
    call: CallSpec,
    context: Context,
    resendable: boolean,
  ): Promise<ExchangeResponse> {
    let plan = await this.#auth.plan(call.op, endpoint);
    try {
      let res = await this.#sendPlanned(endpoint, call, context, plan);
      if (
        res.status === 401 &&
        plan.basic === true &&
        resendable &&
        this.#auth.basicRefused()
      ) {
        res.body.resume();
        debug('%s %s: login refused; trying the password read again', call.op, call.path);
        plan = await this.#auth.plan(call.op, endpoint);
        res = await this.#sendPlanned(endpoint, call, context, plan);
      }
      const negotiable = this.#auth.canNegotiate && !plan.negotiated;
      if (res.status === 401 && negotiable && resendable) {
        res.body.resume();
        this.#auth.challenged(endpoint);
        debug('%s %s: %s asks for SPNEGO', call.op, call.path, endpoint.hostPort);
        plan = await this.#auth.plan(call.op, endpoint, true);
        res = await this.#sendPlanned(endpoint, call, context, plan);
      }
      if (res.status === 401) throw refusal(res, plan, this.#auth.canNegotiate);
      return res;
    } catch (error) {
      const { token } = plan;
      const renewable = token !== undefined && isRemoteException(error, 'InvalidToken');
      if (!renewable || !resendable || !this.#auth.tokenRefused(token)) throw error;
      debug('%s %s: delegation token refused; fetching a new one', call.op, call.path);
      plan = await this.#auth.plan(call.op, endpoint);
      return this.#sendPlanned(endpoint, call, context, plan);
    }
  }

  async #sendPlanned(
    endpoint: NameNodeEndpoint,
    call: CallSpec,
    context: Context,
    plan: AuthPlan,
  ): Promise<ExchangeResponse> {
    const url = this.#nameNodeUrl(endpoint, call, plan.params);
    // A 401 is read here only when SPNEGO could answer it; else it is an error below.
    const accepted = [...(call.accepted ?? [200, 307]), 401];
    const check = (res: ExchangeResponse) => this.#auth.checkReply(plan, res);
    try {
      return await this.#send(url, { ...call, accepted }, context, plan.headers, check);
    } finally {
      // An error, a timeout or an abort before the reply was checked.
      this.#auth.release(plan);
    }
  }

  async #send(
    url: URL,
    call: CallSpec,
    context: Context,
    authHeaders: Readonly<Record<string, string>>,
    checkAnswer?: (res: ExchangeResponse) => Promise<void>,
  ): Promise<ExchangeResponse> {
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
      headers: {
        ...authHeaders,
        ...(call.body === undefined
          ? {}
          : { 'content-type': 'application/octet-stream' }),
      },
      signal: call.signal,
      ...(call.body === undefined ? {} : { body: call.body }),
    });
    // Before anything of the answer is believed, an error included.
    await checkAnswer?.(res);
    if ((call.accepted ?? [200, 307]).includes(res.status)) return res;
    if (res.status >= 400) throw await errorFromResponse(res.body, context);
    res.body.resume();
    throw new WebHdfsProtocolError(
      context,
      res.status,
      'status not expected for this operation',
    );
  }

  #nameNodeUrl(
    endpoint: NameNodeEndpoint,
    call: CallSpec,
    auth: Readonly<Record<string, string>>,
  ): URL {
    const query = new URLSearchParams({ op: call.op });
    for (const [key, value] of Object.entries({ ...call.params, ...auth })) {
      if (value !== undefined) query.set(key, String(value));
    }
    const path = `${endpoint.basePath}${encodeHdfsPath(call.path)}`;
    return new URL(`${endpoint.origin}${path}?${query.toString()}`);
  }
}

type Context = WebHdfsRequestContext;
