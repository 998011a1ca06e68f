/**
 * SPNEGO and delegation tokens against a real MIT KDC on loopback, with the
 * dev server accepting SPNEGO through the same `kerberos` binding.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DevHdfsKerberosOptions } from '../../src/dev-hdfs/dev-hdfs-options.js';
import type { DevHdfsRequestEvent } from '../../src/dev-hdfs/index.js';
import { KerberosError, WebHdfsAuthError, WebHdfsRemoteError } from '../../src/errors.js';
import { classifyError } from '../../src/hdfs/error-class.js';
import { readTgtTimes, runKerberosTool } from '../../src/hdfs/ticket-cache-renewal.js';
import type { WebHdfsClientOptions } from '../../src/hdfs/webhdfs-client-options.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { REALM, useTestRealm, type TestRealm } from '../helpers/test-realm.js';
import { fetchToken, tokenRequest } from '../helpers/spnego-request.js';

// Set by before() whenever the tests run.
let realm!: TestRealm;
let aliceKeytab!: string;
const ALICE = `alice@${REALM}`;
const skip = await useTestRealm((started, clientKeytab) => {
  realm = started;
  aliceKeytab = clientKeytab;
}, 'alice');

const clientsOf = new WeakMap<TestContext, WebHdfsClient[]>();

/**
 * A dev server whose test's clients close before it does (after hooks run in
 * the order they were added): a client cancels the token it fetched as it
 * closes, and a cancel that fails fails the test.
 */
async function startServer(
  t: TestContext,
  options: Parameters<typeof startTestServer>[1],
) {
  const clients: WebHdfsClient[] = [];
  clientsOf.set(t, clients);
  t.after(() => Promise.all(clients.map((hdfs) => hdfs.close())));
  const started = await startTestServer(t, options);
  const events: DevHdfsRequestEvent[] = [];
  started.server.on('request', (event) => events.push(event));
  return { ...started, events };
}

async function secureServer(t: TestContext, extra: Partial<DevHdfsKerberosOptions> = {}) {
  return startServer(t, { kerberos: { keytab: realm.serviceKeytab, ...extra } });
}

function client(t: TestContext, options: WebHdfsClientOptions) {
  const hdfs = new WebHdfsClient(options);
  const clients = clientsOf.get(t);
  assert.ok(clients, 'the server is started before its clients');
  clients.push(hdfs);
  return hdfs;
}

/** A client whose close the test itself calls and checks. */
function closedByTest(t: TestContext, options: WebHdfsClientOptions) {
  const hdfs = new WebHdfsClient(options);
  // Only for a test that failed before its close: the outcome was its to check.
  t.after(() =>
    hdfs.close().then(
      () => undefined,
      () => undefined,
    ),
  );
  return hdfs;
}

const line = (event: DevHdfsRequestEvent) => `${event.role} ${event.op} ${event.status}`;

test(
  'uploads with a keytab: SPNEGO once, then a delegation token',
  { skip },
  async (t) => {
    const { server, events } = await secureServer(t);
    const hdfs = client(t, {
      namenodes: server.url,
      kerberos: { principal: ALICE, keytab: aliceKeytab },
    });

    await hdfs.create('/logs/a.log', Buffer.from('kerberized\n'));
    const status = await hdfs.getFileStatus('/logs/a.log');

    assert.equal(status.owner, 'alice');
    assert.deepEqual(events.map(line), [
      'namenode GETDELEGATIONTOKEN 200',
      'namenode RENEWDELEGATIONTOKEN 200',
      'namenode CREATE 307',
      'datanode CREATE 201',
      'namenode GETFILESTATUS 200',
    ]);
    const token = events[2]?.query.get('delegation');
    assert.ok(token, 'CREATE carries the token');
    assert.equal(
      events[3]?.query.get('delegation'),
      token,
      'the DataNode step uses it too',
    );
    assert.equal(events[4]?.query.get('user.name'), null);
  },
);

