/**
 * Mutual authentication: the client checks the NameNode's SPNEGO reply
 * token against a real MIT KDC on loopback, with a front between them that
 * passes the token on, alters it or strips it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DevHdfsRequestEvent } from '../../src/dev-hdfs/index.js';
import { WebHdfsAuthError, WebHdfsRemoteError } from '../../src/errors.js';
import { classifyError } from '../../src/hdfs/error-class.js';
import { negotiateReply } from '../../src/hdfs/spnego-reply.js';
import {
  resolveClientOptions,
  type WebHdfsClientOptions,
} from '../../src/hdfs/webhdfs-client-options.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import { WebHdfsTransport } from '../../src/hdfs/webhdfs-transport.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { startNegotiateFront } from '../helpers/negotiate-front.js';
import { REALM, useTestRealm, type TestRealm } from '../helpers/test-realm.js';

const CHILD = fileURLToPath(
  new URL('../fixtures/stripped-reply-child.js', import.meta.url),
);

test('finds the reply token in WWW-Authenticate, alone or among others', () => {
  assert.equal(
    negotiateReply('Negotiate oRQwEqADCgEAoQsGCSqGSIb3EgECAg=='),
    'oRQwEqADCgEAoQsGCSqGSIb3EgECAg==',
  );
  assert.equal(negotiateReply('negotiate YWJj'), 'YWJj');
  assert.equal(negotiateReply('Basic realm="hdfs", Negotiate YWJj'), 'YWJj');
  assert.equal(negotiateReply('Negotiate YWJj, Basic realm="hdfs"'), 'YWJj');
  assert.equal(negotiateReply('Negotiate'), undefined, 'a challenge carries none');
  assert.equal(negotiateReply('Negotiate, Basic realm="hdfs"'), undefined);
  assert.equal(negotiateReply('Basic realm="Negotiate YWJj"'), undefined);
  assert.equal(negotiateReply(undefined), undefined);
});

// Set by before() whenever the tests run.
let realm!: TestRealm;
let keytab!: string;
const ALICE = `alice@${REALM}`;
const skip = await useTestRealm((started, clientKeytab) => {
  realm = started;
  keytab = clientKeytab;
}, 'alice');

/** A kerberized dev server behind a front, and its request log. */
async function frontedServer(t: TestContext) {
  const { server } = await startTestServer(t, {
    kerberos: { keytab: realm.serviceKeytab },
  });
  const events: DevHdfsRequestEvent[] = [];
  server.on('request', (event) => events.push(event));
  const front = await startNegotiateFront(t, server.url);
  return { server, front, events };
}

function client(t: TestContext, url: string, extra: Partial<WebHdfsClientOptions> = {}) {
  const hdfs = new WebHdfsClient({
    namenodes: url,
    kerberos: { principal: ALICE, keytab, delegationTokens: false },
    ...extra,
  });
  t.after(() => hdfs.close());
  return hdfs;
}

const line = (event: DevHdfsRequestEvent) => `${event.role} ${event.op} ${event.status}`;

test(
  "checks the NameNode's reply token on every answer it negotiated",
  { skip },
  async (t) => {
    const { front, events } = await frontedServer(t);
    const hdfs = client(t, front.url);

    await hdfs.create('/logs/a.log', Buffer.from('proved\n'));
    assert.equal(await hdfs.mkdirs('/logs/b'), true);
    assert.equal((await hdfs.getFileStatus('/logs/a.log')).owner, 'alice');

    assert.deepEqual(events.map(line), [
      'namenode CREATE 401',
      'namenode CREATE 307',
      'datanode CREATE 201',
      'namenode MKDIRS 200',
      'namenode GETFILESTATUS 200',
    ]);
    assert.equal(front.replies, 3, 'each negotiated answer carried a reply token');
  },
);

