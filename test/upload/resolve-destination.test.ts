import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { DevHdfsRequestEvent } from '../../src/dev-hdfs/index.js';
import { describeValue, InvalidOptionError } from '../../src/errors.js';
import type { Destination } from '../../src/upload/destination.js';
import { FileDestination } from '../../src/upload/file-destination.js';
import {
  resolveDestination,
  type DestinationContext,
} from '../../src/upload/resolve-destination.js';
import { WebHdfsDestination } from '../../src/upload/webhdfs-destination.js';
import { startTestServer } from '../dev-hdfs/fixture.js';

const context: DestinationContext = {
  option: 'destination',
  name: 'app',
  host: 'web-1',
  timeZone: 'UTC',
};

function resolve(t: TestContext, value: unknown, more: Partial<DestinationContext> = {}) {
  const destination = resolveDestination(value, { ...context, ...more });
  t.after(() => destination.close?.());
  return destination;
}

/** Asserts an InvalidOptionError for `option` whose message matches `pattern`. */
function assertRefused(
  run: () => unknown,
  pattern: RegExp,
  option = 'destination',
): InvalidOptionError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof InvalidOptionError,
    `an InvalidOptionError: ${String(caught)}`,
  );
  assert.equal(caught.option, option);
  assert.match(caught.message, pattern);
  return caught;
}

test('resolves webhdfs:// and swebhdfs:// URLs, any case, to WebHDFS', (t) => {
  for (const url of ['webhdfs://nn1:9870/logs/{name}', 'SWebHDFS://nn1/logs/{name}']) {
    assert.ok(resolve(t, url) instanceof WebHdfsDestination, url);
  }
});

test('resolves file:/// URLs to a local directory', (t) => {
  const destination = resolve(t, 'file:///srv/published/{name}/{host}');
  assert.ok(destination instanceof FileDestination);
  assert.equal(
    destination.directoryFor({ name: 'app', host: 'web-1', start: 0 }),
    '/srv/published/app/web-1',
  );
});

test('refuses hdfs:// and suggests the same place over WebHDFS', () => {
  assertRefused(
    () => resolveDestination('hdfs://nn1:8020/logs/{name}', context),
    /"webhdfs:\/\/nn1:9870\/logs\/\{name\}": hdfs:\/\/ is Hadoop's RPC protocol/,
  );
});

test('refuses http(s):// and points to webhdfs:// and webhdfs.basePath', () => {
  assertRefused(
    () => resolveDestination('http://nn1:9870/webhdfs/v1/logs/{name}', context),
    /"webhdfs:\/\/nn1:9870\/logs\/\{name\}".*webhdfs\.basePath/s,
  );
  assertRefused(
    () => resolveDestination('https://knox:8443/gateway/prod/webhdfs/v1/logs', context),
    /"swebhdfs:\/\/knox:8443\/logs" with webhdfs.basePath "\/gateway\/prod\/webhdfs\/v1"/,
  );
});

for (const value of [
  'ftp://nn1/logs',
  '/logs/{name}',
  'logs',
  '',
  42,
  true,
  undefined,
  null,
]) {
  test(`refuses ${describeValue(value)}, saying what was expected`, () => {
    const error = assertRefused(
      () => resolveDestination(value, { ...context, option: 'transport.destination' }),
      /webhdfs:\/\/.*file:\/\/\/.*Destination object/s,
      'transport.destination',
    );
    assert.equal(error.received, value);
  });
}

test('refuses an invalid template synchronously, before any request', async (t) => {
  const { server } = await startTestServer(t);
  const seen: DevHdfsRequestEvent[] = [];
  server.on('request', (event) => seen.push(event));
  const host = new URL(server.url).host;

  assertRefused(
    () => resolveDestination(`webhdfs://${host}/logs/{yyyy-MM-dd HH}`, context),
    /white space|holds/,
  );
  assertRefused(() => resolveDestination('file:///srv/{nme}', context), /nme/);
  assert.deepEqual(seen, []);
});

test('refuses a template this host name cannot be put in, at once', () => {
  const bad = { ...context, host: 'web:1' };
  assertRefused(
    () => resolveDestination('webhdfs://nn1/logs/{host}', bad),
    /host "web:1".*":"/s,
  );
  assertRefused(() => resolveDestination('file:///srv/{host}', bad), /host "web:1"/);
  // Not in the template, not a problem.
  assert.ok(resolveDestination('file:///srv/{name}', bad));
});

test('refuses NameNodes or a user given inside webhdfs', () => {
  const url = 'webhdfs://nn1/logs';
  const namenodes = { webhdfs: { namenodes: ['nn2'] } };
  assertRefused(
    () => resolveDestination(url, { ...context, ...namenodes }),
    /use "namenodes"/,
    'webhdfs.namenodes',
  );
  const user = { webhdfs: { user: 'alice' } };
  assertRefused(
    () => resolveDestination(url, { ...context, ...user }),
    /use "user"/,
    'webhdfs.user',
  );
});

test('passes user, NameNodes and client settings on to WebHDFS', async (t) => {
  const { server } = await startTestServer(t, { gateway: true });
  const seen: DevHdfsRequestEvent[] = [];
  server.on('request', (event) => seen.push(event));
  const host = new URL(server.url).host;

  const destination = resolve(t, `webhdfs://127.0.0.1:1/logs/{name}`, {
    namenodes: [`webhdfs://${host}`],
    user: 'alice',
    webhdfs: { gateway: true, connectTimeout: 2000 },
  });
  const signal = new AbortController().signal;
  assert.deepEqual(await destination.list('/logs/app', { signal }), []);
  assert.equal(destination.description, `webhdfs://${host}/logs/{name}`);
  assert.ok(seen.some((event) => event.query.get('user.name') === 'alice'));
});

/** A store that keeps nothing, implementing only the required members. */
function pluggedIn(): Destination {
  return {
    description: 'memory://test',
    directoryFor: () => '/logs',
    upload: () => Promise.resolve(),
    rename: () => Promise.resolve(),
    stat: () => Promise.resolve(undefined),
    list: () => Promise.resolve([]),
    delete: () => Promise.resolve(false),
  };
}

test('accepts an object with every required member, as it is', () => {
  const store = pluggedIn();
  assert.equal(resolveDestination(store, context), store);
});

test('refuses an object and lists every member it lacks', () => {
  const store: Record<string, unknown> = {
    ...pluggedIn(),
    description: 7,
    verifyContent: 'yes',
  };
  delete store.upload;
  delete store.list;
  const error = assertRefused(
    () => resolveDestination(store, { ...context, option: 'store' }),
    /upload, list, description \(a string\), verifyContent \(a function when given\)/,
    'store',
  );
  assert.match(error.message, /Destination object/);
});

test('refuses verify: checksum for an object that cannot compare content', () => {
  const store = pluggedIn();
  assert.equal(resolveDestination(store, { ...context, verify: 'length' }), store);
  assertRefused(
    () => resolveDestination(store, { ...context, verify: 'checksum' }),
    /"length" for a Destination object without verifyContent \(destination: memory:\/\/test\)/,
    'verify',
  );

  const comparing = { ...pluggedIn(), verifyContent: () => Promise.resolve('checksum') };
  assert.equal(
    resolveDestination(comparing, { ...context, verify: 'checksum' }),
    comparing,
  );
});
