/**
 * Runs the reference cases (test/dev-hdfs/reference-cases.ts, rows of
 * webhdfs-reference.md) through the project's WebHDFS client against the dev
 * server; reference-raw.test.ts runs the same data with raw HTTP, so that the
 * client and the server cannot agree on the same mistake.
 */
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidHdfsPathError, WebHdfsRemoteError } from '../../src/errors.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import { layOut, startTestServer } from '../dev-hdfs/fixture.js';
import { referenceCases, type ReferenceCase } from '../dev-hdfs/reference-cases.js';

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
  const { path } = request;
  const body = Buffer.from(request.body ?? '');
  const flag = (name: string) =>
    params[name] === undefined ? undefined : params[name] === 'true';

  switch (request.op) {
    case 'CREATE':
      return (hdfs) =>
        hdfs.create(path, body, {
          ...(flag('overwrite') === undefined ? {} : { overwrite: flag('overwrite') }),
          ...(flag('createparent') === undefined
            ? {}
            : { createParent: flag('createparent') }),
          ...(params.blocksize === undefined
            ? {}
            : { blockSize: Number(params.blocksize) }),
        });
    case 'APPEND':
      return (hdfs) => hdfs.append(path, body);
    case 'OPEN':
      return async (hdfs) => {
        const stream = await hdfs.open(path, { offset: Number(params.offset ?? 0) });
        return Buffer.concat(await stream.toArray()).toString();
      };
    case 'RENAME': {
      const destination = params.destination ?? '';
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
    default:
      return `an op the client does not send (${JSON.stringify(request.op)})`;
  }
}

const KNOWN_PARAMS = new Set([
  'overwrite',
  'createparent',
  'blocksize',
  'offset',
  'destination',
  'renameoptions',
  'recursive',
]);

async function exists(root: string, path: string): Promise<boolean> {
  return stat(join(root, path)).then(
    () => true,
    () => false,
  );
}

/** Checks the client's outcome against the case's expected answer. */
function checkOutcome(
  kase: ReferenceCase,
  outcome: { value?: unknown; error?: unknown },
) {
  const { expect, cite } = kase;
  if (expect.status >= 400) {
    // The client refuses invalid paths before sending: the same verdict, earlier.
    if (outcome.error instanceof InvalidHdfsPathError) return;
    assert.ok(
      outcome.error instanceof WebHdfsRemoteError,
      `${cite}: ${String(outcome.error)}`,
    );
    assert.equal(outcome.error.status, expect.status, cite);
    if (expect.exception !== undefined) {
      assert.equal(outcome.error.exception, expect.exception, cite);
    }
    return;
  }
  assert.equal(outcome.error, undefined, `${cite}: ${String(outcome.error)}`);
  if (isBooleanJson(expect.json)) assert.equal(outcome.value, expect.json.boolean, cite);
}

function isBooleanJson(json: unknown): json is { boolean: boolean } {
  return typeof json === 'object' && json !== null && 'boolean' in json;
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

for (const kase of runnable) {
  test(`client: ${kase.title}`, async (t) => {
    const { server, root } = await startTestServer(t);
    await layOut(root, kase.setup);
    const hdfs = new WebHdfsClient({ namenodes: server.url, user: 'alice' });
    t.after(() => hdfs.close());
    const call = clientCall(kase.request) as Call;

    const outcome = await call(hdfs).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );

    checkOutcome(kase, outcome);
    for (const path of kase.after?.exists ?? []) {
      assert.ok(await exists(root, path), `${path} should exist`);
    }
    for (const path of kase.after?.missing ?? []) {
      assert.ok(!(await exists(root, path)), `${path} should not exist`);
    }
    for (const [path, content] of Object.entries(kase.after?.content ?? {})) {
      assert.equal(await readFile(join(root, path), 'utf8'), content, path);
    }
  });
}
