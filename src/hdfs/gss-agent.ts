/**
 * A GSSAPI agent: a child process (gss-agent-main.ts) running the optional
 * `kerberos` binding with its own Kerberos environment. One agent serves one
 * identity: a client with its keytab or ticket cache, or the dev server with
 * its service keytab. It is started on first use and does not keep the
 * application alive while it has nothing to do.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { KerberosError } from '../errors.js';
import type { AgentAnswer, AgentRequest, AgentResult } from './gss-agent-protocol.js';

/**
 * A client context kept in the agent until the server's reply token is
 * checked ({@link GssAgent.verify}) or given up ({@link GssAgent.release}).
 */
export interface MutualInitiation {
  /** The first token, for `Authorization: Negotiate`. */
  readonly token: string;
  readonly principal: string;
  /** The context's id; undefined when the exchange completed at once. */
  readonly context: number | undefined;
}

/** What the server's reply token proved. */
export type ReplyCheck =
  { readonly verified: true } | { readonly verified: false; readonly reason: string };

/** Where the agent's Kerberos library finds its credentials. */
export interface AgentCredentials {
  /** Client keytab (KRB5_CLIENT_KTNAME); the tickets then live in the agent's memory. */
  readonly clientKeytab?: string | undefined;
  /** Ticket cache (KRB5CCNAME). */
  readonly ticketCache?: string | undefined;
  /** Acceptor keytab (KRB5_KTNAME), for a server. */
  readonly serverKeytab?: string | undefined;
}

const MAIN = fileURLToPath(new URL('./gss-agent-main.js', import.meta.url));

type Child = ChildProcessByStdio<Writable, Readable, Readable>;
interface Pending {
  resolve(answer: AgentResult): void;
  reject(error: Error): void;
}

export class GssAgent {
  readonly #env: NodeJS.ProcessEnv;
  readonly #pending = new Map<number, Pending>();
  /** The contexts kept, each with the agent process that keeps it. */
  readonly #contexts = new Map<number, Child>();
  #child: Child | undefined;
  #nextId = 1;
  #stderr = '';

