/**
 * Runs every reference case (reference-cases.ts) with raw HTTP against a
 * fresh dev server: the status, the exact JSON or the RemoteException's shape
 * and class, and the namespace on disk afterwards.
 */
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { layOut, startTestServer } from './fixture.js';
import {
  rawRequest,
  remoteException,
  twoStep,
  webHdfsTarget,
  type RawResponse,
} from './raw-http.js';
import { methodOf, referenceCases, type ReferenceCase } from './reference-cases.js';

const TWO_STEP_OPS = ['CREATE', 'APPEND', 'OPEN', 'GETFILECHECKSUM'];

async function perform(nameNodeUrl: string, request: ReferenceCase['request']) {
  const method = methodOf(request.op);
  const target = webHdfsTarget(request.path, request.op, request.params);
  if (TWO_STEP_OPS.includes(request.op.toUpperCase())) {
    return (await twoStep(nameNodeUrl, method, target, request.body)).final;
  }
  return rawRequest(nameNodeUrl, target, { method });
}

async function exists(root: string, path: string): Promise<boolean> {
  return stat(join(root, path)).then(
    () => true,
    () => false,
  );
}

function checkBody(kase: ReferenceCase, response: RawResponse): void {
  const { expect } = kase;
  if (expect.json !== undefined) {
    assert.deepEqual(JSON.parse(response.text), expect.json, kase.cite);
    return;
  }
  if (response.status >= 400) {
    const remote = remoteException(response);
    if (expect.exception !== undefined) {
      assert.equal(remote.exception, expect.exception, kase.cite);
    }
    assert.match(remote.javaClassName, new RegExp(`[.$]${remote.exception}$`));
    assert.equal(typeof remote.message, 'string');
    return;
  }
  if (kase.request.op.toUpperCase() !== 'OPEN') {
    assert.equal(response.body.length, 0, `no body expected: ${response.text}`);
  }
}

for (const kase of referenceCases) {
  test(kase.title, async (t) => {
    const { server, root } = await startTestServer(t);
    await layOut(root, kase.setup);

    const response = await perform(server.url, kase.request);

    assert.equal(response.status, kase.expect.status, `${kase.cite}\n${response.text}`);
    checkBody(kase, response);
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
