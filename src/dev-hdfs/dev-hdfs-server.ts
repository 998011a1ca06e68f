/**
 * The dev WebHDFS server: a NameNode endpoint and a DataNode endpoint (or one
 * gateway endpoint) over a {@link DevNamespace}, with fault injection. It is a
 * development and test tool that behaves on the wire like Hadoop 3
 * (webhdfs-reference.md); production points at real HDFS.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAdminHandler } from './admin-endpoint.js';
import {
  advertisedHost,
  checkHaState,
  resolveDevHdfsOptions,
  type DevHdfsOptions,
  type ResolvedDevHdfsOptions,
} from './dev-hdfs-options.js';
import { DevNamespace } from './dev-namespace.js';
import { FaultSwitchboard, type DevHdfsFaults } from './faults.js';
import type { HandlerContext } from './handler-context.js';
import type { HaState } from './namenode-state.js';
import {
  serveRequest,
  type DevHdfsRequestEvent,
  type EndpointRole,
} from './request-dispatch.js';
import { DevSecurity } from './dev-security.js';
import { RoleListener } from './role-listener.js';

export type { DevHdfsOptions } from './dev-hdfs-options.js';
export type { DevHdfsRequestEvent } from './request-dispatch.js';

export interface DevHdfsServerEvents {
  /** A request was answered or its connection closed. */
  request: [DevHdfsRequestEvent];
  /** The server failed by itself (local I/O, a bug); the client got a 500. */
  internalError: [Error];
  /**
   * A `refuse` change could not take effect (e.g. the port was taken
   * meanwhile); {@link DevHdfsServer.settle} rejects with it too. Without a
   * listener it becomes a process warning.
   */
  error: [Error];
}

export class DevHdfsServer extends EventEmitter<DevHdfsServerEvents> {
  readonly namespace: DevNamespace;
  readonly #options: ResolvedDevHdfsOptions;
  readonly #ownsNamespace: boolean;
  readonly #faults = new FaultSwitchboard();
  readonly #nameNode: RoleListener;
  readonly #dataNode: RoleListener | undefined;
  readonly #admin: RoleListener | undefined;
  readonly #closing = new AbortController();
  readonly #context: HandlerContext;
  readonly #security: DevSecurity | undefined;
  #haState: HaState;
  #refusing = false;
  #transitions: Promise<void> = Promise.resolve();

