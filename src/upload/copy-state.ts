/**
 * A copy job's memory (issue 5): which version of which file it copied and
 * where to, which snapshots wait to be published, which files it refused.
 * It keeps a restarted job from copying anything twice, so it is written
 * atomically (temporary file, fsync, rename, fsync of the directory) and a
 * state file that cannot be read fails the job instead of being started
 * afresh.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CopyStateError } from '../errors.js';
import { fsyncDirectory } from '../segment/spool-layout.js';
import type { CopiedVersion, FileVersion } from './copy-identity.js';

/** A file's last copied version. */
export interface CopiedFile {
  /** Without hashes in state files written before they were kept. */
  readonly version: CopiedVersion;
  /** Its copy's path on the destination: a grown version replaces it there. */
  readonly path: string;
  /** When it was first copied (epoch ms): the template's date, kept for later versions. */
  readonly placedAt: number;
  /** The local path it had when copied. */
  readonly source: string;
  /** When a scan last matched it (epoch ms); long unseen, it is forgotten. */
  readonly lastSeen: number;
}

/** A snapshot of a file, staged and waiting to be published (the job's `ready/`). */
export interface StagedCopy {
  /** Unique per snapshot: the journal's and the snapshot file's name. */
  readonly key: string;
  /** The file's `dev:ino`. */
  readonly identity: string;
  readonly version: CopiedVersion;
  readonly source: string;
  /** Bytes of the snapshot (compressed when `compress` is on). */
  readonly bytes: number;
  /** The final path on the destination. */
  readonly path: string;
  readonly placedAt: number;
  /** A newer version of the same content: RENAME with OVERWRITE. */
  readonly replace: boolean;
}

/** A file the job will not copy (see copy-confinement), remembered to report it once. */
export interface RefusedFile {
  /** Why, as reported: it names the file's real path and the base. */
  readonly reason: string;
  readonly lastSeen: number;
}

interface StateDocument {
  readonly version: 1;
  readonly job: string;
  readonly files: Record<string, CopiedFile>;
  readonly staged: Record<string, StagedCopy>;
  /** Absent in state files written before refusals were remembered. */
  readonly refused?: Record<string, RefusedFile>;
}

/** A file no scan matched for this long is forgotten (deleted by its rotation, surely). */
export const FORGET_UNSEEN_MS = 7 * 24 * 60 * 60 * 1000;

/** How much `lastSeen` may lag: enough for forgetting, without a write every scan. */
const SEEN_GRANULARITY_MS = 60 * 60 * 1000;

/** The state of one job, in memory, saved with {@link CopyState.save}. */
export class CopyState {
  readonly #job: string;
  readonly #file: string;
  /** Copied files by `dev:ino`. */
  readonly files: Map<string, CopiedFile>;
  /** Staged snapshots by key. */
  readonly staged: Map<string, StagedCopy>;
  /** Refused files by `dev:ino`. */
  readonly #refused: Map<string, RefusedFile>;
  #dirty = false;

  private constructor(job: string, file: string, document: StateDocument) {
    this.#job = job;
    this.#file = file;
    this.files = new Map(Object.entries(document.files));
    this.staged = new Map(Object.entries(document.staged));
    this.#refused = new Map(Object.entries(document.refused ?? {}));
  }