test(
  'uploads with a ticket cache filled by kinit, answering the 401',
  { skip },
  async (t) => {
    const { server, events } = await secureServer(t);
    const cache = await realm.kinit(ALICE, aliceKeytab);
    const hdfs = client(t, {
      namenodes: server.url,
      kerberos: { ticketCache: cache, delegationTokens: false },
    });

    await hdfs.create('/logs/b.log', Buffer.from('from the cache\n'));
    assert.equal(await hdfs.mkdirs('/logs/more'), true);

    assert.deepEqual(events.map(line), [
      'namenode CREATE 401',
      'namenode CREATE 307',
      'datanode CREATE 201',
      // Asked once, this NameNode gets SPNEGO at once from now on.
      'namenode MKDIRS 200',
    ]);
    assert.ok(
      events[2]?.query.get('delegation'),
      'the NameNode minted a token for the DataNode',
    );
    assert.equal((await hdfs.getFileStatus('/logs/b.log')).owner, 'alice');

    // `kerberos: true` takes the cache KRB5CCNAME names, as kinit's users expect.
    const saved = process.env.KRB5CCNAME;
    process.env.KRB5CCNAME = cache;
    t.after(() => {
      if (saved === undefined) delete process.env.KRB5CCNAME;
      else process.env.KRB5CCNAME = saved;
    });
    const fromEnvironment = client(t, { namenodes: server.url, kerberos: true });
    assert.equal(await fromEnvironment.mkdirs('/logs/env'), true);
  },
);

test(
  'obtains a new ticket from the keytab once the first has expired',
  { skip },
  async (t) => {
    const keytab = await realm.addClient('shorty', 2);
    const { server } = await secureServer(t);
    const hdfs = client(t, {
      namenodes: server.url,
      kerberos: { principal: `shorty@${REALM}`, keytab, delegationTokens: false },
    });

    await hdfs.create('/logs/c1.log', Buffer.from('first ticket\n'));
    // Past the 2 s lifetime: the client then logs in again from its keytab
    // (the server would still take the old ticket within its skew allowance).
    await sleep(3200);
    await hdfs.create('/logs/c2.log', Buffer.from('second ticket\n'));

    const log = await readFile(join(realm.dir, 'kdc.log'), 'utf8');
    const logins = log
      .split('\n')
      .filter((entry) => /AS_REQ.*shorty@HLT\.TEST for krbtgt/.test(entry));
    assert.ok(logins.length >= 2, `the KDC saw ${logins.length} logins of shorty`);
  },
);

test(
  'renews a renewable ticket in its cache before it expires, as kinit -R would',
  { skip },
  async (t) => {
    const keytab = await realm.addClient('cached', 3);
    const { server } = await secureServer(t);
    const cache = await realm.kinit(`cached@${REALM}`, keytab, 60);
    const first = readTgtTimes(await runKerberosTool('klist', ['-c', cache]));
    assert.ok(first?.renewUntil !== undefined, 'kinit made a renewable ticket');
    const hdfs = client(t, {
      namenodes: server.url,
      kerberos: { ticketCache: cache, delegationTokens: false },
    });

    // Every request negotiates; the ticket lasts 3 s, the server allows 4 s
    // of skew: well past both, the cache must hold a renewed ticket.
    for (let request = 0; request < 16; request++) {
      assert.equal(await hdfs.mkdirs(`/logs/renewed/${request}`), true);
      await sleep(500);
    }
    const last = readTgtTimes(await runKerberosTool('klist', ['-c', cache]));
    assert.ok(last !== undefined);
    assert.ok(last.end >= first.end + 3000, 'renewed more than once');
    assert.equal(last.renewUntil, first.renewUntil, 'renewed, not obtained anew');
  },
);

test(
  'renews its delegation token, and fetches another after its maximum lifetime',
  { skip },
  async (t) => {
    const { server, events } = await secureServer(t, {
      tokenRenewIntervalMs: 1000,
      tokenMaxLifetimeMs: 2500,
    });
    const hdfs = client(t, {
      namenodes: server.url,
      kerberos: { principal: ALICE, keytab: aliceKeytab },
    });

    for (let round = 0; round < 4; round++) {
      await hdfs.create(`/logs/d${round}.log`, Buffer.from(`round ${round}\n`));
      await sleep(900);
    }

    // Timing-tolerant: a loaded machine may add a refusal and a fetch, never fewer.
    const log = events.map(line).join('\n');
    const fetched = events.filter(
      (event) => line(event) === 'namenode GETDELEGATIONTOKEN 200',
    );
    assert.ok(fetched.length >= 2, log);
    const renewedInUse = events.some(
      (event, index) =>
        line(event) === 'namenode RENEWDELEGATIONTOKEN 200' &&
        events[index - 1]?.op === 'CREATE',
    );
    assert.ok(renewedInUse, `a token in use was renewed before it expired\n${log}`);
    assert.equal(
      events.filter((event) => event.op === 'CREATE' && event.status === 201).length,
      4,
    );
  },
);

