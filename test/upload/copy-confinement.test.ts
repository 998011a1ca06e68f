/**
 * The confinement of a copy job's reading: a file is judged by the real
 * path of what opens, and only as the file the scan saw.
 */
import assert from 'node:assert/strict';
import { mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { SourceConfinement } from '../../src/upload/copy-confinement.js';
import { identityKey } from '../../src/upload/copy-identity.js';
import { parsePattern } from '../../src/upload/copy-patterns.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('a file is judged by the real path of what it opens', async (t) => {
  const root = await makeTempDir(t);
  const logs = join(root, 'logs');
  await mkdir(join(root, 'disk2'));
  await mkdir(join(root, 'elsewhere'));
  await writeFile(join(root, 'disk2', 'app.log'), 'inside\n');
  await writeFile(join(root, 'elsewhere', 'secret'), 'secret\n');
  // The base itself is a link: what it leads to is the base.
  await symlink(join(root, 'disk2'), logs);
  await symlink(join(root, 'elsewhere', 'secret'), join(root, 'disk2', 'out.log'));
  await symlink(join(logs, 'app.log'), join(root, 'disk2', 'current.log'));
  const pattern = parsePattern(join(logs, '*.log'), 'p', root);
  const confinement = new SourceConfinement();
  const identity = async (path: string) => identityKey(await stat(path));

  for (const name of ['app.log', 'current.log']) {
    const file = join(logs, name);
    assert.equal(await confinement.check(file, await identity(file), pattern), undefined);
  }
  const out = join(logs, 'out.log');
  const refusal = await confinement.check(out, await identity(out), pattern);
  assert.ok(typeof refusal === 'object', 'refused');
  assert.equal(refusal.code, 'ERR_COPY_OUTSIDE_BASE');
  assert.match(
    refusal.message,
    /real path .*elsewhere\/secret is outside .*disk2, the base/,
  );
});

test('a file that is not the one the scan saw, or is gone, is looked at later', async (t) => {
  const logs = await makeTempDir(t);
  await writeFile(join(logs, 'app.log'), 'new file after a rotation\n');
  const pattern = parsePattern(join(logs, '*.log'), 'p', logs);
  const confinement = new SourceConfinement();

  assert.equal(await confinement.check(join(logs, 'app.log'), '1:2', pattern), 'gone');
  assert.equal(await confinement.check(join(logs, 'gone.log'), '1:2', pattern), 'gone');
});
