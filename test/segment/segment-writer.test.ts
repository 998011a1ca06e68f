import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { SpoolWriteError } from '../../src/errors.js';
import { nodeSegmentIo, type SegmentIo } from '../../src/segment/segment-io.js';
import { parseSegmentName } from '../../src/segment/segment-name.js';
import type { DroppedLines } from '../../src/segment/segment-writer.js';
import { HOUR, START, lines, setup } from './segment-writer-fixture.js';

test('appends lines to the active segment and seals them into ready/', async (t) => {
  const { writer, layout, ready } = await setup(t);
  const sealed: string[] = [];
  writer.on('sealed', (segment) => sealed.push(segment.name));

  for (const line of lines(3)) writer.write(line);
  await writer.flush();
  const active = await readdir(layout.active);
  await writer.rotate();

  assert.equal(active.length, 1, 'one active segment while writing');
  const segments = await ready();
  assert.deepEqual(
    segments.map((segment) => segment.text),
    [lines(3).join('')],
  );
  assert.deepEqual(
    sealed,
    segments.map((segment) => segment.name),
  );
  assert.deepEqual(await readdir(layout.active), []);
  assert.equal(parseSegmentName(sealed[0] ?? '')?.start, START);
});

test('never seals an empty segment', async (t) => {
  const { writer, ready } = await setup(t);

  await writer.rotate();
  await writer.close();

  assert.deepEqual(await ready(), []);
});

test('rotates by size without ever splitting a write', async (t) => {
  const { writer, ready } = await setup(t, { maxBytes: 100 });
  const all = lines(20); // 20 bytes each: five fit in a segment
  const big = `${'x'.repeat(250)}\n`;

  for (const line of all.slice(0, 12)) writer.write(line);
  writer.write(big);
  for (const line of all.slice(12)) writer.write(line);
  await writer.rotate();

  const segments = await ready();
  assert.equal(
    segments.map((s) => s.text).join(''),
    [...all.slice(0, 12), big, ...all.slice(12)].join(''),
  );
  for (const segment of segments) {
    assert.ok(segment.text.endsWith('\n'), 'every segment ends with a whole line');
    assert.ok(
      segment.text.length <= 100 || segment.text === big,
      `${segment.text.length} bytes`,
    );
  }
  assert.ok(
    segments.some((segment) => segment.text === big),
    'the big write is alone',
  );
});

test('rotates when the clock passes a period boundary, checked on every write', async (t) => {
  const { writer, setNow, ready } = await setup(t);

  writer.write('first hour\n');
  setNow(START + HOUR); // 16:19: past the 16:00 boundary
  writer.write('second hour\n');
  await writer.rotate();

  const segments = await ready();
  assert.deepEqual(
    segments.map((segment) => segment.text),
    ['first hour\n', 'second hour\n'],
  );
  assert.deepEqual(
    segments.map((segment) => parseSegmentName(segment.name)?.start),
    [START, START + HOUR],
  );
});

test('seals a quiet segment when its period ends, by timer', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { writer, setNow, ready } = await setup(t);
  const sealed = once(writer, 'sealed');

  writer.write('alone in its hour\n');
  await writer.flush();
  setNow(Date.UTC(2026, 11, 3, 16, 0, 0));
  t.mock.timers.tick(41 * 60 * 1000); // 15:19 → 16:00

  await sealed;
  assert.deepEqual(
    (await ready()).map((segment) => segment.text),
    ['alone in its hour\n'],
  );
});

test('seals a quiet segment when its timer fires a millisecond early', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { writer, setNow, ready } = await setup(t);
  const boundary = Date.UTC(2026, 11, 3, 16, 0, 0);
  const sealed = once(writer, 'sealed');

  writer.write('alone in its hour\n');
  await writer.flush();
  // The timer's clock runs a millisecond ahead of Date.now(): it fires first.
  setNow(boundary - 1);
  t.mock.timers.tick(boundary - START);
  setNow(boundary);
  t.mock.timers.tick(1);

  assert.equal(writer.unsealedBytes, 0, 'sealed at the boundary');
  await sealed;
  assert.deepEqual(
    (await ready()).map((segment) => segment.text),
    ['alone in its hour\n'],
  );
});

test('at the buffer cap, writes synchronously instead of growing', async (t) => {
  const { writer, layout } = await setup(t, { bufferBytes: 1000 });

  for (const line of lines(500)) writer.write(line); // 10,000 bytes, no turn of the loop
  const [active = ''] = await readdir(layout.active);
  const onDisk = await readFile(join(layout.active, active), 'utf8');

  assert.ok(
    onDisk.length >= 9000,
    `${onDisk.length} bytes on disk before the loop turned`,
  );
  assert.equal(onDisk, lines(500).join('').slice(0, onDisk.length));
});

