/**
 * The names copies take on the destination, made from local file names that
 * any program (or anyone who can write into a log directory) chose. Each
 * component is escaped so that HDFS accepts it, a listing shows it as one
 * harmless line, and Hive or Spark do not skip it as hidden; and it is cut
 * to HDFS's length limit, keeping names apart with a hash. Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import { MAX_COMPONENT_BYTES } from '../hdfs/hdfs-path.js';
import type { CopyPattern } from './copy-patterns.js';

/**
 * The most bytes a copy's own name may take: its hidden temporary name,
 * `.<name>.<12 hex digits>.inprogress` (see publish-segment), must fit in
 * HDFS's limit for one component too.
 */
export const MAX_COPY_NAME_BYTES =
  MAX_COMPONENT_BYTES - '..'.length - 12 - '.inprogress'.length;

/** What is put before a name that Hive and Spark would skip as hidden. */
export const VISIBLE_PREFIX = 'x';

/**
 * `:` (HDFS forbids it); C0, DEL and C1 control characters (a terminal acts
 * on them); Unicode's line and paragraph separators and its bidirectional
 * embeddings, overrides and isolates (they make a listing lie).
 */
function isUnsafe(code: number): boolean {
  return (
    code === 0x3a ||
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** How much of a cut name's end is kept: its extensions, for readers that go by them. */
const KEPT_END_BYTES = 32;

/**
 * The destination name of `file`, relative to the job's destination
 * directory: its path below the pattern's base (`preserve`) or its name
 * alone (`flatten`), each component made safe by {@link safeComponent}.
 * Two files that then meet on one name are told apart by the caller.
 */
export function destinationName(
  pattern: CopyPattern,
  file: string,
  layout: 'preserve' | 'flatten',
): string {
  const below = relative(pattern.base, file).split(sep);
  const parts = layout === 'flatten' ? below.slice(-1) : below;
  return parts.map((part) => fitComponent(safeComponent(part))).join('/');
}

/**
 * A local name as a component HDFS takes and readers see: `:` and control
 * characters become `_`; a leading `.` or `_` (Hive's and Spark's mark of a
 * hidden file, and of this package's temporary names) gets
 * {@link VISIBLE_PREFIX} before it: `.env` → `x.env`, `_SUCCESS` → `x_SUCCESS`.
 */
export function safeComponent(name: string): string {
  const escaped = Array.from(name, (character) =>
    isUnsafe(character.codePointAt(0) ?? 0) ? '_' : character,
  ).join('');
  return escaped.startsWith('.') || escaped.startsWith('_')
    ? `${VISIBLE_PREFIX}${escaped}`
    : escaped;
}

/**
 * `component` if it takes at most `maxBytes` in UTF-8; otherwise its start,
 * a hash of all of it, and its extensions (`aaaa…aaaa-3fa2b1c0.log`), so
 * that two long names that share their start still differ.
 */
export function fitComponent(component: string, maxBytes = MAX_COMPONENT_BYTES): string {
  if (Buffer.byteLength(component) <= maxBytes) return component;
  const hash = createHash('sha256').update(component).digest('hex').slice(0, 8);
  const dot = component.indexOf('.', 1);
  const extensions = dot === -1 ? '' : component.slice(dot);
  const end = Buffer.byteLength(extensions) <= KEPT_END_BYTES ? extensions : '';
  const start = component.slice(0, component.length - end.length);
  const room = maxBytes - `-${hash}`.length - Buffer.byteLength(end);
  return `${cutToBytes(start, room)}-${hash}${end}`;
}

/**
 * `name` with a tag inserted before the first extension of its last
 * component, so that `.log` or `.gz` stays at the end for readers that go
 * by it: `app.log.1` → `app-3fa2b1c0.log.1`, `messages` → `messages-3fa2b1c0`.
 */
export function withTag(name: string, tag: string): string {
  const slash = name.lastIndexOf('/');
  const last = name.slice(slash + 1);
  const dot = last.indexOf('.', 1);
  const tagged =
    dot === -1 ? `${last}-${tag}` : `${last.slice(0, dot)}-${tag}${last.slice(dot)}`;
  return `${name.slice(0, slash + 1)}${tagged}`;
}

/** `name` with its last component cut to {@link MAX_COPY_NAME_BYTES} by {@link fitComponent}. */
export function fitCopyName(name: string): string {
  const slash = name.lastIndexOf('/');
  const last = fitComponent(name.slice(slash + 1), MAX_COPY_NAME_BYTES);
  return `${name.slice(0, slash + 1)}${last}`;
}

/** The longest start of `text` that takes at most `maxBytes`, never splitting a character. */
function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let cut = '';
  for (const character of text) {
    bytes += Buffer.byteLength(character);
    if (bytes > maxBytes) break;
    cut += character;
  }
  return cut;
}
