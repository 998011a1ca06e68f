/**
 * One look of a copy job at its files: which are complete and need a copy
 * (new, grown or changed since their copy), and which are left for later,
 * and why. A file is complete when it has been quiet for `quietPeriod` and,
 * on Linux, no process holds it open for writing.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Stats } from 'node:fs';
import { formatDuration } from '../duration.js';
import type { CopySkippedEvent } from './copy-events.js';
import {
  hasCopiedStats,
  identityKey,
  readFileVersion,
  type CopiedVersion,
  type FileRelation,
  type FileVersion,
} from './copy-identity.js';
import { SourceConfinement } from './copy-confinement.js';
import { findWriters, type OpenFileOptions, type ProcCheck } from './copy-open-files.js';
import type { ResolvedCopyJob } from './resolve-copy-job.js';
import { matchFiles, type CopyPattern } from './copy-patterns.js';
import type { CopyState } from './copy-state.js';
import type { ErrorInfo } from './uploader-events.js';

/** A complete file that needs a copy. */
export interface CopyCandidate {
  readonly file: string;
  readonly pattern: CopyPattern;
  readonly identity: string;
  readonly version: FileVersion;
  readonly relation: Exclude<FileRelation, 'unchanged'>;
}

export interface ScanResult {
  readonly matched: number;
  /** Oldest (by modification time) first. */
  readonly candidates: readonly CopyCandidate[];
  readonly skipped: ReadonlyArray<Omit<CopySkippedEvent, 'job'>>;
  readonly procCheck: ProcCheck | undefined;
  /** Files that could not be looked at (unreadable), with the error. */
  readonly failures: ReadonlyArray<{ readonly file: string; readonly error: unknown }>;
  /** Files refused for the first time (see {@link SourceConfinement}), to report. */
  readonly refused: ReadonlyArray<{ readonly file: string; readonly info: ErrorInfo }>;
}

/**
 * Remembers each path's length and modification time between scans, and
 * when a change to them was seen. A file seen for the first time is judged
 * by its modification time alone (a rotated file from before the start is
 * quiet at once); a change seen later counts from when it was seen, so that
 * a writer whose clock is behind (an NFS server) cannot make a file look
 * quiet early.
 */
export class QuietWatch {
  readonly #seen = new Map<string, { size: number; mtimeMs: number; since: number }>();

  /** Milliseconds the file has been quiet at `now`. */
  quietFor(path: string, stats: Pick<Stats, 'size' | 'mtimeMs'>, now: number): number {
    const last = this.#seen.get(path);
    const unchanged = last?.size === stats.size && last.mtimeMs === stats.mtimeMs;
    const since = last === undefined ? -Infinity : unchanged ? last.since : now;
    this.#seen.set(path, { size: stats.size, mtimeMs: stats.mtimeMs, since });
    return now - Math.max(stats.mtimeMs, since);
  }

