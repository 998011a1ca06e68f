/**
 * Runs the reference cases (test/dev-hdfs/reference-cases.ts, rows of
 * webhdfs-reference.md) through the project's WebHDFS client against the dev
 * server, started with the case's faults and settings; reference-raw.test.ts
 * runs the same data with raw HTTP, so that the client and the server cannot
 * agree on the same mistake.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  InvalidHdfsPathError,
  WebHdfsHttpError,
  WebHdfsRemoteError,
} from '../../src/errors.js';
import { classifyError } from '../../src/hdfs/error-class.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import { resolveClientOptions } from '../../src/hdfs/webhdfs-client-options.js';
import { layOut, startTestServer } from '../dev-hdfs/fixture.js';
import { checkAfter } from '../dev-hdfs/reference-after.js';
import {
  pathRuleCases,
  referenceCases,
  type ReferenceCase,
} from '../dev-hdfs/reference-cases.js';

type Call = (hdfs: WebHdfsClient) => Promise<unknown>;

/**
 * The client call a case's request stands for, or the reason the client cannot
 * express it: an unknown or missing op, a malformed parameter or a user name the
 * client itself refuses are the server's business only (the raw run covers them).
 */
function clientCall(request: ReferenceCase['request']): Call | string {
  const params = request.params ?? {};
  const unused = Object.keys(params).filter((key) => !KNOWN_PARAMS.has(key));
  if (unused.length > 0) return `parameters the client sets itself: ${unused.join(', ')}`;
  if (typeof clientUsers(request) === 'string') return 'a user name the client refuses';
  const { path } = request;
  const body = Buffer.from(request.body ?? '');
  const flag = (name: string) =>
    params[name] === undefined ? undefined : params[name] === 'true';
  const number = (name: string) =>
    params[name] === undefined ? undefined : Number(params[name]);

  switch (request.op) {
    case 'CREATE':
      return (hdfs) =>
        hdfs.create(path, body, {
          ...(flag('overwrite') === undefined ? {} : { overwrite: flag('overwrite') }),
          ...(flag('createparent') === undefined
            ? {}
            : { createParent: flag('createparent') }),
          ...(params.blocksize === undefined ? {} : { blockSize: number('blocksize') }),
        });
    case 'APPEND':
      return (hdfs) => hdfs.append(path, body);
    case 'OPEN':
      return async (hdfs) => {
        const range = { offset: number('offset'), length: number('length') };
        const stream = await hdfs.open(path, range);
        return Buffer.concat(await stream.toArray()).toString();
      };
    case 'RENAME': {
      const destination = params.destination;
      if (destination === undefined) return 'a RENAME without destination';
      const option = params.renameoptions;
      if (option === undefined) return (hdfs) => hdfs.rename(path, destination);
      const overwrite = option === 'OVERWRITE';
      return (hdfs) => hdfs.renameWithOptions(path, destination, { overwrite });
    }
    case 'DELETE':
      if (!['true', 'false', undefined].includes(params.recursive))
        return 'a malformed flag';
      return (hdfs) => hdfs.delete(path, { recursive: flag('recursive') ?? false });
    case 'MKDIRS':
      return (hdfs) => hdfs.mkdirs(path);
    case 'GETFILESTATUS':
      return (hdfs) => hdfs.getFileStatus(path);
    case 'LISTSTATUS':
      return (hdfs) => hdfs.listStatus(path);
    case 'GETFILECHECKSUM':
      return (hdfs) => hdfs.getFileChecksum(path);
    case 'GETHOMEDIRECTORY':
      // The client always asks at "/": HDFS ignores the path of this op.
      if (path !== '/') return 'a GETHOMEDIRECTORY path other than "/"';
      return (hdfs) => hdfs.getHomeDirectory();
    default:
      return `an op the client does not send (${JSON.stringify(request.op)})`;
  }
}

const KNOWN_PARAMS = new Set([
  'overwrite',
  'createparent',
  'blocksize',
  'offset',
  'length',
  'destination',
  'renameoptions',
  'recursive',
  'user.name',
  'doas',
]);

/**
 * The client's `user` and `doAs`: the case's `user.name` and `doas`, so that
 * both runs send the same; a string when the client refuses them.
 */
function clientUsers(
  request: ReferenceCase['request'],
): { user?: string; doAs?: string } | string {
  const user = request.params?.['user.name'];
  const doAs = request.params?.doas;
  const users = {
    ...(user === undefined ? {} : { user }),
    ...(doAs === undefined ? {} : { doAs }),
  };
  try {
    resolveClientOptions({ namenodes: 'http://127.0.0.1:1', ...users });
    return users;
  } catch (error) {
    return String(error);
  }
}

