/**
 * Security on, as a kerberized cluster has it (webhdfs-reference.md
 * section 8). At the NameNode, a `delegation` parameter skips SPNEGO
 * (AuthFilter) and the token names the user; otherwise the request needs
 * `Authorization: Negotiate`, checked through the same `kerberos` binding
 * the client uses, with the service keytab; without it the answer is a 401
 * challenge, and with it the answer carries the service's reply token. At
 * the DataNode only a delegation token is accepted: the one the NameNode
 * put in the redirect.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GssAgent } from '../hdfs/gss-agent.js';
import { shortName } from '../hdfs/kerberos-options.js';
import type { DevHdfsKerberosOptions } from './dev-hdfs-options.js';
import { DelegationTokenTable } from './delegation-token-table.js';
import { HadoopException } from './hadoop-exception.js';
import { sendHtml } from './http-replies.js';
import type { WebHdfsParams } from './request-params.js';

/** Ops the Java client sends with SPNEGO only (RES/GetOpParam, PutOpParam). */
const TOKEN_OPS = new Set([
  'GETDELEGATIONTOKEN',
  'RENEWDELEGATIONTOKEN',
  'CANCELDELEGATIONTOKEN',
]);

export class DevSecurity {
  readonly tokens: DelegationTokenTable;
  readonly #agent: GssAgent;
  readonly #service: string;

  constructor(options: Required<DevHdfsKerberosOptions>) {
    this.tokens = new DelegationTokenTable({
      renewIntervalMs: options.tokenRenewIntervalMs,
      maxLifetimeMs: options.tokenMaxLifetimeMs,
    });
    this.#agent = new GssAgent({ serverKeytab: options.keytab });
    // `HTTP/host` → GSSAPI's `HTTP@host`; empty accepts any key of the keytab.
    this.#service = options.servicePrincipal.replace('/', '@');
  }

  /**
   * The user a request acts as, or undefined once it has been answered (a
   * 401 challenge, or a 403 for credentials that do not hold). Throws a
   * HadoopException for a token the NameNode refuses.
   */
  async authenticate(
    role: 'namenode' | 'datanode',
    req: IncomingMessage,
    res: ServerResponse,
    params: WebHdfsParams,
  ): Promise<string | undefined> {
    const token = params.get('delegation');
    if (role === 'datanode') {
      if (token === undefined || token === '') {
        throw new HadoopException(
          'SecurityException',
          'Failed to obtain user group information: no delegation token',
        );
      }
      return this.tokens.verify(token);
    }
    if (token !== undefined && token !== '') {
      if (TOKEN_OPS.has(params.op())) {
        throw new HadoopException(
          'IllegalArgumentException',
          'delegation parameter is not null.',
        );
      }
      return this.tokens.verify(token);
    }

    const header = req.headers.authorization ?? '';
    const match = /^Negotiate\s+(\S+)$/i.exec(header);
    if (match === null) {
      res.setHeader('WWW-Authenticate', 'Negotiate');
      sendHtml(res, 401, 'Unauthorized', 'Authentication required');
      return undefined;
    }
    let accepted: { token: string; principal: string };
    try {
      accepted = await this.#agent.accept(this.#service, match[1] ?? '');
    } catch (error) {
      // Hadoop's AuthenticationFilter answers a failed SPNEGO exchange with 403.
      const detail = error instanceof Error ? error.message : String(error);
      sendHtml(res, 403, 'Forbidden', escapeHtml(`GSSException: ${detail}`));
      return undefined;
    }
    // KerberosAuthenticationHandler sends its reply token with the answer
    // itself: the client's proof that it reached the service it asked for,
    // when it asked for mutual authentication (otherwise there is none).
    if (accepted.token !== '')
      res.setHeader('WWW-Authenticate', `Negotiate ${accepted.token}`);
    return shortName(accepted.principal);
  }

  close(): void {
    this.#agent.close();
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[<>&]/g, (char) => `&#${char.charCodeAt(0)};`);
}
