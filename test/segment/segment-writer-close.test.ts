import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { test } from 'node:test';
import type { DroppedLines } from '../../src/segment/segment-writer.js';
import { lines, setup } from './segment-writer-fixture.js';

test('counts a write after close() as dropped, never silently', async (t) => {
  const { writer, ready } = await setup(t);
  const drops: DroppedLines[] = [];
  writer.on('dropped', (drop) => drops.push(drop));

  writer.write(lines(1)[0] ?? '');
  await writer.close();
  writer.write(lines(2, 1).join(''));

  assert.deepEqual(drops, [{ lines: 2, bytes: 40, reason: 'closed' }]);
  assert.deepEqual(
    (await ready()).map((segment) => segment.text),
    lines(1),
  );
});

test('refuses a write that comes while close() seals, and leaves nothing open', async (t) => {
  const { writer, layout, ready } = await setup(t);
  const drops: DroppedLines[] = [];
  writer.on('dropped', (drop) => drops.push(drop));

  for (const line of lines(3)) writer.write(line);
  const closing = writer.close();
  writer.write(lines(1, 3)[0] ?? '');
  await closing;

  assert.deepEqual(await readdir(layout.active), [], 'no segment left open');
  assert.deepEqual(drops, [{ lines: 1, bytes: 20, reason: 'closed' }]);
  assert.deepEqual(
    (await ready()).map((segment) => segment.text),
    [lines(3).join('')],
  );
});
