import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClientGoneError, readChunk } from '../../src/dev-hdfs/request-body.js';

/** What readChunk looks at of an IncomingMessage: a readable with `complete`. */
class FakeRequest extends PassThrough {
  complete = false;
}

const asRequest = (fake: FakeRequest) => fake as unknown as IncomingMessage;

/** The promise's outcome, or 'pending' if it has not settled within a second. */
async function outcome(promise: Promise<Buffer | undefined>): Promise<unknown> {
  const timeout = sleep(1000, 'pending', { ref: false });
  return Promise.race([
    promise.then(
      (chunk) => chunk?.toString(),
      (error: unknown) => error,
    ),
    timeout,
  ]);
}

test('reads a body chunk by chunk, then says it is complete', async () => {
  const req = new FakeRequest();
  req.end('abc');
  req.complete = true;
  assert.equal(await outcome(readChunk(asRequest(req))), 'abc');
  assert.equal(await outcome(readChunk(asRequest(req))), undefined);
});

test('a client that leaves mid-body is a ClientGoneError', async () => {
  const req = new FakeRequest();
  const reading = readChunk(asRequest(req));
  req.destroy();
  assert.ok((await outcome(reading)) instanceof ClientGoneError);
});

test('a body received whole but destroyed before it was read does not wait forever', async () => {
  // The client sent everything and went away before the DataNode read it all:
  // what is buffered may still come out, then the end must be a ClientGoneError,
  // or the server's file would stay open until garbage collection.
  const req = new FakeRequest();
  req.write('unread');
  req.complete = true;
  req.destroy();
  await sleep(0);
  let last: unknown;
  for (let reads = 0; reads < 3; reads++) {
    last = await outcome(readChunk(asRequest(req)));
    if (typeof last !== 'string') break;
  }
  assert.ok(last instanceof ClientGoneError, `ended with ${String(last)}`);
});