  private constructor(options: ResolvedDevHdfsOptions, namespace: DevNamespace) {
    super();
    this.namespace = namespace;
    this.#options = options;
    this.#ownsNamespace = options.namespace === undefined;
    this.#haState = options.haState;

    const role: EndpointRole = options.gateway ? 'gateway' : 'namenode';
    const { tls } = options;
    this.#nameNode = new RoleListener((req, res) => this.#serve(role, req, res), {
      handleExpect: true,
      tls,
    });
    this.#dataNode = options.gateway
      ? undefined
      : new RoleListener((req, res) => this.#serve('datanode', req, res), {
          handleExpect: true,
          tls,
        });
    this.#security =
      options.kerberos === undefined ? undefined : new DevSecurity(options.kerberos);
    this.#admin =
      options.adminPort === undefined
        ? undefined
        : new RoleListener(
            createAdminHandler(this, (error) => this.#reportInternalError(error)),
            { handleExpect: false },
          );
    this.#context = this.#createContext();
  }

  /** Starts a server; it listens when the promise resolves. */
  static async start(options: DevHdfsOptions): Promise<DevHdfsServer> {
    const resolved = resolveDevHdfsOptions(options);
    const namespace =
      resolved.namespace ?? (await DevNamespace.open({ root: resolved.root ?? '' }));
    const server = new DevHdfsServer(resolved, namespace);
    try {
      const { host } = resolved;
      await server.#nameNode.listen(host, resolved.port);
      await server.#dataNode?.listen(host, resolved.dataNodePort);
      await server.#admin?.listen(host, resolved.adminPort ?? 0);
      namespace.setServerState(server, server.#haState);
      server.setFaults(resolved.faults);
      await server.settle();
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  /** NameNode base URL, e.g. `http://127.0.0.1:41234`; WebHDFS is at `${url}/webhdfs/v1`. */
  get url(): string {
    return `${this.#scheme}://${advertisedHost(this.#options.host)}:${this.#nameNode.port}`;
  }

  /** `https` when serving TLS; the DataNode redirect keeps it, as Hadoop's does. */
  get #scheme(): string {
    return this.#options.tls === undefined ? 'http' : 'https';
  }

  /** DataNode base URL (the gateway's own URL in gateway mode). */
  get dataNodeUrl(): string {
    if (this.#dataNode === undefined) return this.url;
    return `${this.#scheme}://${advertisedHost(this.#options.host)}:${this.#dataNode.port}`;
  }

  /** Admin endpoint base URL, when `adminPort` was given. */
  get adminUrl(): string | undefined {
    if (this.#admin === undefined) return undefined;
    return `http://${advertisedHost(this.#options.host)}:${this.#admin.port}`;
  }

  /** The switches that are on now. */
  get faults(): Readonly<DevHdfsFaults> {
    return this.#faults.current;
  }

  get haState(): HaState {
    return this.#haState;
  }

  /** Merges fault switches; a switch set to undefined or false is cleared. */
  setFaults(faults: DevHdfsFaults): void {
    this.#faults.merge(faults);
    this.#syncRefusal();
  }

  clearFaults(): void {
    this.#faults.clear();
    this.#syncRefusal();
  }

  /**
   * Resolves once every fault change so far has taken effect: with `refuse`
   * the ports are closed, without it they listen again.
   */
  settle(): Promise<void> {
    return this.#transitions;
  }

  /** Makes this NameNode active or standby (its partner is not changed). */
  setHaState(state: HaState): void {
    this.#haState = checkHaState('state', state);
    this.namespace.setServerState(this, this.#haState);
  }

  /** Stops listening, destroys open connections, and resolves when done. */
  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    await this.#transitions.catch(() => undefined);
    await Promise.all([
      this.#nameNode.stop(),
      this.#dataNode?.stop(),
      this.#admin?.stop(),
    ]);
    this.namespace.setServerState(this, undefined);
    this.#security?.close();
    if (this.#ownsNamespace) this.namespace.close();
  }

  #syncRefusal(): void {
    const refuse = this.#faults.get('refuse') === true;
    if (refuse === this.#refusing || this.#closing.signal.aborted) return;
    this.#refusing = refuse;

    const listeners = [this.#nameNode, this.#dataNode];
    const step = async (): Promise<void> => {
      for (const listener of listeners)
        await (refuse ? listener?.stop() : listener?.resume());
    };
    this.#transitions = this.#transitions.then(step, step);
    this.#transitions.catch((error: unknown) => {
      if (this.listenerCount('error') > 0) this.emit('error', asError(error));
      else process.emitWarning(asError(error), { code: 'DEV_HDFS_LISTEN_ERROR' });
    });
  }

  #serve(role: EndpointRole, req: IncomingMessage, res: ServerResponse): void {
    const signal = this.#closing.signal;
    void serveRequest(this.#context, signal, role, req, res, (event) =>
      this.emit('request', event),
    );
  }

  /** Emits 'internalError', or warns on stderr when nobody listens, so it is never lost. */
  #reportInternalError(error: unknown): void {
    if (this.listenerCount('internalError') > 0)
      this.emit('internalError', asError(error));
    else process.emitWarning(asError(error), { code: 'DEV_HDFS_INTERNAL_ERROR' });
  }

  #createContext(): HandlerContext {
    const options = this.#options;
    const host = advertisedHost(options.host);
    const haState = (): HaState => this.#haState;
    const nameNodeAddress = (): string =>
      this.namespace.nameserviceId ?? `${host}:${this.#nameNode.port}`;
    const urls = (): { nameNode: string; dataNode: string } => ({
      nameNode: this.url,
      dataNode: this.dataNodeUrl,
    });
    return {
      namespace: this.namespace,
      faults: this.#faults,
      leaseSoftLimitMs: options.leaseSoftLimitMs,
      hostName: host.replace(/^\[|\]$/g, ''),
      get haState() {
        return haState();
      },
      get nameNodeAddress() {
        return nameNodeAddress();
      },
      get nameNodeUrl() {
        return urls().nameNode;
      },
      get dataNodeUrl() {
        return urls().dataNode;
      },
      security: this.#security,
      basicLogins: options.basicAuth,
      proxyUsers: options.proxyUsers,
      reportInternalError: (error) => this.#reportInternalError(error),
    };
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
