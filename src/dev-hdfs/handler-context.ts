/**
 * What the request handlers of one server need from it. The server passes a
 * live view, so fault and HA changes apply to the next request.
 */
import type { DevNamespace } from './dev-namespace.js';
import type { DevSecurity } from './dev-security.js';
import type { FaultSwitchboard } from './faults.js';
import type { HaState, NameNodeState } from './namenode-state.js';
import type { ProxyUsers } from './proxy-users.js';
import type { WriteAccess } from './write-access.js';

export interface HandlerContext {
  readonly namespace: DevNamespace;
  readonly faults: FaultSwitchboard;
  /** How long an abandoned file stays under construction before its lease is recovered. */
  readonly leaseSoftLimitMs: number;
  /** The server's host: the DataNode's client machine, the NameNode's host name. */
  readonly hostName: string;
  /** This server's NameNode HA state. */
  readonly haState: HaState;
  /** `namenoderpcaddress`: the nameservice id in an HA pair, else `host:port`. */
  readonly nameNodeAddress: string;
  /** Base URL of this server's NameNode (or gateway) endpoint. */
  readonly nameNodeUrl: string;
  /** Base URL of this server's DataNode endpoint. */
  readonly dataNodeUrl: string;
  /** Kerberos and delegation tokens, when security is on. */
  readonly security: DevSecurity | undefined;
  /** Name-and-password logins the gateway (or NameNode) requires, if any. */
  readonly basicLogins: ReadonlyMap<string, string> | undefined;
  /** Whom each proxy user may act for with `doas`; every `doas` is allowed when undefined. */
  readonly proxyUsers: ProxyUsers | undefined;
  /** Reports an error that is the server's fault, not the client's. */
  reportInternalError(error: unknown): void;
}

/** The state NameNode checks see when this server's NameNode handles a call. */
export function nameNodeState(context: HandlerContext): NameNodeState {
  return {
    haState: context.haState,
    safeMode: context.faults.get('safeMode') === true,
    hostName: context.hostName,
  };
}

/**
 * The state the NameNode checks see when a DataNode (or a gateway) writes:
 * its DFSClient fails over to whichever NameNode of the namespace is active,
 * so it is refused as standby only when none is.
 */
export function writerNameNodeState(context: HandlerContext): NameNodeState {
  return {
    haState: context.namespace.hasActiveNameNode() ? 'active' : 'standby',
    safeMode: context.faults.get('safeMode') === true,
    hostName: context.hostName,
  };
}

/** The `denyWrite` fault as the namespace checks it, when it is on. */
export function writeAccess(
  context: HandlerContext,
  user: string,
): WriteAccess | undefined {
  const denied = context.faults.get('denyWrite');
  return denied === undefined ? undefined : { user, denied };
}
