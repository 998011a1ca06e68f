import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KerberosError } from '../../src/errors.js';
import { GssAgent } from '../../src/hdfs/gss-agent.js';
import { alterToken } from '../helpers/negotiate-front.js';
import { REALM, useTestRealm, type TestRealm } from '../helpers/test-realm.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MAIN = fileURLToPath(new URL('../../src/hdfs/gss-agent-main.js', import.meta.url));

test('names the missing package when the kerberos binding cannot be found', async (t) => {
  // A copy of the agent where no node_modules can be reached: the optional
  // package is then missing, as on a machine that skipped it.
  const dir = await makeTempDir(t, 'hlt-agent-');
  const copy = join(dir, 'gss-agent-main.js');
  await copyFile(MAIN, copy);
  const running = promisify(execFile)(process.execPath, [copy]);
  running.child.stdin?.end(
    `${JSON.stringify({ id: 1, op: 'initiate', service: 'HTTP@nn1' })}\n`,
  );
  const answer = (await running).stdout;
  const reply = JSON.parse(answer) as {
    id: number;
    error: { kind: string; message: string };
  };
  assert.equal(reply.id, 1);
  assert.equal(reply.error.kind, 'unavailable');
  assert.match(reply.error.message, /optional package "kerberos" is not installed/);
  assert.match(reply.error.message, /npm install kerberos@7\.0\.0/);
});

/** Asks a copy of the agent beside a fake `kerberos` package for a token. */
async function askBesideFakeBinding(t: TestContext, throws: string): Promise<string> {
  const dir = await makeTempDir(t, 'hlt-agent-');
  const copy = join(dir, 'gss-agent-main.js');
  await copyFile(MAIN, copy);
  const binding = join(dir, 'node_modules', 'kerberos');
  await mkdir(binding, { recursive: true });
  await writeFile(join(binding, 'package.json'), '{"name":"kerberos","main":"index.js"}');
  // What a binding's require of its native part throws when dlopen fails.
  await writeFile(
    join(binding, 'index.js'),
    `throw new Error(${JSON.stringify(throws)});`,
  );
  const running = promisify(execFile)(process.execPath, [copy]);
  running.child.stdin?.end(
    `${JSON.stringify({ id: 1, op: 'initiate', service: 'HTTP@nn1' })}\n`,
  );
  const reply = JSON.parse((await running).stdout) as {
    error: { kind: string; message: string };
  };
  assert.equal(reply.error.kind, 'unavailable');
  return reply.error.message;
}

