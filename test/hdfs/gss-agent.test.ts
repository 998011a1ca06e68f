import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KerberosError } from '../../src/errors.js';
import { GssAgent } from '../../src/hdfs/gss-agent.js';
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
