/**
 * How each NameNode request proves who sends it (webhdfs-reference.md
 * section 8): a delegation token when there is one; else SPNEGO
 * (`Authorization: Negotiate`) when Kerberos is configured, at once for the
 * token operations and for a NameNode that has asked for it before, or
 * after its 401; else a gateway's Basic login when one is configured; else
 * `user.name`. SPNEGO asks the server to prove itself in its answer
 * (spnego-reply.ts). The secrets involved are kept here so that errors can
 * be cleaned of them.
 */
import { debuglog } from 'node:util';
import { WebHdfsAuthError } from '../errors.js';
import {
  basicAuthorization,
  readPassword,
  type ResolvedBasicAuth,
} from './basic-auth.js';
import { DelegationTokens, type TokenOperations } from './delegation-tokens.js';
import { GssAgent } from './gss-agent.js';
import { serviceNameFor, shortName, type ResolvedKerberos } from './kerberos-options.js';
import { verifyNegotiateReply } from './spnego-reply.js';
import { TicketCacheRenewer } from './ticket-cache-renewal.js';
import type { ExchangeResponse } from './http-exchange.js';
import type { NameNodeEndpoint } from './namenode-url.js';
import type { ResolvedClientOptions } from './webhdfs-client-options.js';

const debug = debuglog('hdfs-log-transport');

/** Hadoop's client sends these with SPNEGO, never with a token (RES/GetOpParam). */
const TOKEN_OPS = new Set([
  'GETDELEGATIONTOKEN',
  'RENEWDELEGATIONTOKEN',
  'CANCELDELEGATIONTOKEN',
]);

/** Authorization values kept for redaction: enough for the requests in flight. */
const RECENT_HEADERS = 32;

export interface AuthPlan {
  /** Query parameters: `delegation`, or `user.name` and `doas`. */
  readonly params: Record<string, string>;
  readonly headers: Record<string, string>;
  /** The delegation token sent, if any. */
  readonly token: string | undefined;
  /** Whether SPNEGO credentials were sent. */
  readonly negotiated: boolean;
  /**
   * With SPNEGO, the Kerberos context awaiting the server's reply token:
   * given to {@link RequestAuth.checkReply}, or to
   * {@link RequestAuth.release} whatever happens to the request.
   */
  readonly context?: number | undefined;
  /** Whether a Basic login was sent. */
  readonly basic?: boolean;
}

export class RequestAuth {
  readonly #options: ResolvedClientOptions;
  readonly #kerberos: ResolvedKerberos | undefined;
  readonly #agent: GssAgent | undefined;
  readonly #renewer: TicketCacheRenewer | undefined;
  readonly #tokens: DelegationTokens;
  readonly #challenged = new Set<string>();
  readonly #secrets = new Set<string>();
  readonly #basic: ResolvedBasicAuth | undefined;
  readonly #nameNodeOrigins: ReadonlySet<string>;
  #basicHeader: string | undefined;
  #principal: string | undefined;

