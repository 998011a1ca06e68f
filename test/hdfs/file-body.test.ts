import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, truncate, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { UploadSourceError } from '../../src/errors.js';
import { FileBody } from '../../src/hdfs/file-body.js';
import { exchange } from '../../src/hdfs/http-exchange.js';
import { startFakeServer } from '../helpers/fake-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const KIB = 1024;
const context = { op: 'CREATE', path: '/a', role: 'datanode', endpoint: 'test' } as const;

/** A PUT of the file at `path` through the client's exchange, as an upload sends it. */
function putFile(url: string, path: string) {
  return exchange({
    url: new URL(url),
    method: 'PUT',
    context,
    agent: new http.Agent(),
    timeouts: { connect: 5_000, request: 5_000, stall: 5_000 },
    body: { path },
  });
}

/**
 * A target that, like a socket, reads each chunk only some time after it was
 * handed over, and calls back then: a body that reused a buffer before its
 * write completed would show up here as wrong bytes.
 */
function lateReader(options: { holdMs?: number; onWrite?: () => Promise<void> } = {}) {
  const chunks: Buffer[] = [];
  let ended = false;
  const target = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const take = async (): Promise<void> => {
        await options.onWrite?.();
        await sleep(options.holdMs ?? 1);
        chunks.push(Buffer.from(chunk));
        callback();
      };
      void take();
    },
    final(callback) {
      ended = true;
      callback();
    },
  });
  return { target, received: () => Buffer.concat(chunks), ended: () => ended };
}

async function sendAll(body: FileBody, target: Writable): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    target.once('finish', resolve);
    body.sendTo(target, reject);
  });
}

test('sends every byte in order while the target still holds earlier chunks', async (t) => {
  const dir = await makeTempDir(t);
  // Several buffers' worth, and not a multiple of their size.
  const files = [randomBytes(1100 * KIB + 17), randomBytes(700 * KIB)];
  for (const [index, bytes] of files.entries()) {
    await writeFile(join(dir, `${index}.log`), bytes);
  }

  // One after the other: the second reuses the buffers the first gave back.
  for (const [index, bytes] of files.entries()) {
    const body = await FileBody.open(join(dir, `${index}.log`));
    const reader = lateReader();
    await sendAll(body, reader.target);

    assert.equal(body.length, bytes.length);
    assert.ok(reader.received().equals(bytes), `file ${index} arrived intact`);
  }
});

test('sends an empty file as an empty body', async (t) => {
  const file = join(await makeTempDir(t), 'empty.log');
  await writeFile(file, '');
  const body = await FileBody.open(file);
  const reader = lateReader();

  await sendAll(body, reader.target);

  assert.equal(body.length, 0);
  assert.equal(reader.received().length, 0);
  assert.equal(reader.ended(), true);
});

test('reads at most two chunks ahead of a target that takes nothing', async (t) => {
  const file = join(await makeTempDir(t), 'big.log');
  await writeFile(file, randomBytes(2048 * KIB));
  let writes = 0;
  let secondWrite = (): void => undefined;
  const twoWritten = new Promise<void>((resolve) => (secondWrite = resolve));
  // Takes every chunk and never calls back, as a socket whose peer stopped reading.
  const target = {
    write(): boolean {
      writes += 1;
      if (writes === 2) secondWrite();
      return false;
    },
  } as unknown as Writable;
  const body = await FileBody.open(file);

  body.sendTo(target, (error) => assert.fail(error));
  await twoWritten;
  // Time for a third read, had the body not waited for the first write.
  await sleep(50);
  body.stop();

  assert.equal(writes, 2);
});

test('fails when the file shrinks while it is being sent', async (t) => {
  const file = join(await makeTempDir(t), 'shrinking.log');
  await writeFile(file, randomBytes(1024 * KIB));
  const body = await FileBody.open(file);
  let truncated = false;
  const reader = lateReader({
    onWrite: async () => {
      if (truncated) return;
      truncated = true;
      await truncate(file, 10);
    },
  });

  await assert.rejects(sendAll(body, reader.target), /shrank to \d+ of 1048576 bytes/);
  assert.equal(reader.ended(), false);
});

test('closes the file when stopped in the middle', async (t) => {
  if (process.platform !== 'linux') return t.skip('counts descriptors in /proc');
  const descriptors = async () => (await readdir('/proc/self/fd')).length;
  const file = join(await makeTempDir(t), 'stopped.log');
  await writeFile(file, randomBytes(2048 * KIB));
  const before = await descriptors();
  const body = await FileBody.open(file);
  let firstWrite = (): void => undefined;
  const writing = new Promise<void>((resolve) => (firstWrite = resolve));
  const reader = lateReader({
    holdMs: 50,
    onWrite: () => {
      firstWrite();
      return Promise.resolve();
    },
  });

  body.sendTo(reader.target, (error) => assert.fail(error));
  await writing;
  assert.equal(await descriptors(), before + 1, 'the file is open while sent');
  body.stop();
  while ((await descriptors()) > before) await sleep(5);

  assert.equal(reader.ended(), false);
});

test('an upload of a file through a socket arrives whole', async (t) => {
  const bytes = randomBytes(3 * 1024 * KIB + 5);
  const file = join(await makeTempDir(t), 'segment.log');
  await writeFile(file, bytes);
  const received: Buffer[] = [];
  const server = await startFakeServer(t, (req, res) => {
    // A slow reader: the client's writes stay queued for a while.
    req.on('data', (chunk: Buffer) => {
      received.push(chunk);
      req.pause();
      setTimeout(() => req.resume(), 1);
    });
    req.on('end', () => res.writeHead(201, { 'content-length': 0 }).end());
  });

  const res = await putFile(server.url, file);
  res.body.resume();

  assert.equal(res.status, 201);
  assert.ok(Buffer.concat(received).equals(bytes));
});

test('a file that cannot be read fails the upload as ERR_UPLOAD_SOURCE', async (t) => {
  const dir = await makeTempDir(t);
  const server = await startFakeServer(t, (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(201, { 'content-length': 0 }).end());
  });

  // A directory: its size can be taken, its bytes cannot be read.
  await assert.rejects(putFile(server.url, dir), (error) => {
    assert.ok(error instanceof UploadSourceError);
    assert.equal(error.code, 'ERR_UPLOAD_SOURCE');
    return true;
  });
});