  constructor(credentials: AgentCredentials) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (credentials.clientKeytab !== undefined) {
      env.KRB5_CLIENT_KTNAME = credentials.clientKeytab;
      // A private in-memory cache: tickets got from the keytab never touch the disk.
      env.KRB5CCNAME = `MEMORY:hlt-${randomBytes(6).toString('hex')}`;
    }
    if (credentials.ticketCache !== undefined) env.KRB5CCNAME = credentials.ticketCache;
    if (credentials.serverKeytab !== undefined)
      env.KRB5_KTNAME = credentials.serverKeytab;
    this.#env = env;
  }

  /**
   * A first SPNEGO token for `service` (`HTTP@host`), and the client
   * principal; the server is not asked to prove itself.
   */
  async initiate(
    service: string,
    principal?: string,
  ): Promise<{ token: string; principal: string }> {
    const answer = await this.#ask({
      id: this.#nextId++,
      op: 'initiate',
      service,
      ...(principal === undefined ? {} : { principal }),
    });
    return { token: answer.token ?? '', principal: answer.principal ?? '' };
  }

  /**
   * A first SPNEGO token that asks `service` to prove itself
   * (GSS_C_MUTUAL_FLAG). Its context stays in the agent until the caller
   * gives the server's reply to {@link verify} or calls {@link release}.
   */
  async initiateMutual(service: string, principal?: string): Promise<MutualInitiation> {
    const child = this.#child ?? this.#start();
    const request: AgentRequest = {
      id: this.#nextId++,
      op: 'initiate',
      service,
      mutual: true,
      ...(principal === undefined ? {} : { principal }),
    };
    const answer = await this.#ask(request, child);
    const { context } = answer;
    // A context lives as long as its agent process: one that has ended took it along.
    if (context !== undefined && child === this.#child)
      this.#contexts.set(context, child);
    return { token: answer.token ?? '', principal: answer.principal ?? '', context };
  }

  /**
   * Gives the server's reply token to the context it answers, which is then
   * released; resolves with whether it proved the server's identity. Rejects
   * only when the agent cannot say (it ended, or was closed).
   */
  async verify(context: number, token: string): Promise<ReplyCheck> {
    const child = this.#contexts.get(context);
    this.#contexts.delete(context);
    if (child === undefined || child !== this.#child) {
      throw new KerberosError(
        'unavailable',
        "the Kerberos agent ended before the server's reply could be checked",
      );
    }
    const answer = await this.#ask({ id: this.#nextId++, op: 'verify', context, token });
    const { refused } = answer;
    return refused === undefined
      ? { verified: true }
      : { verified: false, reason: refused };
  }

  /** Frees a context whose reply will not be checked; a second call does nothing. */
  release(context: number): void {
    const child = this.#contexts.get(context);
    if (child === undefined) return;
    this.#contexts.delete(context);
    if (child !== this.#child) return;
    // Nothing awaits the answer: a release cannot fail in a way worth reporting.
    const request: AgentRequest = { id: this.#nextId++, op: 'release', context };
    child.stdin.write(`${JSON.stringify(request)}\n`);
  }

  /** How many contexts the agent keeps (none when it is not running). */
  async openContexts(): Promise<number> {
    if (this.#child === undefined) return 0;
    const answer = await this.#ask({ id: this.#nextId++, op: 'count' });
    return answer.open ?? 0;
  }

  /** Checks a client's SPNEGO token; resolves with its principal and the reply token. */
  async accept(
    service: string,
    token: string,
  ): Promise<{ token: string; principal: string }> {
    const answer = await this.#ask({ id: this.#nextId++, op: 'accept', service, token });
    return { token: answer.token ?? '', principal: answer.principal ?? '' };
  }

  /** Ends the agent; requests in flight reject, and its contexts are gone. */
  close(): void {
    const child = this.#child;
    this.#child = undefined;
    child?.stdin.end();
    child?.kill();
    this.#contexts.clear();
    this.#failAll('the Kerberos agent was closed');
  }

  #ask(
    request: AgentRequest,
    child = this.#child ?? this.#start(),
  ): Promise<AgentResult> {
    return new Promise((resolve, reject) => {
      this.#pending.set(request.id, { resolve, reject });
      this.#hold(true);
      child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  #start(): Child {
    const child = spawn(process.execPath, [MAIN], {
      env: this.#env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child = child;
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
        this.#settle(JSON.parse(buffered.slice(0, end)) as AgentAnswer);
        buffered = buffered.slice(end + 1);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-2000);
    });
    child.stdin.on('error', () => {
      // The agent died; 'exit' below reports it to every request.
    });
    child.on('error', (error) =>
      this.#failAll(`the Kerberos agent failed: ${error.message}`),
    );
    child.on('exit', (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      for (const [context, keeper] of this.#contexts) {
        if (keeper === child) this.#contexts.delete(context);
      }
      const why = this.#stderr.trim().split('\n').at(-1) ?? '';
      this.#failAll(
        `the Kerberos agent exited (${signal ?? code ?? '?'})${why ? `: ${why}` : ''}`,
      );
    });
    return child;
  }

  #settle(answer: AgentAnswer): void {
    const pending = this.#pending.get(answer.id);
    if (pending === undefined) return;
    this.#pending.delete(answer.id);
    if (this.#pending.size === 0) this.#hold(false);
    if ('error' in answer) {
      pending.reject(
        new KerberosError(answer.error.kind, `Kerberos: ${answer.error.message}`),
      );
      return;
    }
    pending.resolve(answer);
  }

  #failAll(message: string): void {
    for (const pending of this.#pending.values()) {
      pending.reject(new KerberosError('unavailable', message));
    }
    this.#pending.clear();
  }

  /** Keeps the process alive only while an answer is awaited. */
  #hold(busy: boolean): void {
    const child = this.#child;
    if (child === undefined) return;
    for (const handle of [child, child.stdout, child.stderr, child.stdin] as const) {
      const socket = handle as { ref?: () => void; unref?: () => void };
      if (busy) socket.ref?.();
      else socket.unref?.();
    }
  }
}