test('names the system library the binding cannot load', async (t) => {
  const message = await askBesideFakeBinding(
    t,
    'libgssapi_krb5.so.2: cannot open shared object file: No such file or directory',
  );
  assert.match(message, /cannot load the system's Kerberos library/);
  assert.match(message, /install libgssapi-krb5-2 and libkrb5-3/);
  assert.match(message, /libgssapi_krb5\.so\.2: cannot open shared object file/);
});

test('says to rebuild a binding whose native part is missing', async (t) => {
  const message = await askBesideFakeBinding(
    t,
    "Cannot find module '../build/Release/kerberos.node'\nRequire stack: x",
  );
  assert.match(message, /installed but cannot be loaded/);
  assert.match(message, /npm rebuild kerberos/);
  assert.doesNotMatch(message, /Require stack/, 'only the first line of the cause');
});

test('rejects what is in flight when it is closed, as a KerberosError', async () => {
  const agent = new GssAgent({ ticketCache: 'FILE:/nonexistent/cache' });
  const pending = agent.initiate('HTTP@127.0.0.1');
  agent.close();
  await assert.rejects(pending, (error: unknown) => {
    assert.ok(error instanceof KerberosError);
    assert.equal(error.code, 'ERR_KERBEROS');
    return true;
  });
});

// Set by before() whenever the tests run.
let realm!: TestRealm;
let keytab!: string;
const ALICE = `alice@${REALM}`;
const SERVICE = 'HTTP@127.0.0.1';
const skip = await useTestRealm((started, clientKeytab) => {
  realm = started;
  keytab = clientKeytab;
}, 'alice');

/** A client agent with alice's keytab and a server agent with the service's. */
function agents(t: TestContext) {
  const client = new GssAgent({ clientKeytab: keytab });
  const server = new GssAgent({ serverKeytab: realm.serviceKeytab });
  t.after(() => {
    client.close();
    server.close();
  });
  return { client, server };
}

test(
  "keeps a mutual context until the server's reply token completes it",
  { skip },
  async (t) => {
    const { client, server } = agents(t);

    const initiated = await client.initiateMutual(SERVICE, ALICE);
    assert.equal(initiated.principal, ALICE);
    assert.equal(typeof initiated.context, 'number');
    assert.equal(await client.openContexts(), 1);
    const accepted = await server.accept(SERVICE, initiated.token);
    assert.equal(accepted.principal, ALICE);
    assert.notEqual(accepted.token, '', 'the server answers a mutual request');

    const check = await client.verify(initiated.context as number, accepted.token);
    assert.deepEqual(check, { verified: true });
    assert.equal(await client.openContexts(), 0, 'a verified context is released');
  },
);

test('refuses a reply token that was altered on the way', { skip }, async (t) => {
  const { client, server } = agents(t);
  const initiated = await client.initiateMutual(SERVICE, ALICE);
  const accepted = await server.accept(SERVICE, initiated.token);

  const check = await client.verify(
    initiated.context as number,
    alterToken(accepted.token),
  );

  assert.ok(!check.verified, 'an altered reply proves nothing');
  assert.match(check.reason, /integrity|GSS/, "the reason is GSSAPI's");
  assert.ok(!JSON.stringify(check).includes(accepted.token.slice(40, 80)));
  assert.equal(await client.openContexts(), 0, 'a refused context is released');
});

test("refuses another exchange's reply token", { skip }, async (t) => {
  const { client, server } = agents(t);
  const first = await client.initiateMutual(SERVICE, ALICE);
  const second = await client.initiateMutual(SERVICE, ALICE);
  await server.accept(SERVICE, first.token);
  const replyToSecond = await server.accept(SERVICE, second.token);

  const check = await client.verify(first.context as number, replyToSecond.token);

  assert.equal(check.verified, false, 'a reply proves one exchange only');
});

test('frees a context that is released, and only once', { skip }, async (t) => {
  const { client } = agents(t);
  const contexts: number[] = [];
  for (let count = 0; count < 20; count++) {
    const { context } = await client.initiateMutual(SERVICE, ALICE);
    contexts.push(context as number);
  }
  assert.equal(await client.openContexts(), 20);

  for (const context of contexts) client.release(context);
  for (const context of contexts) client.release(context);

  assert.equal(await client.openContexts(), 0);
  await assert.rejects(client.verify(contexts[0] as number, 'AAAA'), KerberosError);
});

test('names the principal of a ticket cache before the reply', { skip }, async (t) => {
  const cache = await realm.kinit(ALICE, keytab);
  const client = new GssAgent({ ticketCache: cache });
  t.after(() => client.close());

  const initiated = await client.initiateMutual(SERVICE);

  assert.equal(initiated.principal, ALICE, 'the renewer of a token needs it');
  client.release(initiated.context as number);
  assert.equal(await client.openContexts(), 0);
});

test('forgets its contexts with the agent that kept them', { skip }, async (t) => {
  const { client } = agents(t);
  const { context } = await client.initiateMutual(SERVICE, ALICE);

  client.close();

  assert.equal(await client.openContexts(), 0);
  await assert.rejects(client.verify(context as number, 'AAAA'), {
    code: 'ERR_KERBEROS',
    message: /ended before the server's reply could be checked/,
  });
});
