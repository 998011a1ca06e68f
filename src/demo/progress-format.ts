/** How the demo shows its counters: pure text, no I/O. */
import { formatSize } from '../size.js';
import type { StreamCounts } from './stream-progress.js';

const numbers = new Intl.NumberFormat('en-US');

/** `4,000`: counts read at a glance. */
export function formatCount(count: number): string {
  return numbers.format(count);
}

/**
 * One line of totals over the streams, such as
 * `logging 12.0s  lines 4,960  sealed 10  uploaded 8 (412.3 KiB)  backlog 2`.
 * Short enough for an 80-column terminal.
 */
export function formatProgressLine(
  streams: readonly StreamCounts[],
  phase: string,
  elapsedMs: number,
): string {
  const sum = (pick: (counts: StreamCounts) => number): number =>
    streams.reduce((total, counts) => total + pick(counts), 0);
  const clock = `${phase} ${(elapsedMs / 1000).toFixed(1).padStart(4)}s`;
  const problems = sum((counts) => counts.retries + counts.errors + counts.dropped);
  const bytes = formatSize(sum((counts) => counts.uploadedBytes));
  return [
    clock,
    `lines ${formatCount(sum((counts) => counts.logged))}`,
    `sealed ${sum((counts) => counts.sealed)}`,
    `uploaded ${sum((counts) => counts.uploaded)} (${bytes})`,
    `backlog ${sum((counts) => counts.backlog)}`,
    ...(problems > 0 ? [`problems ${problems}`] : []),
  ].join('  ');
}

/** A table with one row per stream: what it logged, sealed and published. */
export function formatStreamTable(streams: readonly StreamCounts[]): string {
  const header = ['stream', 'lines', 'sealed', 'uploaded', 'bytes', 'backlog'];
  header.push('retries', 'errors', 'dropped');
  const rows = streams.map((counts) => [
    counts.name,
    formatCount(counts.logged),
    String(counts.sealed),
    String(counts.uploaded),
    formatSize(counts.uploadedBytes),
    String(counts.backlog),
    String(counts.retries),
    String(counts.errors),
    String(counts.dropped),
  ]);
  return formatTable([header, ...rows]);
}

/** Aligns cells in columns: the first column to the left, the others to the right. */
export function formatTable(rows: ReadonlyArray<readonly string[]>): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0
            ? cell.padEnd(widths[column] ?? 0)
            : cell.padStart(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
