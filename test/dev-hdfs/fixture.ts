/**
 * Shared set-up of the dev server's tests: a server over a fresh temporary
 * root, closed when the test ends, that fails the test if it reported an
 * internal error; a namespace laid out on disk; bounded waits.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DevHdfsServer, type DevHdfsOptions } from '../../src/dev-hdfs/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export interface TestServer {
  readonly server: DevHdfsServer;
  readonly root: string;
}

/** Starts a server on free ports over a new temporary root. */
export async function startTestServer(
  t: TestContext,
  options: Omit<DevHdfsOptions, 'root'> = {},
): Promise<TestServer> {
  const root = await makeTempDir(t, 'dev-hdfs-');
  const server = await DevHdfsServer.start({ root, ...options });
  const internalErrors: Error[] = [];
  server.on('internalError', (error) => internalErrors.push(error));
  t.after(async () => {
    await server.close();
    assert.deepEqual(internalErrors, [], 'the server reported internal errors');
  });
  return { server, root };
}

/** Lays out directories and files under `root` as HDFS paths. */
export async function layOut(
  root: string,
  entries: readonly ({ dir: string } | { file: string; content?: string })[],
): Promise<void> {
  for (const entry of entries) {
    if ('dir' in entry) {
      await mkdir(join(root, entry.dir), { recursive: true });
    } else {
      await mkdir(dirname(join(root, entry.file)), { recursive: true });
      await writeFile(join(root, entry.file), entry.content ?? '');
    }
  }
}

/**
 * Polls `condition` until it holds, failing after `timeoutMs`: for states
 * the server reaches on its own (bytes landed on disk), which have no event.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