test(
  'refuses an answer whose reply token was altered, before acting on it',
  { skip },
  async (t) => {
    const { server, front, events } = await frontedServer(t);
    front.mode = 'alter';
    const hdfs = client(t, front.url);

    const error = await hdfs.create('/logs/c.log', Buffer.from('lost?\n')).then(
      () => assert.fail('an unproved answer was followed'),
      (caught: unknown) => caught,
    );

    assert.ok(error instanceof WebHdfsAuthError, String(error));
    assert.equal(error.code, 'ERR_WEBHDFS_AUTH');
    assert.equal(error.status, 307);
    assert.equal(error.op, 'CREATE');
    assert.match(error.message, /the server could not prove its identity/);
    assert.match(error.message, /Decrypt integrity check failed/, 'the GSSAPI reason');
    assert.doesNotMatch(String(error.stack), /[A-Za-z0-9+/]{40}/, 'no token shown');
    assert.equal(classifyError(error), 'permanent');
    assert.deepEqual(events.map(line), ['namenode CREATE 401', 'namenode CREATE 307']);

    // Straight to the server, the redirect was never followed.
    const direct = client(t, server.url);
    await assert.rejects(direct.getFileStatus('/logs/c.log'), (caught: unknown) => {
      assert.ok(caught instanceof WebHdfsRemoteError);
      return caught.exception === 'FileNotFoundException';
    });
  },
);

test(
  'refuses a delegation token whose answer has an altered reply token',
  { skip },
  async (t) => {
    const { front, events } = await frontedServer(t);
    front.mode = 'alter';
    const hdfs = client(t, front.url, {
      kerberos: { principal: ALICE, keytab },
    });

    await assert.rejects(hdfs.mkdirs('/logs/d'), {
      code: 'ERR_WEBHDFS_AUTH',
      op: 'GETDELEGATIONTOKEN',
      message: /could not prove its identity/,
    });
    assert.deepEqual(events.map(line), ['namenode GETDELEGATIONTOKEN 200']);
  },
);

test(
  'takes an answer whose reply token a gateway stripped, and says so in a debug line',
  { skip },
  async (t) => {
    const { front, events } = await frontedServer(t);
    front.mode = 'strip';
    const config = { url: front.url, keytab, principal: ALICE };

    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [CHILD, JSON.stringify(config)],
      { env: { ...process.env, NODE_DEBUG: 'hdfs-log-transport' } },
    );

    assert.deepEqual(JSON.parse(stdout), { made: true });
    assert.equal(front.replies, 1, 'the server had sent one');
    assert.deepEqual(events.map(line), ['namenode MKDIRS 401', 'namenode MKDIRS 200']);
    assert.match(
      stderr,
      /MKDIRS \/logs\/stripped: 127\.0\.0\.1:\d+ sent no SPNEGO reply token; not authenticated/,
    );
  },
);

test(
  'keeps no Kerberos context once its requests have ended, whatever their outcome',
  { skip },
  async (t) => {
    const { server, front } = await frontedServer(t);
    const transport = new WebHdfsTransport(
      resolveClientOptions({
        namenodes: front.url,
        kerberos: { principal: ALICE, keytab, delegationTokens: false },
        requestTimeout: 400,
      }),
    );
    t.after(() => transport.close());
    let made = 0;
    const mkdirs = async (signal?: AbortSignal) => {
      const path = `/logs/many/${made++}`;
      const res = await transport.nameNode({ method: 'PUT', op: 'MKDIRS', path, signal });
      res.body.resume();
    };
    const outcomes = async (count: number, signal?: () => AbortSignal) => {
      const settled = await Promise.allSettled(
        Array.from({ length: count }, () => mkdirs(signal?.())),
      );
      return settled.map((result) =>
        result.status === 'fulfilled'
          ? 'ok'
          : String((result.reason as { code?: unknown }).code),
      );
    };

    assert.deepEqual(await outcomes(8), Array(8).fill('ok'));
    front.mode = 'strip';
    assert.deepEqual(await outcomes(8), Array(8).fill('ok'));
    front.mode = 'alter';
    assert.deepEqual(await outcomes(8), Array(8).fill('ERR_WEBHDFS_AUTH'));
    front.mode = 'pass';
    server.setFaults({ nameNodeException: { exception: 'AccessControlException' } });
    assert.deepEqual(await outcomes(8), Array(8).fill('ERR_WEBHDFS_REMOTE'));
    assert.equal(front.replies, 8 * 4, 'every answer that negotiated had a reply token');
    server.setFaults({ delayMs: 1500 });
    assert.deepEqual(await outcomes(8), Array(8).fill('ERR_WEBHDFS_TIMEOUT'));
    assert.deepEqual(
      await outcomes(8, () => AbortSignal.timeout(100)),
      Array(8).fill('ERR_ABORTED'),
    );

    assert.equal(await transport.kerberosContexts(), 0);
  },
);
