/**
 * The dev server's SPNEGO against a real MIT KDC on loopback: what a
 * kerberized NameNode answers to a request that negotiates.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { GssAgent } from '../../src/hdfs/gss-agent.js';
import { REALM, useTestRealm, type TestRealm } from '../helpers/test-realm.js';
import { startTestServer } from './fixture.js';
import { rawRequest } from './raw-http.js';

// Set by before() whenever the tests run.
let realm!: TestRealm;
let keytab!: string;
const ALICE = `alice@${REALM}`;
const skip = await useTestRealm((started, clientKeytab) => {
  realm = started;
  keytab = clientKeytab;
}, 'alice');

async function secureServerAndClient(t: TestContext) {
  const { server } = await startTestServer(t, {
    kerberos: { keytab: realm.serviceKeytab },
  });
  const client = new GssAgent({ clientKeytab: keytab });
  t.after(() => client.close());
  return { url: server.url, client };
}

test(
  'answers a request asking for mutual authentication with its reply token',
  { skip },
  async (t) => {
    const { url, client } = await secureServerAndClient(t);
    const { token, context } = await client.initiateMutual('HTTP@127.0.0.1', ALICE);

    const res = await rawRequest(url, '/webhdfs/v1/logs?op=MKDIRS', {
      method: 'PUT',
      headers: { authorization: `Negotiate ${token}` },
    });

    assert.equal(res.status, 200, res.text);
    const reply = /^Negotiate (\S+)$/.exec(res.headers['www-authenticate'] ?? '')?.[1];
    assert.ok(reply, 'KerberosAuthenticationHandler sends its token with the answer');
    assert.deepEqual(await client.verify(context as number, reply), { verified: true });
  },
);

test('sends no reply token when none was asked for', { skip }, async (t) => {
  const { url, client } = await secureServerAndClient(t);
  const { token } = await client.initiate('HTTP@127.0.0.1', ALICE);

  const res = await rawRequest(url, '/webhdfs/v1/logs?op=MKDIRS', {
    method: 'PUT',
    headers: { authorization: `Negotiate ${token}` },
  });

  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['www-authenticate'], undefined);
});
