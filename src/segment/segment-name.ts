/**
 * Segment file names (DESIGN.md section 5):
 *
 * ```
 * <name>.<start>.<host>.<writerId>.<seq>.log[.gz]
 * app.20261203T151900Z.web-1.example.com.k3v9x2qa.000042.log
 * ```
 *
 * - `name` is the stream name; it starts with a letter or digit, so no segment
 *   name starts with `.` or `_`, which Hive and Spark readers skip.
 * - `start` is the UTC time the segment was opened, in ISO 8601 basic format
 *   (no `:`, which HDFS forbids in a name). It is fixed width, so names of one
 *   stream sort by time as plain strings.
 * - `host`, a random `writerId` per writer instance and a per-writer `seq`
 *   make the name unique across hosts, processes, threads and restarts.
 *
 * Hosts contain dots and nothing else does, so a name is read from both ends:
 * name and start from the left, seq and writer id from the right, and the
 * host is what remains in the middle.
 */
import { randomBytes } from 'node:crypto';
import { InvalidHdfsPathError, InvalidOptionError } from '../errors.js';
import { findComponentProblem } from '../hdfs/hdfs-path.js';

/** The parts of a segment name. */
export interface SegmentNameFields {
  /** The stream name, see {@link validateStreamName}. */
  readonly name: string;
  /** When the segment was opened, in epoch milliseconds (whole seconds when parsed). */
  readonly start: number;
  /** The host, as {@link sanitizeHost} makes it. */
  readonly host: string;
  /** The writer instance, as {@link newWriterId} makes it. */
  readonly writerId: string;
  /** The writer's sequence number, from 0. */
  readonly seq: number;
  /** Whether the segment was gzip-compressed at seal time (`.log.gz`). */
  readonly compressed: boolean;
}

/** What {@link formatSegmentName} takes: `start` may be a `Date`. */
export interface SegmentNameInput extends Omit<
  SegmentNameFields,
  'start' | 'compressed'
> {
  readonly start: Date | number;
  readonly compressed?: boolean;
}

/**
 * Longest host kept by {@link sanitizeHost}: a Kubernetes pod name (63) fits,
 * and the longest segment name stays far below HDFS's 255-byte limit.
 */
export const MAX_HOST_LENGTH = 64;
/** Length of a writer id. */
export const WRITER_ID_LENGTH = 8;

const STREAM_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
// What sanitizeHost() returns: no dot at either end, at most 64 characters.
const HOST = /^[A-Za-z0-9-](?:[A-Za-z0-9.-]{0,62}[A-Za-z0-9-])?$/;
const WRITER_ID = /^[0-9a-z]{8}$/;
// Six digits, more only once a writer passes 999999 (then never a leading 0),
// so that exactly one text stands for each number and names round-trip.
const SEQ = '(\\d{6}|[1-9]\\d{6,14})';
const SEGMENT_NAME = new RegExp(
  `^([A-Za-z0-9][A-Za-z0-9_-]{0,63})\\.(\\d{8}T\\d{6}Z)\\.(.+)\\.([0-9a-z]{8})\\.${SEQ}` +
    '\\.log(\\.gz)?$',
);
const MAX_SEQ = 999_999_999_999_999;

/**
 * Checks a stream name: 1 to 64 letters, digits, `_` and `-`, starting with a
 * letter or digit. It is the first part of every segment name, so it decides
 * that no segment is hidden from Hive and Spark.
 *
 * @throws {@link InvalidOptionError} naming `option`
 */
export function validateStreamName(value: unknown, option: string): string {
  if (typeof value === 'string' && STREAM_NAME.test(value)) return value;
  throw new InvalidOptionError(
    option,
    'a stream name of 1 to 64 letters, digits, "_" or "-", starting with a letter or digit',
    value,
  );
}

/**
 * Makes a host name safe for a segment name: characters other than ASCII
 * letters, digits, `.` and `-` become `-`, leading and trailing dots go (an
 * FQDN's final dot), and the result is cut to {@link MAX_HOST_LENGTH}. Never
 * empty: a host with nothing usable becomes `unknown-host`. Applying it twice
 * changes nothing.
 */
export function sanitizeHost(hostname: string): string {
  const safe = hostname
    .replace(/[^A-Za-z0-9.-]/gu, '-')
    .slice(0, MAX_HOST_LENGTH)
    .replace(/^\.+|\.+$/g, '');
  return safe === '' ? 'unknown-host' : safe;
}

// Lower case only: a spool on a case-insensitive file system (macOS, Windows)
// must not see two writers' ids as one. 32 symbols, so a byte maps without bias.
const WRITER_ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new random writer id: {@link WRITER_ID_LENGTH} characters of lower-case
 * letters and digits (40 random bits), safe in URLs and file names. Each writer
 * instance takes one when it starts, so a restart never reuses a name.
 */
