import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlushProgress, formatFlushProgress } from '../../src/cli/flush-progress.js';

const uploaded = (segment: string, bytes: number) => ({
  segment,
  path: `/logs/${segment}`,
  bytes,
  outcome: 'published' as const,
  verification: 'length' as const,
  durationMs: 1,
});

/** An output that keeps what is written to it. */
function capture(tty: boolean, columns = 100) {
  const chunks: string[] = [];
  return { chunks, isTTY: tty, columns, write: (text: string) => chunks.push(text) };
}

test('the line shows the bar, segments, bytes and rate', () => {
  const line = formatFlushProgress(
    {
      published: 5,
      totalSegments: 10,
      publishedBytes: 512 * 1024,
      totalBytes: 1024 * 1024,
      elapsedMs: 2000,
    },
    100,
  );

  assert.equal(
    line,
    '[##########----------]  5/10 segments  512.0 KiB/1.0 MiB  256.0 KiB/s',
  );
});

test('the line is cut to the terminal width, so that it never wraps', () => {
  const counts = {
    published: 0,
    totalSegments: 1,
    publishedBytes: 0,
    totalBytes: 10,
    elapsedMs: 0,
  };

  assert.equal(formatFlushProgress(counts, 30).length, 29);
});

test('nothing to publish is a full bar', () => {
  const counts = {
    published: 0,
    totalSegments: 0,
    publishedBytes: 0,
    totalBytes: 0,
    elapsedMs: 0,
  };

  assert.ok(
    formatFlushProgress(counts, 80).startsWith(`[${'#'.repeat(20)}]  0/0 segments`),
  );
});

test('without a terminal, one plain line per published segment', () => {
  const output = capture(false);
  const errors = capture(false);
  const progress = new FlushProgress(output, errors, { segments: 2, bytes: 3000 });

  progress.uploaded(uploaded('a.log', 1000));
  progress.note('retry b.log: refused');
  progress.uploaded(uploaded('b.log', 2000));
  progress.finish();

  assert.deepEqual(output.chunks, [
    'published a.log → /logs/a.log (1000 B)\n',
    'published b.log → /logs/b.log (2.0 KiB)\n',
  ]);
  assert.deepEqual(errors.chunks, ['retry b.log: refused\n']);
});

test('on a terminal, the bar is redrawn in place and left on its line', () => {
  let now = 0;
  const output = capture(true, 200);
  const errors = capture(true);
  const progress = new FlushProgress(
    output,
    errors,
    { segments: 1, bytes: 10 },
    () => now,
  );

  progress.recovered(20);
  now = 1000;
  progress.uploaded(uploaded('a.log', 10));
  progress.note('error b.log: refused');
  progress.finish();

  const text = output.chunks.join('');
  assert.doesNotMatch(text, /published a\.log/);
  assert.ok(text.startsWith(`\r\u001b[K[${'-'.repeat(20)}]  0/1 segments`), text);
  assert.ok(
    text.endsWith('[##########----------]  1/2 segments  10 B/30 B  10 B/s\n'),
    text,
  );
  assert.deepEqual(errors.chunks, ['error b.log: refused\n']);
});
