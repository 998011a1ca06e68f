/**
 * What the GSSAPI agent (gss-agent.ts) and its process (gss-agent-main.ts)
 * say to each other: one JSON request a line on the agent's stdin, one JSON
 * answer a line on its stdout, matched by `id`. A client context that
 * waits for its server's reply token is kept in the agent process under
 * the id of the request that opened it, until `verify` or `release`.
 */

export type AgentRequest =
  | {
      readonly id: number;
      readonly op: 'initiate';
      readonly service: string;
      readonly principal?: string;
      /** Asks the server to prove itself; the context is then kept under `id`. */
      readonly mutual?: boolean;
    }
  | {
      readonly id: number;
      readonly op: 'accept';
      readonly service: string;
      readonly token: string;
    }
  | {
      readonly id: number;
      readonly op: 'verify';
      readonly context: number;
      readonly token: string;
    }
  | { readonly id: number; readonly op: 'release'; readonly context: number }
  | { readonly id: number; readonly op: 'count' };

/** The fields an answer may carry, by request (see GssAgent's methods). */
export interface AgentResult {
  readonly token?: string;
  readonly principal?: string;
  /** `initiate` with `mutual`: the id under which the context is kept. */
  readonly context?: number;
  /** `verify`: why the server's reply token did not prove its identity. */
  readonly refused?: string;
  /** `count`: the contexts the agent keeps. */
  readonly open?: number;
}

export type AgentAnswer =
  | ({ readonly id: number } & AgentResult)
  | {
      readonly id: number;
      readonly error: {
        readonly kind: 'unavailable' | 'credentials';
        readonly message: string;
      };
    };
