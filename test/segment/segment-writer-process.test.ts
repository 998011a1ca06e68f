import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { spoolLayout } from '../../src/segment/spool-layout.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const CHILD = fileURLToPath(new URL('../fixtures/writer-child.js', import.meta.url));

async function contents(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).sort();
  return Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
}

function ids(texts: string[]): number[] {
  return texts
    .join('')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { id: number }).id);
}

test('process.exit right after a burst leaves every line in sealed segments', async (t) => {
  const spool = await makeTempDir(t);
  const child = spawn(process.execPath, [CHILD, spool, 'exit', '100000'], {
    stdio: 'inherit',
  });
  const [code] = (await once(child, 'exit')) as [number];

  const layout = spoolLayout(spool);
  const sealed = await contents(layout.ready);
  assert.equal(code, 0);
  assert.deepEqual(await readdir(layout.active), [], 'nothing left open');
  assert.deepEqual(
    ids(sealed),
    Array.from({ length: 100_000 }, (_, i) => i),
  );
  for (const text of sealed) assert.ok(text.endsWith('\n'));
});

test('a SIGKILL mid-burst leaves whole lines in order, no gap, at most one cut line', async (t) => {
  const spool = await makeTempDir(t);
  const child = spawn(process.execPath, [CHILD, spool, 'forever'], { stdio: 'pipe' });
  child.stderr.pipe(process.stderr);
  await once(child.stdout, 'data');
  // Let it rotate a few times (256 KiB segments), then kill it mid-write.
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.kill('SIGKILL');
  await once(child, 'exit');

  const layout = spoolLayout(spool);
  const sealed = await contents(layout.ready);
  const active = await contents(layout.active);
  const text = [...sealed, ...active].join('');
  assert.doesNotMatch(text, /\0/, 'no hole of zero bytes');
  const cut = text.slice(text.lastIndexOf('\n') + 1);
  const found = ids([text.slice(0, text.length - cut.length)]);
  assert.ok(found.length > 1000, `${found.length} lines written`);
  assert.deepEqual(
    found,
    Array.from({ length: found.length }, (_, i) => i),
    'in order, no gap',
  );
  for (const segment of sealed) assert.ok(segment.endsWith('\n'));
});
