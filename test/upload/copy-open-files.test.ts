/**
 * The open-for-writing check through /proc: real child processes holding a
 * file open, a process that may not look at others' descriptors, and trees
 * of our own standing in for /proc where a case cannot be made for real.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, rename, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  findWriters,
  opensForWriting,
  type OpenFileQuery,
} from '../../src/upload/copy-open-files.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const onLinux = process.platform === 'linux';

/** A child that opens `path` with `flags`, says so, and waits to be killed. */
async function holdOpen(t: TestContext, path: string, flags: 'a' | 'r' | 'r+') {
  const script = `
    require('node:fs').openSync(process.argv[1], process.argv[2]);
    process.stdout.write('open\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script, path, flags]);
  t.after(() => child.kill());
  await once(child.stdout, 'data');
  return child;
}

async function queryFor(path: string): Promise<OpenFileQuery> {
  const stats = await stat(path);
  return {
    keys: new Set([`${stats.dev}:${stats.ino}`]),
    names: new Set([basename(path)]),
  };
}

function pidOf(child: ChildProcess): number {
  assert.ok(child.pid !== undefined);
  return child.pid;
}

test(
  'finds a process that holds a file open for writing',
  { skip: onLinux ? false : 'reads /proc, which only Linux has' },
  async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, 'app.log');
    await writeFile(path, 'line\n');
    const writer = await holdOpen(t, path, 'a');
    const both = await holdOpen(t, path, 'r+');

    const report = await findWriters(await queryFor(path));

    const key = [...(await queryFor(path)).keys][0] ?? '';
    assert.deepEqual(
      [...(report.writers.get(key) ?? [])].sort(),
      [pidOf(writer), pidOf(both)].sort(),
    );
    assert.notEqual(report.check, 'unavailable');
  },
);

test(
  'a process that only reads the file is not a writer',
  { skip: onLinux ? false : 'reads /proc, which only Linux has' },
  async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, 'app.log');
    await writeFile(path, 'line\n');
    await holdOpen(t, path, 'r');

    const report = await findWriters(await queryFor(path));

    assert.equal(report.writers.size, 0);
  },
);

test(
  'a file renamed while held open is still found by its inode',
  { skip: onLinux ? false : 'reads /proc, which only Linux has' },
  async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, 'app.log');
    await writeFile(path, 'line\n');
    const writer = await holdOpen(t, path, 'a');
    const query = await queryFor(path);

    await rename(path, `${path}.1`);
    const report = await findWriters({ keys: query.keys, names: new Set(['app.log.1']) });

    assert.deepEqual(report.writers.get([...query.keys][0] ?? ''), [pidOf(writer)]);
  },
);

test('reads the access mode from the flags of fdinfo', () => {
  assert.equal(opensForWriting('pos:\t0\nflags:\t0100000\nmnt_id:\t30\n'), false);
  assert.equal(opensForWriting('pos:\t0\nflags:\t0102001\n'), true, 'O_WRONLY|O_APPEND');
  assert.equal(opensForWriting('flags:\t02\n'), true, 'O_RDWR');
  assert.equal(opensForWriting('pos:\t0\n'), true, 'no flags: assume a writer');
});

/** A stand-in for /proc: process 100 writes `file`, process 200's descriptors are closed to us. */
async function fakeProc(t: TestContext, file: string) {
  const root = await makeTempDir(t, 'proc-');
  await mkdir(join(root, '100', 'fd'), { recursive: true });
  await mkdir(join(root, '100', 'fdinfo'));
  await symlink(file, join(root, '100', 'fd', '3'));
  await symlink('socket:[4242]', join(root, '100', 'fd', '4'));
  await writeFile(join(root, '100', 'fdinfo', '3'), 'pos:\t0\nflags:\t0102001\n');
  await mkdir(join(root, 'self'));
  return root;
}

test('says the check is incomplete when a process cannot be looked at', async (t) => {
  const dir = await makeTempDir(t);
  const file = join(dir, 'app.log');
  await writeFile(file, 'x');
  const procRoot = await fakeProc(t, file);
  // Reading "fd" fails (ENOTDIR here; EACCES for another user's process).
  await mkdir(join(procRoot, '200'));
  await writeFile(join(procRoot, '200', 'fd'), '');

  const report = await findWriters(await queryFor(file), { procRoot, platform: 'linux' });

  assert.equal(report.check, 'incomplete');
  assert.equal(report.unreadable, 1);
  assert.deepEqual(report.writers.get([...(await queryFor(file)).keys][0] ?? ''), [100]);
});

test('says the check is complete when every process could be read', async (t) => {
  const dir = await makeTempDir(t);
  const file = join(dir, 'app.log');
  await writeFile(file, 'x');
  const procRoot = await fakeProc(t, file);

  const report = await findWriters(await queryFor(file), { procRoot, platform: 'linux' });

  assert.equal(report.check, 'complete');
  assert.equal(report.writers.size, 1);
});

test('says the check is unavailable without /proc or off Linux', async (t) => {
  const dir = await makeTempDir(t);
  const query = { keys: new Set(['1:2']), names: new Set(['a']) };

  const darwin = await findWriters(query, { platform: 'darwin' });
  const missing = await findWriters(query, {
    procRoot: join(dir, 'none'),
    platform: 'linux',
  });

  assert.equal(darwin.check, 'unavailable');
  assert.equal(missing.check, 'unavailable');
});

const MODULE = fileURLToPath(
  new URL('../../src/upload/copy-open-files.js', import.meta.url),
);

test(
  'a process of another user cannot see our descriptors and says so',
  {
    skip:
      !onLinux || process.getuid?.() !== 0
        ? 'needs root to run a child as nobody'
        : false,
  },
  async (t) => {
    const dir = await makeTempDir(t);
    const file = join(dir, 'app.log');
    await writeFile(file, 'x');
    await holdOpen(t, file, 'a');
    const script = `
      import(process.argv[1]).then(async ({ findWriters }) => {
        const query = { keys: new Set([process.argv[2]]), names: new Set(['app.log']) };
        const report = await findWriters(query);
        process.stdout.write(JSON.stringify({ check: report.check, writers: report.writers.size }));
      });`;
    const key = [...(await queryFor(file)).keys][0] ?? '';
    const child = spawn(process.execPath, ['-e', script, MODULE, key], {
      uid: 65534,
      gid: 65534,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];

    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(output), { check: 'incomplete', writers: 0 });
  },
);
