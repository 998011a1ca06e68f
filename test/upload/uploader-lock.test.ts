import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { UploaderLock } from '../../src/upload/uploader-lock.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('one holder at a time; released, the lock is free at once', async (t) => {
  const spool = await makeTempDir(t);

  const first = await UploaderLock.acquire(spool);
  const second = await UploaderLock.acquire(spool);
  first?.release();
  const third = await UploaderLock.acquire(spool);
  third?.release();

  assert.ok(first);
  assert.equal(second, undefined);
  assert.ok(third);
});

test('spools with long paths that share a long prefix get locks of their own', async (t) => {
  const prefix = join(await makeTempDir(t), 'x'.repeat(120));
  const [a, b] = [`${prefix}-a`, `${prefix}-b`];
  await Promise.all([mkdir(a, { recursive: true }), mkdir(b, { recursive: true })]);

  const lockA = await UploaderLock.acquire(a);
  const lockB = await UploaderLock.acquire(b);
  const again = await UploaderLock.acquire(a);
  lockA?.release();
  lockB?.release();

  assert.ok(lockA, 'the first spool is locked');
  assert.ok(lockB, 'the second spool is not blocked by the first');
  assert.equal(again, undefined, 'the first spool is still held');
  assert.ok(Buffer.byteLength(UploaderLock.socketPath(a)) <= 100);
});