  /** Forgets paths no longer matched. */
  keepOnly(paths: ReadonlySet<string>): void {
    for (const path of this.#seen.keys()) if (!paths.has(path)) this.#seen.delete(path);
  }
}

export interface ScanContext {
  readonly job: ResolvedCopyJob;
  readonly state: CopyState;
  readonly watch: QuietWatch;
  readonly now: number;
  readonly signal: AbortSignal;
  readonly openFiles?: OpenFileOptions;
}

/** Scans the job's patterns; updates `state` for files seen unchanged. */
export async function scanFiles(context: ScanContext): Promise<ScanResult> {
  const { job, watch } = context;
  const matched = await matchFiles(job.patterns, context.signal);
  watch.keepOnly(new Set(matched.keys()));

  const candidates: CopyCandidate[] = [];
  const skipped: Array<Omit<CopySkippedEvent, 'job'>> = [];
  const failures: Array<{ file: string; error: unknown }> = [];
  const refused: Array<{ file: string; info: ErrorInfo }> = [];
  const seen: Seen = { identities: new Set(), confinement: new SourceConfinement() };
  for (const [file, pattern] of matched) {
    // The job's own state and snapshots may sit below a pattern such as /var/log/**.
    if (file === job.files.stateFile || file.startsWith(`${job.files.workDir}/`))
      continue;
    try {
      const look = await lookAt(file, pattern, context, seen);
      if (look?.kind === 'candidate') candidates.push(look.candidate);
      if (look?.kind === 'skipped') skipped.push(look.skipped);
      if (look?.kind === 'refused') refused.push({ file, info: look.info });
    } catch (error) {
      failures.push({ file, error });
    }
  }

  const open = await excludeOpen(candidates, context.openFiles);
  return {
    matched: matched.size,
    candidates: open.complete.sort((a, b) => a.version.mtimeMs - b.version.mtimeMs),
    skipped: [...skipped, ...open.skipped],
    procCheck: open.procCheck,
    failures,
    refused,
  };
}

/** What one scan has seen: identities (each file once) and its bases' real paths. */
interface Seen {
  readonly identities: Set<string>;
  readonly confinement: SourceConfinement;
}

type Look =
  | { readonly kind: 'candidate'; readonly candidate: CopyCandidate }
  | { readonly kind: 'skipped'; readonly skipped: Omit<CopySkippedEvent, 'job'> }
  | { readonly kind: 'refused'; readonly info: ErrorInfo }
  | undefined;

/**
 * What one matched file needs; `undefined` when nothing (copied, empty,
 * gone, or refused and reported before).
 */
async function lookAt(
  file: string,
  pattern: CopyPattern,
  context: ScanContext,
  { identities, confinement }: Seen,
): Promise<Look> {
  const { job, state, watch, now } = context;
  const stats = await statIfFile(file);
  // Empty files carry nothing yet (logrotate's `create` makes them).
  if (stats === undefined || stats.size === 0) return undefined;
  const identity = identityKey(stats);
  // A second name of one file (a hard link, overlapping patterns) is the same file.
  if (identities.has(identity)) return undefined;
  identities.add(identity);

  // Watched even when unchanged, so that a later change counts from when it is seen.
  const quiet = watch.quietFor(file, stats, now);
  const copied = state.files.get(identity);
  state.noteSeen(identity, now);
  if (state.isStaged(identity)) return undefined;
  if (copied !== undefined && (await isStillCopied(file, stats, copied.version, context)))
    return undefined;

  const refusal = await confinement.check(file, identity, pattern);
  if (refusal === 'gone') return undefined;
  if (refusal !== undefined) {
    const news = state.noteRefused(identity, refusal.message, now);
    return news ? { kind: 'refused', info: refusal } : undefined;
  }
  state.noteAllowed(identity);

  if (quiet < job.quietPeriod) {
    const ago = formatDuration(Math.max(0, quiet));
    const detail = `changed ${ago} ago; quiet period ${formatDuration(job.quietPeriod)}`;
    return { kind: 'skipped', skipped: { file, reason: 'not-quiet', detail } };
  }
  const read = await readIfPresent(file, copied?.version);
  // Replaced since the stat (a rotation): another file, for the next scan.
  if (read === undefined || identityKey(read.version) !== identity) return undefined;
  if (read.relation === 'unchanged') {
    // Touched, same content: its new time is the copied one now, so that the
    // next scans take the short way (isStillCopied).
    state.noteSeen(identity, now, read.version);
    return undefined;
  }
  const candidate = { file, pattern, identity, version: read.version };
  return { kind: 'candidate', candidate: { ...candidate, relation: read.relation } };
}

/**
 * True when `file` has its copied version's length and time and, read
 * again, its bytes (see copy-identity): nothing to do. Also true when the
 * path names another file since the stat, or none: the next scan looks at
 * it. A state entry without hashes gets them here.
 */
async function isStillCopied(
  file: string,
  stats: Stats,
  copied: CopiedVersion,
  { state, now }: ScanContext,
): Promise<boolean> {
  if (!hasCopiedStats(copied, stats)) return false;

  const identity = identityKey(stats);
  const read = await readIfPresent(file, copied);
  if (read === undefined || identityKey(read.version) !== identity) return true;
  if (read.relation !== 'unchanged') return false;
  if (copied.headHash === undefined) state.noteSeen(identity, now, read.version);
  return true;
}

/** Leaves out the candidates some process holds open for writing. */
async function excludeOpen(
  candidates: readonly CopyCandidate[],
  options?: OpenFileOptions,
) {
  if (candidates.length === 0) {
    return { complete: [], skipped: [], procCheck: undefined };
  }
  const report = await findWriters(
    {
      keys: new Set(candidates.map((candidate) => candidate.identity)),
      names: new Set(candidates.map((candidate) => basename(candidate.file))),
    },
    options,
  );
  const complete: CopyCandidate[] = [];
  const skipped: Array<Omit<CopySkippedEvent, 'job'>> = [];
  for (const candidate of candidates) {
    const pids = report.writers.get(candidate.identity);
    if (pids === undefined) {
      complete.push(candidate);
      continue;
    }
    const detail = `open for writing by process ${pids.join(', ')}`;
    skipped.push({ file: candidate.file, reason: 'open-for-writing', detail, pids });
  }
  return { complete, skipped, procCheck: report.check };
}

/** Stats a regular file; `undefined` when it is gone or is not one. */
async function statIfFile(path: string): Promise<Stats | undefined> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? stats : undefined;
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

async function readIfPresent(path: string, copied: CopiedVersion | undefined) {
  try {
    return await readFileVersion(path, copied);
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

/** Renamed or deleted between the listing and the look (a rotation): not there now. */
function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
