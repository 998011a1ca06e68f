/**
 * What `status` shows of a spool, read without changing anything in it: no
 * file is created, moved or deleted, and liveness is asked by connecting to
 * sockets, which their owners answer and close.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseSegmentName, type SegmentNameFields } from '../segment/segment-name.js';
import { isSocketListening } from '../segment/socket-probe.js';
import { spoolLayout, type SpoolLayout } from '../segment/spool-layout.js';
import { isWriterAlive } from '../segment/writer-liveness.js';
import { readSpoolStats } from '../upload/spool-stats.js';
import { UploaderLock } from '../upload/uploader-lock.js';
import { measureSpool } from '../upload/spool-usage.js';
import { CliUsageError } from './cli-error.js';

/** A number of segments and their bytes. */
export interface Tally {
  readonly segments: number;
  readonly bytes: number;
}

/**
 * A spool's state, as `status --json` prints it: every key always present,
 * sizes in bytes, times in epoch ms, ages in ms, `null` for "none" or
 * "unknown".
 */
export interface SpoolStatus {
  readonly spool: string;
  /** When the spool was looked at. */
  readonly at: number;
  /** Sealed segments not published yet: `ready/`, and `sealed/` (waiting for gzip). */
  readonly backlog: Tally & {
    readonly ready: Tally;
    readonly sealed: Tally;
    /** Start of the oldest waiting segment, from its name. */
    readonly oldestStart: number | null;
    readonly oldestAgeMs: number | null;
  };
  /** Segments being written; `abandoned` ones have a dead writer (sealed at the next run). */
  readonly active: Tally & { readonly live: number; readonly abandoned: number };
  /** Published segments kept for `keepUploaded`. */
  readonly retained: Tally;
  /** Segments the disk budget deleted unpublished (`null`: stats.json unreadable). */
  readonly dropped: {
    readonly segments: number | null;
    readonly bytes: number | null;
    readonly lastAt: number | null;
  };
  /** Whether a live process's uploader holds the spool's lock. */
  readonly uploader: { readonly running: boolean };
  /** Every file of the spool counted, and the room left on its file system. */
  readonly disk: { readonly usedBytes: number; readonly freeBytes: number };
  /** What could not be read, one sentence each; the rest of the status holds. */
  readonly problems: readonly string[];
}

/** One segment file found in a directory of the spool. */
export interface SpoolSegment {
  readonly name: string;
  readonly fields: SegmentNameFields;
  readonly bytes: number;
}

/**
 * The layout of the spool at `dir`, once it looks like one. A directory
 * without `ready/` is refused, so that a mistyped path is not reported as
 * an empty spool.
 */
export async function openSpool(dir: string): Promise<SpoolLayout> {
  const layout = spoolLayout(resolve(dir));
  // stat, not lstat: a spool may be reached through a symbolic link.
  const root = await unlessGone(stat(layout.root));
  if (root === undefined) {
    throw new CliUsageError(`--spool: ${layout.root} does not exist`);
  }
  if (!root.isDirectory()) {
    throw new CliUsageError(`--spool: ${layout.root} is not a directory`);
  }
  const ready = await unlessGone(lstat(layout.ready));
  if (ready?.isDirectory() !== true) {
    throw new CliUsageError(`--spool: ${layout.root} is not a spool (no ready/ in it)`);
  }
  return layout;
}

/** The segments in `dir` (files named as segments), oldest first not promised. */
export async function listSegments(dir: string): Promise<SpoolSegment[]> {
  const names = (await unlessGone(readdir(dir))) ?? [];
  const segments: SpoolSegment[] = [];
  for (const name of names) {
    const fields = parseSegmentName(name);
    if (fields === undefined) continue;
    // Published, dropped or sealed between the listing and now: not counted.
    const info = await unlessGone(lstat(join(dir, name)));
    if (info !== undefined) segments.push({ name, fields, bytes: info.size });
  }
  return segments;
}

/** Counts segments and adds up their bytes. */
export function tally(segments: readonly SpoolSegment[]): Tally {
  return {
    segments: segments.length,
    bytes: segments.reduce((sum, segment) => sum + segment.bytes, 0),
  };
}

/** Reads the spool's state; changes nothing. */
export async function inspectSpool(
  layout: SpoolLayout,
  now: number = Date.now(),
): Promise<SpoolStatus> {
  const ready = await listSegments(layout.ready);
  const sealed = await listSegments(layout.sealed);
  const active = await listSegments(layout.active);
  const retained = await listSegments(layout.retained);
  const waiting = [...ready, ...sealed];
  const oldest = waiting.length === 0 ? null : Math.min(...waiting.map(startOf));
  const live = await countLive(layout, active);
  const problems: string[] = [];

  return {
    spool: layout.root,
    at: now,
    backlog: {
      ...tally(waiting),
      ready: tally(ready),
      sealed: tally(sealed),
      oldestStart: oldest,
      oldestAgeMs: oldest === null ? null : Math.max(0, now - oldest),
    },
    active: { ...tally(active), live, abandoned: active.length - live },
    retained: tally(retained),
    dropped: await readDropped(layout.root, problems),
    uploader: { running: await isSocketListening(UploaderLock.socketPath(layout.root)) },
    disk: await measureDisk(layout),
    problems,
  };
}

function startOf(segment: SpoolSegment): number {
  return segment.fields.start;
}

/** Active segments whose writer is alive; each writer is asked once. */
async function countLive(
  layout: SpoolLayout,
  active: readonly SpoolSegment[],
): Promise<number> {
  const alive = new Map<string, boolean>();
  for (const { fields } of active) {
    if (!alive.has(fields.writerId)) {
      alive.set(fields.writerId, await isWriterAlive(layout.writers, fields.writerId));
    }
  }
  return active.filter(({ fields }) => alive.get(fields.writerId) === true).length;
}

async function readDropped(
  spoolDir: string,
  problems: string[],
): Promise<SpoolStatus['dropped']> {
  try {
    const stats = await readSpoolStats(spoolDir);
    return {
      segments: stats.droppedSegments,
      bytes: stats.droppedBytes,
      lastAt: stats.lastDropAt,
    };
  } catch (error) {
    // Unknown rather than a failed status: the rest still holds.
    problems.push(`cannot read the drop counts: ${(error as Error).message}`);
    return { segments: null, bytes: null, lastAt: null };
  }
}

async function measureDisk(layout: SpoolLayout): Promise<SpoolStatus['disk']> {
  const usage = await measureSpool(layout);
  const usedBytes = usage.files.reduce((sum, file) => sum + file.bytes, 0);
  return { usedBytes, freeBytes: usage.freeBytes };
}

/** `undefined` for a path that is not there (or whose parent is not a directory). */
async function unlessGone<T>(action: Promise<T>): Promise<T | undefined> {
  try {
    return await action;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
