/**
 * Uploads stream with constant memory whatever the file size (issue 2): a
 * 512 MiB file goes from a child process, through the client, to the dev
 * server in this process, and the child's resident memory must not grow
 * with it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestServer } from '../dev-hdfs/fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const CHILD = fileURLToPath(
  new URL('../fixtures/upload-memory-child.js', import.meta.url),
);
const run = promisify(execFile);
const MIB = 1024 * 1024;
const FILE_BYTES = 512 * MIB;
/** Far below the file, far above the client's buffers (256 KiB reads, socket queues). */
const MAX_GROWTH = 64 * MIB;

test('a 512 MiB upload from a file keeps the uploader’s memory flat', async (t) => {
  const { server, root } = await startTestServer(t);
  const file = join(await makeTempDir(t), 'big.bin');
  // Sparse: the bytes cost no disk to hold, only to send and to receive.
  const handle = await open(file, 'w');
  await handle.truncate(FILE_BYTES);
  await handle.close();

  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', CHILD, server.url, file, '/big/file.bin'],
    { timeout: 60_000 },
  );
  const { baseline, peak } = JSON.parse(stdout) as { baseline: number; peak: number };

  assert.equal((await stat(join(root, 'big/file.bin'))).size, FILE_BYTES);
  const growth = peak - baseline;
  assert.ok(
    growth < MAX_GROWTH,
    `RSS grew ${(growth / MIB).toFixed(1)} MiB (baseline ${(baseline / MIB).toFixed(1)} MiB)`,
  );
});