  constructor(options: ResolvedClientOptions, ops: TokenOperations) {
    this.#options = options;
    const kerberos = options.kerberos;
    this.#kerberos = kerberos;
    this.#agent =
      kerberos === undefined
        ? undefined
        : new GssAgent({
            clientKeytab: kerberos.keytab,
            ticketCache: kerberos.ticketCache,
          });
    this.#renewer = kerberos?.renewTicketCache
      ? new TicketCacheRenewer({ cache: kerberos.ticketCache })
      : undefined;
    this.#basic = options.basicAuth;
    this.#nameNodeOrigins = new Set(options.namenodes.map((node) => node.origin));
    if (this.#basic !== undefined) this.#useBasic(this.#basic.password);
    this.#tokens = new DelegationTokens(ops, {
      given: options.delegationToken,
      fetch: kerberos?.delegationTokens ?? false,
    });
  }

  /** Whether a 401 can be answered with SPNEGO. */
  get canNegotiate(): boolean {
    return this.#kerberos !== undefined;
  }

  /** Tokens and Authorization values that must never be shown. */
  get secrets(): Iterable<string> {
    return [...this.#tokens.secrets, ...this.#secrets];
  }

  /** Decides the credentials of one request; `negotiate` forces SPNEGO (after a 401). */
  async plan(
    op: string,
    endpoint: NameNodeEndpoint,
    negotiate = false,
  ): Promise<AuthPlan> {
    const tokenOp = TOKEN_OPS.has(op);
    const token = tokenOp ? undefined : await this.#tokens.current();
    if (token !== undefined) {
      // With a token Hadoop ignores user.name and doas (JspHelper): send only the token.
      return { params: { delegation: token }, headers: {}, token, negotiated: false };
    }
    const params: Record<string, string> = {};
    const { user, doAs } = this.#options;
    // With Kerberos the user is the principal, behind a gateway login the
    // login's name: user.name would only be ignored.
    const named = this.#kerberos === undefined && this.#basicHeader === undefined;
    if (user !== undefined && named) params['user.name'] = user;
    if (doAs !== undefined) params.doas = doAs;
    if (this.#basicHeader !== undefined) {
      const headers = { authorization: this.#basicHeader };
      return { params, headers, token: undefined, negotiated: false, basic: true };
    }
    const spnego =
      this.#kerberos !== undefined &&
      (tokenOp || negotiate || this.#challenged.has(endpoint.origin));
    if (!spnego) return { params, headers: {}, token: undefined, negotiated: false };

    const { authorization, context } = await this.#negotiate(endpoint);
    if (op === 'GETDELEGATIONTOKEN' && this.#principal !== undefined) {
      // Without a renewer the NameNode refuses every renewal of the token.
      params.renewer = shortName(this.#principal);
    }
    const headers = { authorization };
    return { params, headers, token: undefined, negotiated: true, context };
  }

  /**
   * Checks the server's SPNEGO reply token in an answer to `plan` (not a
   * 401: that one was refused). Rejects when the server failed to prove its
   * identity.
   */
  async checkReply(plan: AuthPlan, res: ExchangeResponse): Promise<void> {
    if (plan.context === undefined || res.status === 401) return;
    await verifyNegotiateReply(this.#agent as GssAgent, plan.context, res, (reply) =>
      this.remember(reply),
    );
  }

  /** Frees the Kerberos context of `plan`, if its reply was not checked. */
  release(plan: AuthPlan): void {
    if (plan.context !== undefined) this.#agent?.release(plan.context);
  }

  /** Kerberos contexts awaiting a reply: none once the requests have ended. */
  kerberosContexts(): Promise<number> {
    return this.#agent?.openContexts() ?? Promise.resolve(0);
  }

  /**
   * Headers for a DataNode step at `url`: the Basic login only when the
   * redirect stays on a NameNode or gateway address (Knox sends data through
   * itself), never to another host.
   */
  dataNodeHeaders(url: URL): Record<string, string> {
    if (this.#basicHeader === undefined || !this.#nameNodeOrigins.has(url.origin)) {
      return {};
    }
    return { authorization: this.#basicHeader };
  }

  /**
   * The gateway refused the Basic login: reads the password file again and
   * says whether the password changed, and a retry is worth it.
   */
  basicRefused(): boolean {
    const basic = this.#basic;
    if (basic?.passwordFile === undefined) return false;
    let password: string;
    try {
      password = readPassword(basic.passwordFile);
    } catch {
      return false;
    }
    const before = this.#basicHeader;
    this.#useBasic(password);
    return this.#basicHeader !== before;
  }

  /** Records that a NameNode asked for SPNEGO: later requests send it at once. */
  challenged(endpoint: NameNodeEndpoint): void {
    this.#challenged.add(endpoint.origin);
  }

  /** A request with `token` was refused; true when a new token is worth a retry. */
  tokenRefused(token: string): boolean {
    return this.#tokens.refused(token);
  }

  /** Whether `token` is the operator's (its refusal needs the operator). */
  isGivenToken(token: string): boolean {
    return this.#tokens.isGiven(token);
  }

  /** Keeps a secret met elsewhere (the token a NameNode put in a DataNode URL). */
  remember(secret: string): void {
    if (this.#secrets.size >= RECENT_HEADERS) {
      const oldest = this.#secrets.values().next().value;
      if (oldest !== undefined) this.#secrets.delete(oldest);
    }
    this.#secrets.add(secret);
  }

  /**
   * Cancels the delegation token this client fetched, if it holds one (never
   * the operator's): true when it did. Called on close, before {@link close}.
   */
  cancelToken(signal?: AbortSignal): Promise<boolean> {
    return this.#tokens.cancel(signal);
  }

  close(): void {
    this.#renewer?.stop();
    this.#agent?.close();
  }

  #useBasic(password: string): void {
    const basic = this.#basic as ResolvedBasicAuth;
    const header = basicAuthorization(basic.user, password);
    this.#basicHeader = header;
    this.remember(header.slice('Basic '.length));
    this.remember(password);
  }

  async #negotiate(
    endpoint: NameNodeEndpoint,
  ): Promise<{ authorization: string; context: number | undefined }> {
    const kerberos = this.#kerberos as ResolvedKerberos;
    const agent = this.#agent as GssAgent;
    // From the first use on: a client that never negotiates never runs klist.
    this.#renewer?.start();
    const service = serviceNameFor(kerberos, new URL(endpoint.origin).hostname);
    const { token, principal, context } = await agent.initiateMutual(
      service,
      kerberos.principal,
    );
    if (principal !== '' && principal !== this.#principal) {
      debug('SPNEGO as %s for %s', principal, service);
      this.#principal = principal;
    }
    this.remember(token);
    return { authorization: `Negotiate ${token}`, context };
  }
}

/** The error for a 401 that SPNEGO did not, or could not, answer. */
export function refusal(
  res: ExchangeResponse,
  plan: AuthPlan,
  canNegotiate: boolean,
): WebHdfsAuthError {
  const offered = res.headers['www-authenticate'] ?? '';
  res.body.resume();
  if (plan.negotiated) {
    return new WebHdfsAuthError(
      res.context,
      401,
      'the Kerberos credentials were refused',
    );
  }
  if (plan.basic === true) {
    return new WebHdfsAuthError(
      res.context,
      401,
      'the user name and password of webhdfs.basicAuth were refused',
    );
  }
  if (/^\s*basic\b/i.test(offered)) {
    return new WebHdfsAuthError(
      res.context,
      401,
      'the gateway requires a user name and password (WWW-Authenticate: Basic); ' +
        'set webhdfs.basicAuth',
    );
  }
  if (/negotiate/i.test(offered) && !canNegotiate) {
    return new WebHdfsAuthError(
      res.context,
      401,
      'the cluster requires Kerberos (WWW-Authenticate: Negotiate); set webhdfs.kerberos',
    );
  }
  return new WebHdfsAuthError(res.context, 401, 'authentication required');
}
