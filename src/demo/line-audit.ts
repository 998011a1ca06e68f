/**
 * The demo's final check, pure: every line logged is on HDFS exactly once,
 * in its own stream's directory, and every published file ends on a line
 * boundary.
 */
import { demoLineId } from './demo-traffic.js';

/** A published file, with the stream whose directory it lies in. */
export interface AuditedFile {
  readonly path: string;
  readonly stream: string;
  readonly content: string;
}

/** What the check found. */
export interface LineAudit {
  readonly expectedLines: number;
  readonly publishedLines: number;
  readonly missing: number;
  readonly duplicated: number;
  /** Lines of one stream found in another stream's directory. */
  readonly misplaced: number;
  /** Lines that are not JSON with a known `id`. */
  readonly unexpected: number;
  /** Files whose last line has no line break (a line cut in two). */
  readonly cutFiles: readonly string[];
  /** Lines per published file, for the tree. */
  readonly lineCounts: ReadonlyMap<string, number>;
  /** The first few problems, as text (at most {@link MAX_EXAMPLES}). */
  readonly examples: readonly string[];
}

const MAX_EXAMPLES = 8;

/**
 * Checks the published files against the number of lines each stream
 * logged (ids `<stream>-0` to `<stream>-<count - 1>`).
 */
export function auditLines(
  logged: ReadonlyMap<string, number>,
  files: readonly AuditedFile[],
): LineAudit {
  const seen = new Map<string, number>();
  const examples: string[] = [];
  const lineCounts = new Map<string, number>();
  const cutFiles: string[] = [];
  let publishedLines = 0;
  let misplaced = 0;
  let unexpected = 0;

  for (const file of files) {
    if (file.content !== '' && !file.content.endsWith('\n')) cutFiles.push(file.path);
    const lines = file.content.split('\n').filter((line) => line !== '');
    lineCounts.set(file.path, lines.length);
    publishedLines += lines.length;
    for (const line of lines) {
      const id = idOf(line);
      if (id === undefined || !isExpected(logged, id)) {
        unexpected += 1;
        note(examples, `unexpected line ${line.slice(0, 60)}`);
        continue;
      }
      seen.set(id, (seen.get(id) ?? 0) + 1);
      if (streamOf(id) !== file.stream) {
        misplaced += 1;
        note(examples, `${id} in ${file.path}`);
      }
    }
  }

  let expectedLines = 0;
  let missing = 0;
  let duplicated = 0;
  for (const [stream, count] of logged) {
    expectedLines += count;
    for (let seq = 0; seq < count; seq++) {
      const id = demoLineId(stream, seq);
      const times = seen.get(id) ?? 0;
      if (times === 0) missing += 1;
      if (times > 1) duplicated += 1;
      if (times !== 1) note(examples, `${id} found ${times} times`);
    }
  }

  return {
    expectedLines,
    publishedLines,
    missing,
    duplicated,
    misplaced,
    unexpected,
    cutFiles,
    lineCounts,
    examples,
  };
}

/** True when nothing is missing, doubled, misplaced, foreign or cut. */
export function isExactlyOnce(audit: LineAudit): boolean {
  return (
    audit.expectedLines > 0 &&
    audit.publishedLines === audit.expectedLines &&
    audit.missing + audit.duplicated + audit.misplaced + audit.unexpected === 0 &&
    audit.cutFiles.length === 0
  );
}

function idOf(line: string): string | undefined {
  try {
    const record: unknown = JSON.parse(line);
    const id = (record as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    // Not JSON: counted as an unexpected line by the caller.
    return undefined;
  }
}

/** `winston-17` → `winston`. */
function streamOf(id: string): string {
  return id.slice(0, Math.max(0, id.lastIndexOf('-')));
}

function isExpected(logged: ReadonlyMap<string, number>, id: string): boolean {
  const count = logged.get(streamOf(id));
  const seq = id.slice(id.lastIndexOf('-') + 1);
  return count !== undefined && /^\d+$/.test(seq) && Number(seq) < count;
}

function note(examples: string[], example: string): void {
  if (examples.length < MAX_EXAMPLES) examples.push(example);
}
