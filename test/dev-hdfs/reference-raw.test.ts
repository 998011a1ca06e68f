/**
 * Runs every reference case (reference-cases.ts) with raw HTTP against a
 * fresh dev server started with the case's faults and settings: the status,
 * the exact JSON, the RemoteException's shape and class or the HTML page,
 * OPEN's bytes, and the namespace afterwards.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layOut, startTestServer } from './fixture.js';
import {
  rawRequest,
  remoteException,
  twoStep,
  webHdfsTarget,
  type RawResponse,
} from './raw-http.js';
import { checkAfter } from './reference-after.js';
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

function checkBody(kase: ReferenceCase, response: RawResponse): void {
  const { expect } = kase;
  if (expect.json !== undefined) {
    assert.deepEqual(JSON.parse(response.text), expect.json, kase.cite);
    return;
  }
  if (expect.html === true) {
    assert.match(response.headers['content-type'] ?? '', /^text\/html/, kase.cite);
    assert.throws(() => JSON.parse(response.text) as unknown, 'not JSON');
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
  if (expect.body !== undefined) {
    assert.equal(response.text, expect.body, kase.cite);
    return;
  }
  assert.equal(response.body.length, 0, `no body expected: ${response.text}`);
}

for (const kase of referenceCases) {
  test(kase.title, async (t) => {
    const { server, root } = await startTestServer(t, {
      ...kase.server,
      ...(kase.faults === undefined ? {} : { faults: kase.faults }),
    });
    await layOut(root, kase.setup);

    const response = await perform(server.url, kase.request);

    assert.equal(response.status, kase.expect.status, `${kase.cite}\n${response.text}`);
    checkBody(kase, response);
    await checkAfter(kase, server, root);
  });
}
