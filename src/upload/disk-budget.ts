/**
 * The disk budget of a spool (DESIGN.md section 3.6, issue 3 "Disk budget"):
 * which files to delete, and in what order, when the spool holds more than
 * `maxSpoolBytes` or the file system keeps less than `minFreeBytes` free.
 * Pure: `measureSpool` in `spool-usage.ts` does the I/O.
 */
import { InvalidOptionError } from '../errors.js';
import { formatSize } from '../size.js';

/** Where a file of the spool lies, which decides whether it may be dropped. */
export type SpoolFileState =
  'active' | 'sealed' | 'ready' | 'retained' | 'tmp' | 'journal' | 'other';

/** One file of the spool, as `measureSpool` finds it. */
export interface SpoolFile {
  readonly path: string;
  readonly state: SpoolFileState;
  readonly bytes: number;
  /** Epoch ms: the start in the segment name, or the file's mtime. */
  readonly start: number;
}

/** The two bounds and what the file system has free now. */
export interface BudgetLimits {
  /** `maxSpoolBytes`: most bytes all files of the spool may hold together. */
  readonly maxSpoolBytes: number;
  /** `minFreeBytes`: least free space the spool's file system must keep. */
  readonly minFreeBytes: number;
  /** Bytes free on the file system now (`statfs`: available to this user). */
  readonly freeBytes: number;
}

/** What {@link planDrops} decided. */
export interface DropPlan {
  /** Files to delete, in this order. */
  readonly drops: readonly SpoolFile[];
  /** Bytes the spool holds now, every file counted. */
  readonly usedBytes: number;
  /** Bytes the spool will hold once the drops are done. */
  readonly usedBytesAfter: number;
  /** Free bytes expected once the drops are done. */
  readonly freeBytesAfter: number;
  /**
   * False when dropping everything droppable is still not enough (active
   * segments, the journal or busy files hold the rest): the caller reports it.
   */
  readonly satisfied: boolean;
}

/**
 * Plans the smallest prefix of the drop order that brings the spool back
 * under both bounds. Every file counts toward the usage; only these may go,
 * in this order:
 *
 * 1. retained copies of published segments, oldest first: they are already
 *    on HDFS, so dropping them loses nothing;
 * 2. sealed and ready segments, oldest start first, so the newest data
 *    survives.
 *
 * Never an active segment (its writer is still adding lines), never a path
 * in `busy` (being compressed or published: the caller includes every segment
 * the publish journal names), never the journal, nor temporary or unknown
 * files. Deleting a file is assumed to free its bytes on the file system.
 */
export function planDrops(
  files: readonly SpoolFile[],
  limits: BudgetLimits,
  busy: ReadonlySet<string>,
): DropPlan {
  const { maxSpoolBytes, minFreeBytes, freeBytes } = limits;
  const usedBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  const candidates = [
    ...oldestFirst(files.filter((file) => file.state === 'retained')),
    ...oldestFirst(
      files.filter((file) => file.state === 'sealed' || file.state === 'ready'),
    ),
  ].filter((file) => !busy.has(file.path));

  let freed = 0;
  const within = (): boolean =>
    usedBytes - freed <= maxSpoolBytes && freeBytes + freed >= minFreeBytes;
  const drops: SpoolFile[] = [];
  for (const file of candidates) {
    if (within()) break;
    drops.push(file);
    freed += file.bytes;
  }

  return {
    drops,
    usedBytes,
    usedBytesAfter: usedBytes - freed,
    freeBytesAfter: freeBytes + freed,
    satisfied: within(),
  };
}

function oldestFirst(files: SpoolFile[]): SpoolFile[] {
  // The path breaks ties, so one spool always gives one plan.
  return files.sort(
    (a, b) => a.start - b.start || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}

/** What {@link validateBudget} checks. */
export interface BudgetOptions {
  /** `maxSpoolBytes`, in bytes. */
  readonly maxSpoolBytes: number;
  /** `rotate.size`: the most bytes one active segment reaches. */
  readonly rotateSize: number;
}

/**
 * Refuses a `maxSpoolBytes` that cannot hold two full segments.
 *
 * Why two: active segments can never be dropped, and at each rotation a full
 * segment is sealed while the writer already fills the next one. With room
 * for fewer than two, the segment just sealed would be over budget before
 * the uploader could even see it, so the spool would drop data continuously
 * while HDFS is perfectly reachable. Two is a floor for one writer: the
 * number of writers sharing a spool is not known at start, and each one adds
 * an active segment the budget must also hold.
 *
 * @throws {@link InvalidOptionError} naming `maxSpoolBytes`
 */
export function validateBudget(options: BudgetOptions): void {
  const { maxSpoolBytes, rotateSize } = options;
  const least = 2 * rotateSize;
  if (maxSpoolBytes >= least) return;
  throw new InvalidOptionError(
    'maxSpoolBytes',
    `at least two full segments (2 × rotate.size = ${formatSize(least)})`,
    maxSpoolBytes,
  );
}
