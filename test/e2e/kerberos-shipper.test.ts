/**
 * A shipper against a kerberized dev server (real KDC on loopback): its
 * uploader thread authenticates through the Kerberos agent, and a wrong
 * principal, or a server that cannot prove its identity, loses nothing: the
 * segments wait for a shipper that has the right one, or for the server.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FlushError } from '../../src/errors.js';
import type { HdfsLogOptions } from '../../src/options.js';
import { createShipper } from '../../src/shipper.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { startNegotiateFront } from '../helpers/negotiate-front.js';
import { recordEvents } from '../helpers/shipper-events.js';
import { REALM, useTestRealm, type TestRealm } from '../helpers/test-realm.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import {
  checkPublishedOnce,
  startShipper,
  webhdfsDestination,
  writeIds,
} from '../helpers/test-shipper.js';

// Set by before() whenever the tests run.
let realm!: TestRealm;
let keytab!: string;
const skip = await useTestRealm((started, clientKeytab) => {
  realm = started;
  keytab = clientKeytab;
}, 'logship');

test('publishes from its uploader thread with a keytab', { skip }, async (t) => {
  const { server, root } = await startTestServer(t, {
    kerberos: { keytab: realm.serviceKeytab },
  });
  const ops: string[] = [];
  server.on('request', (event) => ops.push(`${event.op} ${event.status}`));
  const { shipper, events } = await startShipper(t, webhdfsDestination(server.url), {
    webhdfs: { kerberos: { principal: `logship@${REALM}`, keytab } },
  });

  writeIds(shipper, 0, 200);
  await shipper.flush();

  await checkPublishedOnce(root, 200);
  const published = await readdir(join(root, 'logs', 'app'));
  assert.ok(published.length >= 2, 'several segments, one token');
  assert.equal(ops.filter((op) => op === 'GETDELEGATIONTOKEN 200').length, 1);

  // The uploader thread cancels its token before it ends.
  await shipper.close();
  assert.equal(ops.at(-1), 'CANCELDELEGATIONTOKEN 200');
  assert.deepEqual(events.errors, []);
});

test(
  'a wrong principal keeps every segment for a shipper that has the right one',
  { skip },
  async (t) => {
    const { server, root } = await startTestServer(t, {
      kerberos: { keytab: realm.serviceKeytab },
    });
    const spoolDir = await makeTempDir(t, 'spool-');
    const options = (principal: string): HdfsLogOptions => ({
      destination: webhdfsDestination(server.url),
      spoolDir,
      rotate: { size: '8KiB' },
      upload: { interval: 100, retries: 2, retryDelay: 10, maxRetryDelay: 50 },
      webhdfs: { kerberos: { principal, keytab } },
    });

    const wrong = createShipper(options(`mallory@${REALM}`));
    const events = recordEvents(wrong);
    writeIds(wrong, 0, 300);
    await assert.rejects(wrong.flush(), FlushError);
    await wrong.close();

    const error = events.errors[0];
    assert.ok(error, 'the failure is reported');
    assert.equal(error.code, 'ERR_KERBEROS');
    assert.match(error.message, /mallory@HLT\.TEST/);
    assert.equal(error.errorClass, 'permanent');
    assert.ok((await readdir(join(spoolDir, 'ready'))).length >= 2, 'the segments wait');
    assert.deepEqual(await readdir(root), [], 'nothing reached the cluster');

    const right = createShipper(options(`logship@${REALM}`));
    t.after(() => right.close());
    await right.flush();
    await checkPublishedOnce(root, 300);
    assert.deepEqual(await readdir(join(spoolDir, 'ready')), []);
  },
);

test(
  'an answer whose reply token was altered keeps every segment until the server proves itself',
  { skip },
  async (t) => {
    const { server, root } = await startTestServer(t, {
      kerberos: { keytab: realm.serviceKeytab },
    });
    const front = await startNegotiateFront(t, server.url);
    front.mode = 'alter';
    const spoolDir = await makeTempDir(t, 'spool-');
    const shipper = createShipper({
      destination: webhdfsDestination(front.url),
      spoolDir,
      rotate: { size: '8KiB' },
      upload: { interval: 100, retries: 2, retryDelay: 10, maxRetryDelay: 50 },
      webhdfs: { kerberos: { principal: `logship@${REALM}`, keytab } },
    });
    t.after(() => shipper.close());
    const events = recordEvents(shipper);

    writeIds(shipper, 0, 300);
    await assert.rejects(shipper.flush(), FlushError);

    const error = events.errors[0];
    assert.ok(error, 'the failure is reported');
    assert.equal(error.code, 'ERR_WEBHDFS_AUTH');
    assert.match(error.message, /the server could not prove its identity/);
    assert.equal(error.errorClass, 'permanent');
    assert.ok((await readdir(join(spoolDir, 'ready'))).length >= 2, 'the segments wait');
    assert.deepEqual(await readdir(root), [], 'nothing reached the cluster');

    front.mode = 'pass';
    await shipper.flush();
    await checkPublishedOnce(root, 300);
    assert.deepEqual(await readdir(join(spoolDir, 'ready')), []);
  },
);

test(
  'keeps publishing, with no failed request, while its tickets expire and are replaced',
  { skip },
  async (t) => {
    // Tickets of 2 s, and every request negotiating (no delegation token):
    // uploads are in flight at every expiry, well past the server's skew
    // allowance, so a ticket replaced late would fail a request.
    const shortKeytab = await realm.addClient('brief', 2);
    const { server, root } = await startTestServer(t, {
      kerberos: { keytab: realm.serviceKeytab },
    });
    // The first requests meet the challenge; none after one succeeded is refused.
    const refused: string[] = [];
    let authenticated = false;
    server.on('request', (event) => {
      if (event.status < 400) authenticated = true;
      else if (authenticated && (event.status === 401 || event.status === 403)) {
        refused.push(`${event.op} ${event.status}`);
      }
    });
    const { shipper, events } = await startShipper(t, webhdfsDestination(server.url), {
      rotate: { size: '2KiB' },
      upload: { concurrency: 2 },
      webhdfs: {
        kerberos: {
          principal: `brief@${REALM}`,
          keytab: shortKeytab,
          delegationTokens: false,
        },
      },
    });

    const started = Date.now();
    let written = 0;
    while (Date.now() - started < 9000) {
      writeIds(shipper, written, written + 40);
      written += 40;
      await Promise.all([shipper.flush(), sleep(150)]);
    }

    await checkPublishedOnce(root, written);
    assert.deepEqual(events.retries, [], 'no upload was retried');
    assert.deepEqual(refused, [], 'no request was refused once authenticated');
    assert.deepEqual(events.errors, []);
    const log = await readFile(join(realm.dir, 'kdc.log'), 'utf8');
    const logins = log
      .split('\n')
      .filter((entry) => /AS_REQ.*brief@HLT\.TEST for krbtgt/.test(entry));
    assert.ok(logins.length >= 3, `the KDC saw ${logins.length} logins of brief`);
  },
);
