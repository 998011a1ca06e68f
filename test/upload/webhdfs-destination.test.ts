import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import {
  startDevHdfsHaPair,
  type DevHdfsRequestEvent,
} from '../../src/dev-hdfs/index.js';
import { InvalidOptionError, WebHdfsRemoteError } from '../../src/errors.js';
import { classifyError } from '../../src/hdfs/error-class.js';
import {
  WebHdfsDestination,
  type WebHdfsDestinationOptions,
} from '../../src/upload/webhdfs-destination.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { testDestinationContract } from './destination-contract.js';

const call = { signal: new AbortController().signal };

function destination(t: TestContext, url: string, options?: WebHdfsDestinationOptions) {
  const created = new WebHdfsDestination(url, options);
  t.after(() => created.close());
  return created;
}

/** `host:port` of a dev server's NameNode URL. */
const hostOf = (url: string) => new URL(url).host;

async function localFile(t: TestContext, content = 'one line\n'): Promise<string> {
  const path = join(await makeTempDir(t, 'webhdfs-local-'), 'segment.log');
  await writeFile(path, content);
  return path;
}

testDestinationContract('WebHdfsDestination', async (t, template, timeZone) => {
  const { server, root } = await startTestServer(t);
  const url = `webhdfs://${hostOf(server.url)}/logs${template}`;
  return {
    destination: destination(t, url, { timeZone }),
    base: '/logs',
    read: (path) => readFile(join(root, path)),
    tamper: (path, content) => writeFile(join(root, path), content),
  };
});

test('describes itself by the active NameNode and template, never user or token', async () => {
  const url = 'webhdfs://nn1.example:9870/logs/{name}';
  const hdfs = new WebHdfsDestination(url, {
    user: 'alice',
    webhdfs: { delegationToken: 'SECRET-TOKEN', doAs: 'bob' },
  });
  await hdfs.close();

  assert.equal(hdfs.description, 'webhdfs://nn1.example:9870/logs/{name}');
  assert.doesNotMatch(hdfs.description, /alice|bob|SECRET/);
});

test('reads swebhdfs:// with its default port, and percent-escapes in the path', async () => {
  const hdfs = new WebHdfsDestination('swebhdfs://nn1.example/logs/my%20app/{name}');
  await hdfs.close();
  assert.equal(hdfs.description, 'swebhdfs://nn1.example:9871/logs/my app/{name}');
});

const refused: Array<[string, RegExp]> = [
  ['webhdfs:///logs/{name}', /names no NameNode host/],
  ['webhdfs://alice@nn1:9870/logs', /credentials/],
  ['webhdfs://nn1:9870', /names no directory/],
  ['webhdfs://nn1:9870/logs?user.name=x', /query/],
  ['webhdfs://nn1:9870/logs#x', /query or fragment/],
  ['webhdfs://nn1:9870/logs/a%2Fb', /escaped slash/],
  ['webhdfs://nn1:9870/logs/%zz', /malformed/],
  ['webhdfs://nn1:99999/logs', /host or port/],
  ['webhdfs://nn1:9870/logs/../etc', /relative reference/],
  ['webhdfs://nn1:9870/logs/%2e%2e/etc', /relative reference/],
  ['webhdfs://nn1:9870/logs/{bogus}', /bogus/],
  ['webhdfs://nn1:9870/logs/a:b', /":"/],
];

for (const [url, reason] of refused) {
  test(`refuses ${url} before any I/O`, () => {
    assert.throws(
      () => new WebHdfsDestination(url),
      (error: unknown) =>
        error instanceof InvalidOptionError &&
        error.option === 'destination' &&
        reason.test(error.message),
    );
  });
}

test('refuses an unusable client option or zone with its name', () => {
  const url = 'webhdfs://nn1:9870/logs';
  assert.throws(() => new WebHdfsDestination(url, { webhdfs: { connectTimeout: -1 } }), {
    option: 'connectTimeout',
  });
  assert.throws(() => new WebHdfsDestination(url, { timeZone: 'Mars/Base' }), {
    option: 'timeZone',
  });
  assert.throws(() => new WebHdfsDestination(url, { namenodes: ['ftp://nn2'] }), {
    option: 'namenodes[0]',
  });
});

