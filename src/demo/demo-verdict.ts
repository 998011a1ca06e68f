import { formatCount } from './progress-format.js';
import type { LineAudit } from './line-audit.js';
import type { PublishedEntry } from './published-tree.js';
import type { StreamCounts } from './stream-progress.js';

/** What the verdict is drawn from. */
export interface VerdictInput {
  readonly passed: boolean;
  readonly audit: LineAudit;
  /** Hidden names found on HDFS (temporary files of an unfinished upload). */
  readonly hidden: readonly PublishedEntry[];
  readonly streams: readonly StreamCounts[];
}

/**
 * The demo's last words: `Verdict: PASS: …` on one line, or `Verdict: FAIL:`
 * with every kind of problem counted and a few examples below.
 */
export function formatVerdict({ passed, audit, hidden, streams }: VerdictInput): string {
  const total = formatCount(audit.expectedLines);
  const perStream = streams
    .map((counts) => `${counts.name} ${formatCount(counts.logged)}`)
    .join(', ');
  if (passed) {
    const files = audit.lineCounts.size;
    const summary = `all ${total} lines (${perStream}) arrived exactly once`;
    return `Verdict: PASS: ${summary}, in ${files} files.\n`;
  }

  const problems = [
    `${formatCount(audit.missing)} missing`,
    `${formatCount(audit.duplicated)} duplicated`,
    `${formatCount(audit.misplaced)} in the wrong stream`,
    `${formatCount(audit.unexpected)} unexpected`,
    `${audit.cutFiles.length} file(s) ending mid-line`,
    `${hidden.length} hidden temporary file(s) left`,
  ].join(', ');
  const details = [
    ...audit.examples,
    ...audit.cutFiles.map((path) => `ends mid-line: ${path}`),
    ...hidden.map((entry) => `hidden: ${entry.path}`),
    ...streams.flatMap(({ name, lastError }) =>
      lastError === undefined ? [] : [`${name}: last error: ${lastError}`],
    ),
  ];
  return [
    `Verdict: FAIL: of ${total} lines (${perStream}): ${problems}.`,
    ...details.map((detail) => `  ${detail}`),
    '',
  ].join('\n');
}