/** Checks a failed call against the case's expected answer. */
function checkError(kase: ReferenceCase, error: unknown): void {
  const { expect, cite } = kase;
  if (expect.clientRefuses === true) {
    assert.ok(error instanceof InvalidHdfsPathError, `${cite}: ${String(error)}`);
    return;
  }
  if (expect.html === true) {
    assert.ok(error instanceof WebHdfsHttpError, `${cite}: ${String(error)}`);
  } else {
    assert.ok(error instanceof WebHdfsRemoteError, `${cite}: ${String(error)}`);
    const remote = isRemoteBody(expect.json) ? expect.json.RemoteException : undefined;
    const exception = remote?.exception ?? expect.exception;
    if (exception !== undefined) assert.equal(error.exception, exception, cite);
    if (remote !== undefined) {
      assert.equal(error.javaClassName, remote.javaClassName, cite);
      assert.equal(error.remoteMessage, remote.message, cite);
    }
  }
  assert.equal(error.status, expect.status, cite);
  if (expect.errorClass !== undefined) {
    assert.equal(classifyError(error), expect.errorClass, cite);
  }
}

/** Checks a successful call's value against the case's expected answer. */
function checkValue(kase: ReferenceCase, value: unknown): void {
  const { expect, cite } = kase;
  const json = expect.json;
  if (expect.body !== undefined) assert.equal(value, expect.body, cite);
  if (!isRecord(json)) return;
  if ('boolean' in json) assert.equal(value, json.boolean, cite);
  if ('Path' in json) assert.equal(value, json.Path, cite);
  if ('FileChecksum' in json) assert.deepEqual(value, json.FileChecksum, cite);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isRemoteBody(json: unknown): json is {
  RemoteException: { exception: string; javaClassName: string; message: string };
} {
  return isRecord(json) && isRecord(json.RemoteException);
}

const runnable = referenceCases.filter(
  (kase) => typeof clientCall(kase.request) === 'function',
);

test('the client can express every case of the CREATE, RENAME, MKDIRS and DELETE tables', () => {
  const tables = referenceCases.filter((kase) =>
    /^webhdfs-reference\.md §5\./.test(kase.cite),
  );
  assert.ok(tables.length >= 30, `only ${tables.length} table cases`);
  for (const kase of tables) {
    assert.equal(typeof clientCall(kase.request), 'function', kase.title);
  }
});

test('every case that needs a fault or a setting runs through the client too', () => {
  const staged = referenceCases.filter(
    (kase) => kase.faults !== undefined || kase.server !== undefined,
  );
  assert.ok(staged.length >= 20, `only ${staged.length} cases with faults or settings`);
  for (const kase of staged) {
    assert.equal(typeof clientCall(kase.request), 'function', kase.title);
    if (kase.expect.status >= 400) assert.ok(kase.expect.errorClass, kase.title);
  }
});

test('only path-rule cases let the client refuse before sending', () => {
  const refusing = referenceCases.filter((kase) => kase.expect.clientRefuses === true);
  assert.ok(refusing.length > 0);
  for (const kase of refusing) assert.ok(pathRuleCases.includes(kase), kase.title);
});

for (const kase of runnable) {
  test(`client: ${kase.title}`, async (t) => {
    const { server, root } = await startTestServer(t, {
      ...kase.server,
      ...(kase.faults === undefined ? {} : { faults: kase.faults }),
    });
    await layOut(root, kase.setup);
    const users = clientUsers(kase.request) as { user?: string; doAs?: string };
    const hdfs = new WebHdfsClient({ namenodes: server.url, ...users });
    t.after(() => hdfs.close());
    const call = clientCall(kase.request) as Call;

    const outcome = await call(hdfs).then(
      (value) => ({ failed: false, value }) as const,
      (error: unknown) => ({ failed: true, error }) as const,
    );

    const expectsError = kase.expect.status >= 400 || kase.expect.clientRefuses === true;
    if (outcome.failed !== expectsError) {
      assert.fail(`${kase.cite}: ${outcome.failed ? String(outcome.error) : 'no error'}`);
    }
    if (outcome.failed) checkError(kase, outcome.error);
    else checkValue(kase, outcome.value);
    await checkAfter(kase, server, root);
  });
}
