/**
 * No secret leaves the client: every failure path with a delegation token, a
 * gateway password or an Authorization header in play, against a hostile
 * server that echoes them back in its error answers, shows none of them in
 * an error, its causes, an event, a diagnostics message or a NODE_DEBUG
 * line. The SPNEGO paths need the realm; the others run everywhere.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test, type TestContext } from 'node:test';
import {
  closedPort,
  remoteException,
  sendJson,
  startFakeServer,
} from '../helpers/fake-server.js';
import { REALM, useTestRealm } from '../helpers/test-realm.js';

const CHILD = fileURLToPath(
  new URL('../fixtures/secret-paths-child.js', import.meta.url),
);
const run = promisify(execFile);

// Set by before() whenever the tests run.
let keytab!: string;
const skip = await useTestRealm(
  (_realm, clientKeytab) => (keytab = clientKeytab),
  'alice',
);

/** A server that repeats the request, credentials included, in every error. */
function hostile(minted: string, deadPort: number, received: string[]) {
  let shipRequests = 0;
  return (req: IncomingMessage, res: ServerResponse): void => {
    const authorization = req.headers.authorization ?? '';
    if (authorization !== '') received.push(authorization.replace(/^\w+\s+/, ''));
    const echo = `${req.method ?? ''} ${req.url ?? ''} authorization=${authorization}`;
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace('/webhdfs/v1', '');
    const page = (status: number, headers: Record<string, string> = {}) => {
      res
        .writeHead(status, { 'content-type': 'text/html', ...headers })
        .end(`<p>${echo}</p>`);
    };
    const invalid = () =>
      sendJson(res, 403, remoteException('InvalidToken', 'x.InvalidToken', echo));

    if (path.startsWith('/p401')) page(401, { 'www-authenticate': 'Negotiate' });
    else if (path.startsWith('/pbasic'))
      page(401, { 'www-authenticate': 'Basic realm="x"' });
    else if (path.startsWith('/pspnego')) {
      page(authorization === '' ? 401 : 403, { 'www-authenticate': 'Negotiate' });
    } else if (path.startsWith('/pmutual')) {
      // Its "reply token" is the client's own token: it proves nothing.
      const reply = authorization.replace(/^\w+\s*/, '');
      if (reply === '') page(401, { 'www-authenticate': 'Negotiate' });
      else {
        res.setHeader('www-authenticate', `Negotiate ${reply}`);
        sendJson(res, 200, { boolean: true });
      }
    } else if (path.startsWith('/p403')) invalid();
    else if (path.startsWith('/pnet')) {
      const location =
        `http://127.0.0.1:${deadPort}/webhdfs/v1/pnet/a?op=CREATE` +
        `&delegation=${minted}&namenoderpcaddress=nn:8020`;
      res.writeHead(307, { location, 'content-length': 0 }).end();
    } else if (path.startsWith('/pship') && ++shipRequests <= 2) page(503);
    else if (path.startsWith('/pship')) invalid();
    else page(404);
  };
}

/**
 * Runs the child's failure paths against the hostile server and checks
 * that every expected failure happened and no piece of a secret is in what
 * it printed; `spnego` adds the realm's paths.
 */
async function checkNoSecretShows(t: TestContext, spnego: boolean): Promise<void> {
  const token = randomBytes(40).toString('base64url');
  const minted = randomBytes(40).toString('base64url');
  const password = randomBytes(30).toString('base64url');
  const received: string[] = [];
  const server = await startFakeServer(t, hostile(minted, await closedPort(), received));
  const config = {
    url: server.url,
    token,
    password,
    ...(spnego ? { keytab, principal: `alice@${REALM}` } : {}),
  };

  const { stdout, stderr } = await run(
    process.execPath,
    [CHILD, JSON.stringify(config)],
    {
      env: { ...process.env, NODE_DEBUG: 'hdfs-log-transport' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );

  const seen = JSON.parse(stdout) as Array<Record<string, unknown>>;
  const what = seen.filter((entry) => 'what' in entry);
  const paths = [
    '403 with token',
    'network, delegation in URL',
    '401 to a password',
    '403 to a password',
    ...(spnego
      ? ['wrong principal', '401 twice', '403 to SPNEGO', 'reply echoing the request']
      : []),
    'shipper flush',
  ];
  assert.deepEqual(
    what.map((entry) => [entry.what, 'error' in entry]),
    paths.map((path) => [path, true]),
  );
  assert.ok(
    seen.some((entry) => entry.event === 'retry'),
    'a retry event was seen',
  );
  assert.ok(
    seen.some((entry) => entry.event === 'error'),
    'an error event was seen',
  );
  assert.ok(
    seen.some((entry) => entry.channel === 'upload:error'),
    'a diagnostics message',
  );
  assert.match(stderr, /HDFS-LOG-TRANSPORT \d+:/, 'debug lines were written');
  assert.ok(received.length >= 2, 'credentials were sent and echoed');
  assert.match(stdout, /\[redacted\]/, 'echoed secrets were found and removed');

  // Any 24 characters of a secret count: a message may keep only its head.
  // (Kerberos tokens share their first bytes, an ASN.1 header, so those are skipped.)
  const negotiated = new Set(received.filter((value) => value.length > 200));
  const pieces = [token, minted, password, ...received].flatMap((secret) => {
    const from = negotiated.has(secret) ? 32 : 0;
    const out: string[] = [];
    for (let at = from; at + 24 <= secret.length; at += 12)
      out.push(secret.slice(at, at + 24));
    return out;
  });
  for (const piece of pieces) {
    assert.ok(!stdout.includes(piece), `a piece of a secret (${piece}) is in the output`);
    assert.ok(
      !stderr.includes(piece),
      `a piece of a secret (${piece}) is in a debug line`,
    );
  }
}

test('no token, password or Basic header appears anywhere a user can see', async (t) => {
  await checkNoSecretShows(t, false);
});

test('no SPNEGO header appears anywhere a user can see either', { skip }, async (t) => {
  await checkNoSecretShows(t, true);
});
