/**
 * The GSSAPI agent process (see gss-agent.ts): it loads the optional
 * `kerberos` binding and answers one JSON request per line on stdin with one
 * JSON answer per line on stdout. It runs in its own process because MIT
 * Kerberos finds its credentials through environment variables
 * (`KRB5CCNAME`, `KRB5_CLIENT_KTNAME`, `KRB5_KTNAME`), which a worker thread
 * cannot set for the native library, and which must not change for the
 * whole application. It exits when stdin closes, and its contexts with it.
 */
import { createInterface } from 'node:readline';
import type { AgentAnswer, AgentRequest, AgentResult } from './gss-agent-protocol.js';

interface Client {
  /** Empty until the context is complete. */
  readonly username: string;
  readonly contextComplete: boolean;
  step(challenge: string): Promise<string>;
}

interface Binding {
  readonly GSS_MECH_OID_KRB5: number;
  readonly GSS_C_MUTUAL_FLAG: number;
  readonly GSS_C_SEQUENCE_FLAG: number;
  readonly GSS_C_REPLAY_FLAG: number;
  initializeClient(
    service: string,
    // `flags`, as the native code reads it (the package's typings say gssFlag).
    options: { principal?: string; mechOID?: number; flags?: number },
  ): Promise<Client>;
  initializeServer(service: string): Promise<{
    username: string;
    response: string;
    step(challenge: string): Promise<string>;
  }>;
}

/** Loads the binding, or says in words what is missing. */
async function loadBinding(): Promise<Binding | string> {
  try {
    // A specifier in a variable: the optional package need not be there to type-check.
    const name = 'kerberos';
    const loaded = (await import(name)) as { default?: Binding } & Binding;
    return loaded.default ?? loaded;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && /'kerberos'/.test(text)) {
      return (
        'the optional package "kerberos" is not installed ' +
        '(npm install kerberos@7.0.0; it builds against libkrb5-dev)'
      );
    }
    if (/\.so(\.\d+)*\b/.test(text)) {
      return (
        'the "kerberos" package cannot load the system\'s Kerberos library ' +
        `(install libgssapi-krb5-2 and libkrb5-3): ${firstLine(text)}`
      );
    }
    return (
      'the "kerberos" package is installed but cannot be loaded (was its native part ' +
      `built? npm rebuild kerberos): ${firstLine(text)}`
    );
  }
}

type Outcome =
  | AgentResult
  | { readonly kind: 'unavailable' | 'credentials'; readonly message: string };

/**
 * Client contexts waiting for their server's reply token, by the id of the
 * request that opened them. Dropping one frees it: the binding deletes the
 * GSSAPI context when the object is collected.
 */
const contexts = new Map<number, Client>();

async function answer(
  binding: Binding | string,
  request: AgentRequest,
): Promise<Outcome> {
  if (request.op === 'release') {
    contexts.delete(request.context);
    return {};
  }
  if (request.op === 'count') return { open: contexts.size };
  if (typeof binding === 'string') return { kind: 'unavailable', message: binding };
  try {
    if (request.op === 'initiate') return await initiate(binding, request);
    if (request.op === 'verify') return await verify(request);
    const server = await binding.initializeServer(request.service);
    await server.step(request.token);
    return { principal: server.username, token: server.response };
  } catch (error) {
    // GSSAPI messages name principals and files, never keys or tickets.
    return { kind: 'credentials', message: firstLine(messageOf(error)) };
  }
}

/**
 * A raw Kerberos token, as Hadoop's own KerberosAuthenticator sends. With
 * `mutual`, the context is kept until the server's reply token completes it.
 */
async function initiate(
  binding: Binding,
  request: Extract<AgentRequest, { op: 'initiate' }>,
): Promise<AgentResult> {
  const client = await initializeClient(binding, request, request.mutual === true);
  const token = await client.step('');
  if (client.contextComplete) return { token, principal: client.username };
  const principal = request.principal ?? (await defaultPrincipal(binding, request));
  contexts.set(request.id, client);
  return { token, principal, context: request.id };
}

/**
 * GSSAPI names the client only once a context is complete, and a mutual
 * one completes with the server's reply: a second context without mutual
 * authentication, whose token is never sent, names it now (the ticket is
 * in the cache already, so the KDC is not asked again).
 */
async function defaultPrincipal(
  binding: Binding,
  request: Extract<AgentRequest, { op: 'initiate' }>,
): Promise<string> {
  const probe = await initializeClient(binding, request, false);
  await probe.step('');
  return probe.username;
}

function initializeClient(
  binding: Binding,
  request: Extract<AgentRequest, { op: 'initiate' }>,
  mutual: boolean,
): Promise<Client> {
  const flags = binding.GSS_C_SEQUENCE_FLAG | binding.GSS_C_REPLAY_FLAG;
  return binding.initializeClient(request.service, {
    ...(request.principal === undefined ? {} : { principal: request.principal }),
    mechOID: binding.GSS_MECH_OID_KRB5,
    flags: mutual ? flags | binding.GSS_C_MUTUAL_FLAG : flags,
  });
}

/** Completes a kept context with the server's reply token, and forgets it. */
async function verify(
  request: Extract<AgentRequest, { op: 'verify' }>,
): Promise<Outcome> {
  const client = contexts.get(request.context);
  contexts.delete(request.context);
  if (client === undefined) {
    return {
      kind: 'unavailable',
      message: `no client context ${request.context} is kept (released already?)`,
    };
  }
  try {
    await client.step(request.token);
  } catch (error) {
    return { refused: firstLine(messageOf(error)) };
  }
  // SPNEGO over HTTP has no further leg: a context still incomplete proves nothing.
  if (!client.contextComplete) return { refused: 'the context is still incomplete' };
  return {};
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

const binding = await loadBinding();
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const request = JSON.parse(line) as AgentRequest;
  const result = await answer(binding, request);
  const reply: AgentAnswer =
    'kind' in result ? { id: request.id, error: result } : { id: request.id, ...result };
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