export function newWriterId(): string {
  let id = '';
  for (const byte of randomBytes(WRITER_ID_LENGTH)) {
    id += WRITER_ID_ALPHABET.charAt(byte & 31);
  }
  return id;
}

/**
 * Builds a segment's file name. `start` is kept to the second (UTC).
 *
 * @throws {@link InvalidOptionError} naming the field that is not in the form
 *   the functions of this module produce
 */
export function formatSegmentName(fields: SegmentNameInput): string {
  const { name, host, writerId, seq } = fields;
  validateStreamName(name, 'name');
  if (!HOST.test(host)) {
    throw new InvalidOptionError('host', 'a host name as sanitizeHost() makes it', host);
  }
  if (!WRITER_ID.test(writerId)) {
    throw new InvalidOptionError(
      'writerId',
      'a writer id as newWriterId() makes it',
      writerId,
    );
  }
  if (!Number.isSafeInteger(seq) || seq < 0 || seq > MAX_SEQ) {
    throw new InvalidOptionError('seq', `an integer from 0 to ${MAX_SEQ}`, seq);
  }

  const start = formatBasicUtc(fields.start);
  const extension = fields.compressed === true ? '.log.gz' : '.log';
  const seqText = String(seq).padStart(6, '0');
  const fileName = `${name}.${start}.${host}.${writerId}.${seqText}${extension}`;

  // Cannot fail with the checks above (at most ~180 bytes); kept so that a
  // later change to the format cannot produce a name HDFS refuses.
  const problem = findComponentProblem(fileName);
  if (problem !== undefined) throw new InvalidHdfsPathError(fileName, problem);
  return fileName;
}

/**
 * Reads a segment file name back into its fields, or returns `undefined` for
 * any name this module did not make (other files in the spool, temporary
 * names, a date that does not exist). For every name it accepts,
 * `formatSegmentName(parseSegmentName(n))` is exactly `n`.
 */
export function parseSegmentName(fileName: string): SegmentNameFields | undefined {
  const match = SEGMENT_NAME.exec(fileName);
  if (match === null) return undefined;

  const [, name = '', startText = '', host = '', writerId = '', seqText = '', gz] = match;
  const start = parseBasicUtc(startText);
  if (start === undefined || !HOST.test(host)) return undefined;

  return {
    name,
    start,
    host,
    writerId,
    seq: Number(seqText),
    compressed: gz !== undefined,
  };
}

/**
 * Orders segment file names oldest first: by start time, then stream name,
 * host, writer id and sequence number. Names that are not segment names sort
 * after all segment names, by plain string order, so the comparison is total
 * and `Array.prototype.sort` gives the same order on every run.
 *
 * Sequence numbers only order the segments of one writer; across writers the
 * start time is all there is, and two writers' segments opened in the same
 * second are ordered by host and writer id, an arbitrary but stable choice.
 */
export function compareSegmentNames(a: string, b: string): number {
  return compareParsed(a, parseSegmentName(a), b, parseSegmentName(b));
}

/**
 * `names` in {@link compareSegmentNames} order, each parsed once rather than
 * at every comparison (a backlog of 10,000 segments is sorted at each run).
 */
export function sortSegmentNames(names: readonly string[]): string[] {
  return names
    .map((name) => ({ name, fields: parseSegmentName(name) }))
    .sort((a, b) => compareParsed(a.name, a.fields, b.name, b.fields))
    .map(({ name }) => name);
}

function compareParsed(
  a: string,
  left: SegmentNameFields | undefined,
  b: string,
  right: SegmentNameFields | undefined,
): number {
  if (left === undefined || right === undefined) {
    if (left !== right) return left === undefined ? 1 : -1;
    return compareText(a, b);
  }
  return (
    left.start - right.start ||
    compareText(left.name, right.name) ||
    compareText(left.host, right.host) ||
    compareText(left.writerId, right.writerId) ||
    left.seq - right.seq ||
    compareText(a, b)
  );
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function formatBasicUtc(start: Date | number): string {
  const millis = start instanceof Date ? start.getTime() : start;
  const text = basicUtcOrUndefined(millis);
  if (text === undefined) {
    throw new InvalidOptionError('start', 'a time in the years 0000 to 9999', start);
  }
  return text;
}

/** 2026-12-03T15:19:00.123Z → 20261203T151900Z; undefined outside 4-digit years. */
function basicUtcOrUndefined(millis: number): string | undefined {
  const date = new Date(millis);
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return undefined;
  return `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

function parseBasicUtc(text: string): number | undefined {
  const iso = text.replace(
    /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/,
    '$1-$2-$3T$4:$5:$6Z',
  );
  const millis = Date.parse(iso);
  // Date.parse takes 2026-02-30 and 24:00:00; the round trip turns them away.
  if (Number.isNaN(millis) || basicUtcOrUndefined(millis) !== text) return undefined;
  return millis;
}