  /**
   * Reads the state file; a missing one is an empty state.
   *
   * @throws {@link CopyStateError} when it cannot be read or is not a state
   *   file of this format
   */
  static async load(job: string, file: string): Promise<CopyState> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return new CopyState(job, file, emptyDocument(job));
      throw new CopyStateError(job, file, `cannot be read (${code ?? 'error'})`, error);
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new CopyStateError(job, file, 'is not valid JSON', error);
    }
    if (!isStateDocument(document)) {
      throw new CopyStateError(job, file, 'is not a copy job state file of version 1');
    }
    return new CopyState(job, file, document);
  }

  /** The identity whose copy is at `path`, if any (copied or staged). */
  ownerOf(path: string): string | undefined {
    for (const [identity, copied] of this.files)
      if (copied.path === path) return identity;
    for (const staged of this.staged.values())
      if (staged.path === path) return staged.identity;
    return undefined;
  }

  /** True when a snapshot of this identity waits to be published. */
  isStaged(identity: string): boolean {
    for (const staged of this.staged.values())
      if (staged.identity === identity) return true;
    return false;
  }

  /**
   * Notes that a scan matched a copied file, and its version when only its
   * modification time changed (so it is not read again). True when the state
   * changed enough to be saved: `lastSeen` moves by the hour, not each scan.
   */
  noteSeen(identity: string, now: number, version?: FileVersion): boolean {
    const copied = this.files.get(identity);
    if (copied === undefined) return false;
    if (version === undefined && now - copied.lastSeen < SEEN_GRANULARITY_MS)
      return false;
    this.files.set(identity, {
      ...copied,
      version: version ?? copied.version,
      lastSeen: now,
    });
    this.#dirty = true;
    return true;
  }

  /** Notes a refusal; true when it is news (not refused before, or for another reason). */
  noteRefused(identity: string, reason: string, now: number): boolean {
    const known = this.#refused.get(identity);
    const news = known?.reason !== reason;
    if (news || now - known.lastSeen >= SEEN_GRANULARITY_MS) {
      this.#refused.set(identity, { reason, lastSeen: now });
      this.#dirty = true;
    }
    return news;
  }

  /** Forgets a refusal: the file may be copied now. */
  noteAllowed(identity: string): void {
    if (this.#refused.delete(identity)) this.#dirty = true;
  }

  /** Records that a staged snapshot is published: its version is the file's copy now. */
  markPublished(key: string, now: number): void {
    const staged = this.staged.get(key);
    if (staged === undefined) return;
    this.staged.delete(key);
    this.files.set(staged.identity, {
      version: staged.version,
      path: staged.path,
      placedAt: staged.placedAt,
      source: staged.source,
      lastSeen: now,
    });
  }

  /** Forgets files no scan has matched for {@link FORGET_UNSEEN_MS}; true if any. */
  forgetUnseen(now: number): boolean {
    let forgot = false;
    for (const known of [this.files, this.#refused]) {
      for (const [identity, { lastSeen }] of known) {
        if (now - lastSeen < FORGET_UNSEEN_MS) continue;
        known.delete(identity);
        forgot = true;
      }
    }
    this.#dirty ||= forgot;
    return forgot;
  }

  /** Saves when {@link noteSeen} or {@link forgetUnseen} changed something. */
  async saveIfChanged(): Promise<void> {
    if (this.#dirty) await this.save();
  }

  /** Writes the state file atomically and durably. */
  async save(): Promise<void> {
    const document: StateDocument = {
      version: 1,
      job: this.#job,
      files: Object.fromEntries(this.files),
      staged: Object.fromEntries(this.staged),
      refused: Object.fromEntries(this.#refused),
    };
    const directory = dirname(this.#file);
    const temporary = `${this.#file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(directory, { recursive: true });
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(document)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.#file);
      await fsyncDirectory(directory);
      this.#dirty = false;
    } catch (error) {
      await rm(temporary, { force: true });
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new CopyStateError(
        this.#job,
        this.#file,
        `cannot be written (${code})`,
        error,
      );
    }
  }
}

function emptyDocument(job: string): StateDocument {
  return { version: 1, job, files: {}, staged: {} };
}

function isStateDocument(value: unknown): value is StateDocument {
  if (typeof value !== 'object' || value === null) return false;
  const document = value as Partial<Record<keyof StateDocument, unknown>>;
  return (
    document.version === 1 &&
    isRecordOfObjects(document.files) &&
    isRecordOfObjects(document.staged) &&
    (document.refused === undefined || isRecordOfObjects(document.refused))
  );
}

function isRecordOfObjects(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((item) => typeof item === 'object' && item !== null);
}
