import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { VerificationError } from '../../src/errors.js';
import type { FileStatus } from '../../src/hdfs/file-status.js';
import { verifyPublished } from '../../src/hdfs/verify-published.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MIB = 1024 * 1024;

async function published(t: TestContext, content: Buffer) {
  const { server, root } = await startTestServer(t);
  const hdfs = new WebHdfsClient({ namenodes: server.url });
  t.after(() => hdfs.close());
  const local = join(await makeTempDir(t), 'segment.log');
  await writeFile(local, content);
  await hdfs.create('/logs/segment.log', { path: local }, { blockSize: MIB });
  return { hdfs, local, root };
}

test('verifies content with HDFS checksums, across several blocks', async (t) => {
  const content = Buffer.alloc(2 * MIB + 12345, 'a');
  const { hdfs, local } = await published(t, content);

  assert.equal(
    await verifyPublished(hdfs, local, '/logs/segment.log', { checksum: true }),
    'checksum',
  );
  assert.equal(await verifyPublished(hdfs, local, '/logs/segment.log'), 'length');
});

test('finds a changed byte that the length cannot show', async (t) => {
  const { hdfs, local, root } = await published(t, Buffer.from('line one\nline two\n'));
  await writeFile(join(root, 'logs', 'segment.log'), 'line one\nline 2wo\n');

  await assert.rejects(
    verifyPublished(hdfs, local, '/logs/segment.log', { checksum: true }),
    (error) => error instanceof VerificationError && /checksum/.test(error.message),
  );
});

test('refuses a file of another length, and a directory', async (t) => {
  const { hdfs, local } = await published(t, Buffer.from('abc\n'));
  await writeFile(local, 'abcd\n');

  await assert.rejects(
    verifyPublished(hdfs, local, '/logs/segment.log'),
    /length is 4, expected 5/,
  );
  await assert.rejects(
    verifyPublished(hdfs, local, '/logs'),
    /type is DIRECTORY, expected FILE/,
  );
});

test('verifies an erasure-coded file by length only', async (t) => {
  const local = join(await makeTempDir(t), 'segment.log');
  await writeFile(local, 'abc\n');
  const status = { type: 'FILE', length: 4, blockSize: MIB, ecBit: true } as FileStatus;
  let checksumAsked = false;
  const store = {
    getFileStatus: () => Promise.resolve(status),
    getFileChecksum: () => {
      checksumAsked = true;
      return Promise.reject(new Error('not an MD5-of-MD5 checksum'));
    },
  };

  assert.equal(
    await verifyPublished(store, local, '/ec/segment.log', { checksum: true }),
    'length',
  );
  assert.equal(checksumAsked, false);
});
