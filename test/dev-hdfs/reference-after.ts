/**
 * The `after` part of a reference case, checked the same way by the raw run
 * and the client run: what is on disk under the served root, and the owners
 * the namespace records.
 */
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DevHdfsServer } from '../../src/dev-hdfs/index.js';
import type { ReferenceCase } from './reference-case.js';

async function exists(root: string, path: string): Promise<boolean> {
  return stat(join(root, path)).then(
    () => true,
    () => false,
  );
}

/** Asserts every `after` expectation of `kase`. */
export async function checkAfter(
  kase: ReferenceCase,
  server: DevHdfsServer,
  root: string,
): Promise<void> {
  for (const path of kase.after?.exists ?? []) {
    assert.ok(await exists(root, path), `${path} should exist`);
  }
  for (const path of kase.after?.missing ?? []) {
    assert.ok(!(await exists(root, path)), `${path} should not exist`);
  }
  for (const [path, content] of Object.entries(kase.after?.content ?? {})) {
    assert.equal(await readFile(join(root, path), 'utf8'), content, path);
  }
  for (const [path, owner] of Object.entries(kase.after?.owners ?? {})) {
    const status = await server.namespace.getFileStatus(path);
    assert.equal(status.owner, owner, `owner of ${path} (${kase.cite})`);
  }
}