test(
  'uses a token given by the operator, and reports its refusal without it',
  { skip },
  async (t) => {
    const { server } = await secureServer(t);
    const token = await fetchToken(server.url, ALICE, aliceKeytab);
    const hdfs = client(t, { namenodes: server.url, delegationToken: token });

    await hdfs.create('/logs/e.log', Buffer.from('operator token\n'));
    assert.equal((await hdfs.getFileStatus('/logs/e.log')).owner, 'alice');

    await tokenRequest(
      server.url,
      'PUT',
      'CANCELDELEGATIONTOKEN',
      token,
      ALICE,
      aliceKeytab,
    );
    const error = await hdfs.mkdirs('/logs/f').then(
      () => assert.fail('a cancelled token was accepted'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof WebHdfsRemoteError, String(error));
    assert.equal(error.exception, 'InvalidToken');
    assert.equal(classifyError(error), 'permanent');
    assert.ok(
      ![error.message, error.stack, error.remoteMessage].join('\n').includes(token),
    );
  },
);

test(
  'says that the cluster wants Kerberos when it is not configured',
  { skip },
  async (t) => {
    const { server } = await secureServer(t);
    const hdfs = client(t, { namenodes: server.url, user: 'alice' });
    await assert.rejects(hdfs.mkdirs('/logs'), (error: unknown) => {
      assert.ok(error instanceof WebHdfsAuthError, String(error));
      assert.match(
        error.message,
        /requires Kerberos \(WWW-Authenticate: Negotiate\); set webhdfs\.kerberos/,
      );
      return true;
    });
  },
);

test('names an unknown service principal in a clear error', { skip }, async (t) => {
  const { server } = await secureServer(t);
  const hdfs = client(t, {
    namenodes: server.url,
    kerberos: { principal: ALICE, keytab: aliceKeytab, servicePrincipal: 'HTTP/nohost' },
  });
  await assert.rejects(hdfs.mkdirs('/logs'), (error: unknown) => {
    assert.ok(error instanceof KerberosError, String(error));
    assert.equal(error.code, 'ERR_KERBEROS');
    assert.match(error.message, /HTTP\/nohost@HLT\.TEST not found in Kerberos database/);
    return true;
  });
});

test(
  'uploads through a kerberized HttpFS-style gateway, data and all on one endpoint',
  { skip },
  async (t) => {
    const { server, events } = await startServer(t, {
      gateway: true,
      kerberos: { keytab: realm.serviceKeytab },
    });
    const hdfs = client(t, {
      namenodes: server.url,
      gateway: true,
      kerberos: { principal: ALICE, keytab: aliceKeytab },
    });

    await hdfs.create('/logs/g.log', Buffer.from('through the gateway\n'));
    await hdfs.renameWithOptions('/logs/g.log', '/logs/h.log');

    assert.equal((await hdfs.getFileStatus('/logs/h.log')).owner, 'alice');
    assert.deepEqual(events.map(line), [
      'namenode GETDELEGATIONTOKEN 200',
      'namenode RENEWDELEGATIONTOKEN 200',
      'namenode CREATE 201',
      'namenode RENAME 200',
      'namenode GETFILESTATUS 200',
    ]);
    const create = events[2];
    assert.ok(create !== undefined);
    assert.equal(create.query.get('data'), 'true');
    assert.ok(create.query.get('delegation'), 'the data carries the token');

    // Without tokens every request negotiates; the body is sent again after the 401.
    const negotiating = client(t, {
      namenodes: server.url,
      gateway: true,
      kerberos: { principal: ALICE, keytab: aliceKeytab, delegationTokens: false },
    });
    const file = join(realm.dir, 'body.log');
    await writeFile(file, 'a file sent twice\n');
    await negotiating.create('/logs/i.log', { path: file });
    let body = '';
    for await (const chunk of await negotiating.open('/logs/i.log'))
      body += String(chunk);
    assert.equal(body, 'a file sent twice\n');
    assert.deepEqual(events.slice(5).map(line).slice(0, 2), [
      'namenode CREATE 401',
      'namenode CREATE 201',
    ]);
  },
);

test(
  'cancels the delegation token it fetched when closed, never an operator token',
  { skip },
  async (t) => {
    const { server, events } = await secureServer(t);
    const keytab = { principal: ALICE, keytab: aliceKeytab };
    const fetching = client(t, { namenodes: server.url, kerberos: keytab });
    await fetching.create('/logs/j.log', Buffer.from('then cancelled\n'));
    const fetched = events
      .find((event) => event.op === 'CREATE')
      ?.query.get('delegation');
    assert.ok(fetched, 'CREATE carries the fetched token');

    await fetching.close();
    const cancel = events.at(-1);
    assert.ok(cancel);
    assert.equal(line(cancel), 'namenode CANCELDELEGATIONTOKEN 200');
    assert.equal(cancel.query.get('token'), fetched);
    assert.equal(cancel.query.get('delegation'), null, 'sent with SPNEGO, not the token');
    const stale = client(t, { namenodes: server.url, delegationToken: fetched });
    await assert.rejects(stale.mkdirs('/logs/k'), { exception: 'InvalidToken' });

    const given = await fetchToken(server.url, ALICE, aliceKeytab);
    const operator = client(t, { namenodes: server.url, delegationToken: given });
    assert.equal(await operator.mkdirs('/logs/l'), true);
    const before = events.length;
    await operator.close();
    assert.deepEqual(events.slice(before), [], 'the operator token is left alone');
    const again = client(t, { namenodes: server.url, delegationToken: given });
    assert.equal(await again.mkdirs('/logs/m'), true, 'and still valid');
  },
);

test(
  'closes all the same when the cancel is refused, reporting it without the token',
  { skip },
  async (t) => {
    const { server, events } = await secureServer(t);
    const hdfs = closedByTest(t, {
      namenodes: server.url,
      kerberos: { principal: ALICE, keytab: aliceKeytab },
    });
    assert.equal(await hdfs.mkdirs('/logs/n'), true);
    const token = events.find((event) => event.op === 'MKDIRS')?.query.get('delegation');
    assert.ok(token);
    server.setFaults({
      nameNodeException: { exception: 'IOException', ops: ['CANCELDELEGATIONTOKEN'] },
    });

    const error = await hdfs.close().then(
      () => assert.fail('a refused cancel passed for done'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof WebHdfsRemoteError, String(error));
    assert.equal(error.op, 'CANCELDELEGATIONTOKEN');
    assert.ok(![error.message, error.stack].join('\n').includes(token));
    assert.equal(
      await hdfs.close().catch((again: unknown) => again),
      error,
      'closed once',
    );
    // Not cancelled: it lives on until it expires.
    const holder = client(t, { namenodes: server.url, delegationToken: token });
    assert.equal(await holder.mkdirs('/logs/o'), true);
  },
);

test('gives up cancelling after a short time, and still closes', { skip }, async (t) => {
  const { server, events } = await secureServer(t);
  const hdfs = closedByTest(t, {
    namenodes: server.url,
    kerberos: { principal: ALICE, keytab: aliceKeytab },
    requestTimeout: 400,
  });
  assert.equal(await hdfs.mkdirs('/logs/p'), true);
  server.setFaults({ delayMs: 3000 });

  const started = Date.now();
  await assert.rejects(hdfs.close(), {
    code: 'ERR_WEBHDFS_TIMEOUT',
    op: 'CANCELDELEGATIONTOKEN',
  });
  assert.ok(Date.now() - started < 2500, `closed after ${Date.now() - started} ms`);
  assert.ok(!events.some((event) => event.op === 'CANCELDELEGATIONTOKEN'));
});