test('sends user.name, and publishes as that user', async (t) => {
  const { server } = await startTestServer(t);
  const seen: DevHdfsRequestEvent[] = [];
  server.on('request', (event) => seen.push(event));
  const hdfs = destination(t, `webhdfs://${hostOf(server.url)}/logs/{name}`, {
    user: 'alice',
  });

  await hdfs.upload(await localFile(t), '/logs/app/a.log', call);
  assert.ok(seen.length > 0);
  assert.ok(seen.every((event) => event.query.get('user.name') === 'alice'));
});

test('keeps publishing across an HA failover in the middle of a run', async (t) => {
  const root = await makeTempDir(t, 'webhdfs-ha-');
  const pair = await startDevHdfsHaPair({ root });
  t.after(() => pair.close());
  const [nn1, nn2] = pair.urls.map(hostOf) as [string, string];
  // The URL's host listed again among the NameNodes is dropped, not tried twice.
  const hdfs = destination(t, `webhdfs://${nn1}/logs/{name}`, {
    namenodes: [`webhdfs://${nn1}`, `http://${nn2}`],
  });
  const local = await localFile(t);

  await hdfs.upload(local, '/logs/app/.a.tmp', call);
  assert.equal(hdfs.description, `webhdfs://${nn1}/logs/{name}`);
  pair.failover();

  await hdfs.rename('/logs/app/.a.tmp', '/logs/app/a.log', { ...call, overwrite: false });
  await hdfs.upload(local, '/logs/app/.b.tmp', call);
  assert.equal((await hdfs.stat('/logs/app/a.log', call))?.type, 'file');
  assert.equal(await hdfs.verifyContent(local, '/logs/app/a.log', call), 'checksum');
  assert.equal(hdfs.description, `webhdfs://${nn2}/logs/{name}`);
});

test('publishes through a gateway that takes the data itself', async (t) => {
  const { server, root } = await startTestServer(t, { gateway: true });
  const seen: DevHdfsRequestEvent[] = [];
  server.on('request', (event) => seen.push(event));
  const hdfs = destination(t, `webhdfs://${hostOf(server.url)}/logs/{name}`, {
    webhdfs: { gateway: true },
  });
  const local = await localFile(t, 'through the gateway\n');

  await hdfs.upload(local, '/logs/app/.a.tmp', call);
  await hdfs.rename('/logs/app/.a.tmp', '/logs/app/a.log', { ...call, overwrite: false });
  assert.equal(await hdfs.verifyContent(local, '/logs/app/a.log', call), 'checksum');
  assert.equal(
    await readFile(join(root, 'logs/app/a.log'), 'utf8'),
    'through the gateway\n',
  );
  assert.ok(seen.every((event) => event.role === 'namenode'));
});

test('passes the client errors through unchanged, for classifyError', async (t) => {
  const { server } = await startTestServer(t);
  const hdfs = destination(t, `webhdfs://${hostOf(server.url)}/logs/{name}`);
  const local = await localFile(t);
  server.setFaults({ safeMode: true });

  const error = await hdfs
    .upload(local, '/logs/app/a.log', call)
    .catch((e: unknown) => e);
  assert.ok(error instanceof WebHdfsRemoteError);
  assert.equal(error.exception, 'SafeModeException');
  assert.equal(classifyError(error), 'retry');

  server.setFaults({ safeMode: false });
  await hdfs.upload(local, '/logs/app/a.log', call);
  const again = await hdfs
    .upload(local, '/logs/app/a.log', call)
    .catch((e: unknown) => e);
  assert.ok(again instanceof WebHdfsRemoteError);
  assert.equal(again.exception, 'FileAlreadyExistsException');
});

test('a template without placeholders publishes in one fixed directory', async (t) => {
  const { server } = await startTestServer(t);
  const hdfs = destination(t, `webhdfs://${hostOf(server.url)}/logs/app/`);
  const placement = { name: 'other', host: 'h', start: 0 };

  assert.equal(hdfs.directoryFor(placement), '/logs/app');
  await hdfs.upload(await localFile(t), '/logs/app/a.log', call);
  assert.deepEqual(
    (await hdfs.list('/logs/app', call)).map((entry) => entry.name),
    ['a.log'],
  );
});