test('writes characters of every width exactly, asynchronously and at the cap', async (t) => {
  const { writer, layout, ready } = await setup(t, { bufferBytes: 64 });
  // One to four bytes a character, and a lone surrogate (written as U+FFFD).
  const texts = [
    'plain',
    'caf\u00e9',
    '\u65e5\u672c\u8a9e',
    '\u{1F600} ok',
    'half \ud83d',
  ];
  const all = Array.from({ length: 60 }, (_, index) => `${texts[index % 5]} ${index}\n`);

  for (const line of all.slice(0, 30)) writer.write(line); // past the cap: synchronous
  await writer.flush();
  for (const line of all.slice(30)) writer.write(line);
  await writer.flush();
  const [active = ''] = await readdir(layout.active);
  const onDisk = await readFile(join(layout.active, active));
  await writer.rotate();

  assert.deepEqual(onDisk, Buffer.from(all.join('')));
  assert.deepEqual(
    (await ready()).map((segment) => segment.text),
    [Buffer.from(all.join('')).toString()],
  );
});

test('at the buffer cap, drops and counts instead when asked to', async (t) => {
  const { writer, ready } = await setup(t, { bufferBytes: 1000, onBufferFull: 'drop' });
  const drops: DroppedLines[] = [];
  writer.on('dropped', (drop) => drops.push(drop));

  for (const line of lines(500)) writer.write(line);
  await writer.rotate();

  const kept =
    (await ready())
      .map((segment) => segment.text)
      .join('')
      .split('\n').length - 1;
  const dropped = drops.reduce((sum, drop) => sum + drop.lines, 0);
  assert.ok(dropped > 0, 'some lines were dropped');
  assert.equal(kept + dropped, 500, 'every line is either kept or counted');
  assert.ok(drops.every((drop) => drop.reason === 'buffer-full'));
});

test('survives a full disk: reports it and keeps the lines for the next segment', async (t) => {
  let failures = 1;
  const io: SegmentIo = {
    ...nodeSegmentIo,
    write: (fd, buffer, offset, length, position, callback) => {
      if (failures-- > 0) {
        const error: NodeJS.ErrnoException = new Error('no space left on device');
        error.code = 'ENOSPC';
        setImmediate(() => callback(error, 0));
        return;
      }
      nodeSegmentIo.write(fd, buffer, offset, length, position, callback);
    },
  };
  const { writer, layout, ready } = await setup(t, { io, retryDelay: 0 });
  const errors: SpoolWriteError[] = [];
  writer.on('error', (error) => errors.push(error));
  const sealed: number[] = [];
  writer.on('sealed', (segment) => sealed.push(segment.bytes));

  for (const line of lines(5)) writer.write(line);
  await writer.flush();
  for (const line of lines(5, 5)) writer.write(line);
  await writer.rotate();

  assert.deepEqual(
    errors.map((error) => [error.code, error.syscallCode, error.action]),
    [['ERR_SPOOL_WRITE', 'ENOSPC', 'write']],
  );
  const segments = await ready();
  assert.equal(
    segments.map((segment) => segment.text).join(''),
    lines(10).join(''),
    'every line once, in order',
  );
  // The segment whose only write failed holds nothing: it must not be published.
  assert.deepEqual(
    segments.map((segment) => segment.text.length),
    [200],
    'no empty segment sealed',
  );
  assert.deepEqual(sealed, [200]);
  assert.deepEqual(await readdir(layout.active), [], 'the failed file is gone');
});

test('cuts a chunk of many lines at line boundaries to keep segments to their size', async (t) => {
  const { writer, ready } = await setup(t, { maxBytes: 100 });
  const all = lines(23); // 20 bytes each
  const long = `${'y'.repeat(149)}\n`;

  writer.writeLines(all.slice(0, 3).join(''));
  writer.writeLines([...all.slice(3, 20), long, ...all.slice(20)].join(''));
  await writer.rotate();

  const segments = (await ready()).map((segment) => segment.text);
  assert.equal(segments.join(''), [...all.slice(0, 20), long, ...all.slice(20)].join(''));
  for (const text of segments) {
    assert.ok(text.endsWith('\n'));
    assert.ok(text.length <= 100 || text === long, `${text.length} bytes`);
  }
});
