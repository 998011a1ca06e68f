/**
 * The GSSAPI agent process (see gss-agent.ts): it loads the optional
 * `kerberos` binding and answers one JSON request per line on stdin with one
 * JSON answer per line on stdout. It runs in its own process because MIT
 * Kerberos finds its credentials through environment variables
 * (`KRB5CCNAME`, `KRB5_CLIENT_KTNAME`, `KRB5_KTNAME`), which a worker thread
 * cannot set for the native library, and which must not change for the
 * whole application. It exits when stdin closes.
 */
import { createInterface } from 'node:readline';
import type { AgentAnswer, AgentRequest } from './gss-agent.js';

interface Binding {
  readonly GSS_MECH_OID_KRB5: number;
  readonly GSS_C_SEQUENCE_FLAG: number;
  readonly GSS_C_REPLAY_FLAG: number;
  initializeClient(
    service: string,
    // `flags`, as the native code reads it (the package's typings say gssFlag).
    options: { principal?: string; mechOID?: number; flags?: number },
  ): Promise<{ username: string; step(challenge: string): Promise<string> }>;
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
  | { readonly token: string; readonly principal: string }
  | { readonly kind: 'unavailable' | 'credentials'; readonly message: string };

async function answer(
  binding: Binding | string,
  request: AgentRequest,
): Promise<Outcome> {
  if (typeof binding === 'string') return { kind: 'unavailable', message: binding };
  try {
    if (request.op === 'initiate') {
      // A raw Kerberos token, as Hadoop's own KerberosAuthenticator sends, and
      // no mutual authentication (TLS authenticates the server): the exchange
      // then completes in one step, and names the client principal.
      const client = await binding.initializeClient(request.service, {
        ...(request.principal === undefined ? {} : { principal: request.principal }),
        mechOID: binding.GSS_MECH_OID_KRB5,
        flags: binding.GSS_C_SEQUENCE_FLAG | binding.GSS_C_REPLAY_FLAG,
      });
      const token = await client.step('');
      return { token, principal: client.username };
    }
    const server = await binding.initializeServer(request.service);
    await server.step(request.token);
    return { principal: server.username, token: server.response };
  } catch (error) {
    // GSSAPI messages name principals and files, never keys or tickets.
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'credentials', message: firstLine(message) };
  }
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
