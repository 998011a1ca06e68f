import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { InvalidOptionError } from '../../src/errors.js';
import { formatSegmentName } from '../../src/segment/segment-name.js';
import {
  ensureSpool,
  spoolLayout,
  type SpoolLayout,
} from '../../src/segment/spool-layout.js';
import {
  cleanUpCompression,
  compressSealedSegment,
} from '../../src/upload/compress-segment.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const CHILD = fileURLToPath(new URL('../fixtures/spool-task-child.js', import.meta.url));
const START = Date.UTC(2026, 11, 3, 15, 19, 0);
const STRAY = '0123456789abcdef';

function segment(seq: number): string {
  return formatSegmentName({
    name: 'app',
    start: START,
    host: 'web1',
    writerId: 'k3v9x2qa',
    seq,
  });
}

async function setup(t: TestContext): Promise<SpoolLayout> {
  const layout = spoolLayout(await makeTempDir(t));
  await ensureSpool(layout);
  return layout;
}

function lines(count: number): Buffer {
  const text = Array.from(
    { length: count },
    (_, i) => `{"id":${i},"msg":"hello"}\n`,
  ).join('');
  return Buffer.from(text);
}

test('compresses a sealed segment into ready/ as <name>.gz, exactly reversible', async (t) => {
  const layout = await setup(t);
  const name = segment(0);
  const data = lines(1000);
  await writeFile(join(layout.sealed, name), data);

  const result = await compressSealedSegment(layout, name);

  const target = join(layout.ready, `${name}.gz`);
  const gzip = await readFile(target);
  assert.deepEqual(result, {
    name: `${name}.gz`,
    path: target,
    bytes: gzip.length,
    sourceBytes: data.length,
  });
  assert.deepEqual(gunzipSync(gzip), data);
  assert.deepEqual(await readdir(layout.sealed), [], 'the source is gone');
  assert.deepEqual(await readdir(layout.tmp), [], 'no temporary file is left');
});

test('a multi-MiB segment survives the round trip byte for byte', async (t) => {
  const layout = await setup(t);
  const name = segment(1);
  // Hex of random bytes: barely compressible, so gzip streams many chunks.
  const random = randomBytes(3 * 1024 * 1024).toString('hex');
  const data = Buffer.from(random.replace(/(.{120})/g, '$1\n'));
  await writeFile(join(layout.sealed, name), data);

  const result = await compressSealedSegment(layout, name);

  assert.equal(result.sourceBytes, data.length);
  assert.ok(data.length > 6 * 1024 * 1024);
  assert.ok(gunzipSync(await readFile(result.path)).equals(data));
});

test('an empty sealed segment still becomes a valid gzip of nothing', async (t) => {
  const layout = await setup(t);
  await writeFile(join(layout.sealed, segment(2)), '');
  const result = await compressSealedSegment(layout, segment(2));
  assert.equal(gunzipSync(await readFile(result.path)).length, 0);
});

test('refuses a name that is not an uncompressed segment, before any I/O', async (t) => {
  const layout = await setup(t);
  for (const name of ['notes.txt', `${segment(0)}.gz`, '../escape.log', '']) {
    await assert.rejects(compressSealedSegment(layout, name), InvalidOptionError, name);
  }
});

test('a missing source rejects and leaves no temporary file', async (t) => {
  const layout = await setup(t);
  await assert.rejects(compressSealedSegment(layout, segment(3)), { code: 'ENOENT' });
  assert.deepEqual(await readdir(layout.tmp), []);
  assert.deepEqual(await readdir(layout.ready), []);
});

test('finishes a call that renamed but did not unlink, without compressing again', async (t) => {
  const layout = await setup(t);
  const name = segment(4);
  const data = lines(10);
  await writeFile(join(layout.sealed, name), data);
  const target = join(layout.ready, `${name}.gz`);
  await writeFile(target, gzipSync(data));
  const before = await stat(target);

  const result = await compressSealedSegment(layout, name);

  assert.equal(result.bytes, before.size);
  assert.equal(result.sourceBytes, data.length);
  assert.equal((await stat(target)).mtimeMs, before.mtimeMs, 'ready/ file untouched');
  assert.deepEqual(await readdir(layout.sealed), []);
});

test('cleanUpCompression removes stray gzip output and leaves other tmp files', async (t) => {
  const layout = await setup(t);
  const stray = `${segment(5)}.gz.${STRAY}`;
  await writeFile(join(layout.tmp, stray), 'partial');
  await writeFile(join(layout.tmp, 'someone-else.tmp'), 'not ours');

  const cleaned = await cleanUpCompression(layout);

  assert.deepEqual(cleaned, { temporary: [stray], sealed: [] });
  assert.deepEqual(await readdir(layout.tmp), ['someone-else.tmp']);
});

test('cleanUpCompression removes sealed/X only when ready/X.gz exists', async (t) => {
  const layout = await setup(t);
  const done = segment(6);
  const waiting = segment(7);
  await writeFile(join(layout.sealed, done), 'a\n');
  await writeFile(join(layout.ready, `${done}.gz`), gzipSync('a\n'));
  await writeFile(join(layout.sealed, waiting), 'b\n');

  const cleaned = await cleanUpCompression(layout);

  assert.deepEqual(cleaned, { temporary: [], sealed: [done] });
  assert.deepEqual(await readdir(layout.sealed), [waiting]);
  assert.deepEqual(await readdir(layout.ready), [`${done}.gz`]);
});

test('cleanUpCompression on a clean spool does nothing', async (t) => {
  const layout = await setup(t);
  assert.deepEqual(await cleanUpCompression(layout), { temporary: [], sealed: [] });
});

test('a crash at mid-gzip leaves the source whole; clean-up and a second run finish', async (t) => {
  const layout = await setup(t);
  const name = segment(8);
  const data = lines(50_000);
  await writeFile(join(layout.sealed, name), data);

  const child = spawn(process.execPath, [CHILD, layout.root, 'compress', name], {
    env: { ...process.env, HLT_FAILPOINT: 'mid-gzip' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  assert.deepEqual([code, signal], [null, 'SIGKILL']);

  // Killed after the temporary file was complete and fsynced, before its rename.
  assert.deepEqual(await readFile(join(layout.sealed, name)), data);
  assert.deepEqual(await readdir(layout.ready), []);
  const [temporary, ...more] = await readdir(layout.tmp);
  assert.equal(more.length, 0);
  assert.ok(gunzipSync(await readFile(join(layout.tmp, temporary ?? ''))).equals(data));

  assert.deepEqual(await cleanUpCompression(layout), {
    temporary: [temporary],
    sealed: [],
  });
  const result = await compressSealedSegment(layout, name);
  assert.ok(gunzipSync(await readFile(result.path)).equals(data));
  assert.deepEqual(await readdir(layout.tmp), []);
  assert.deepEqual(await readdir(layout.sealed), []);
});

test('the same child without a failpoint compresses and exits 0', async (t) => {
  const layout = await setup(t);
  const name = segment(9);
  await writeFile(join(layout.sealed, name), lines(10));
  const env = { ...process.env };
  delete env.HLT_FAILPOINT;
  const child = spawn(process.execPath, [CHILD, layout.root, 'compress', name], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0);
  assert.deepEqual(await readdir(layout.ready), [`${name}.gz`]);
});
