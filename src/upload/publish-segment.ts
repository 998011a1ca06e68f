import { randomBytes } from 'node:crypto';
import { PublishConflictError, TemporaryFileLostError, WebHdfsError } from '../errors.js';
import type { Destination, SegmentPlacement } from './destination.js';
import { failpoint } from '../failpoints.js';
import type { JournalEntry, PublishJournal } from './publish-journal.js';
import { judgeRename, refusedForMissingSource } from './rename-verdict.js';
import type { TransferSlots } from './transfer-slots.js';

/** A sealed segment ready to publish. */
export interface PublishableSegment {
  /** File name in `ready/`, which is also the published name (`.gz` included). */
  readonly name: string;
  readonly localPath: string;
  readonly bytes: number;
  readonly placement: SegmentPlacement;
  /**
   * The final path, when it is not `directoryFor(placement)/name` (a copy
   * job's file, whose name may hold directories).
   */
  readonly path?: string;
  /**
   * Replace the file at the final path (RENAME with OVERWRITE): only for a
   * newer copy of the same content, a file that only grew since its upload.
   * @default false
   */
  readonly replace?: boolean;
}

export interface PublishContext {
  readonly destination: Destination;
  readonly journal: PublishJournal;
  readonly verify: 'length' | 'checksum';
  readonly signal: AbortSignal;
  /** Attempt ids, random by default. */
  readonly newAttemptId?: () => string;
  /** Bounds the uploads whose bodies are in flight; unbounded without. */
  readonly transfers?: TransferSlots;
}

export interface PublishResult {
  /**
   * `published`: this attempt's RENAME made the file visible.
   * `already-published`: an earlier attempt had (its confirmation was lost).
   * `ambiguous`: the RENAME was sent and the file is not there any more: a
   * consumer moved it away (Hive `LOAD DATA INPATH`); it counts as published
   * and is never sent again.
   */
  readonly outcome: 'published' | 'already-published' | 'ambiguous';
  /** The final path on the destination. */
  readonly path: string;
  readonly verification: 'checksum' | 'length' | 'none';
  /** Temporary files that could not be deleted (hidden names; harmless clutter). */
  readonly leftovers: readonly string[];
}

/**
 * Publishes one segment exactly once (DESIGN.md section 4): journal the
 * attempt, CREATE a hidden temporary name unique to the attempt, journal that
 * the RENAME is being sent, RENAME without replacing, verify, journal done.
 * Every failure of the RENAME is resolved by looking at both names rather
 * than trusting the answer, and an interrupted publication (a crash, a lost
 * answer) is resumed from the journal. Throws what the caller should retry
 * (classified by `classifyError`), or a `PublishConflictError`.
 */
export async function publishSegment(
  segment: PublishableSegment,
  context: PublishContext,
): Promise<PublishResult> {
  return new Publication(segment, context).run();
}

class Publication {
  readonly #segment: PublishableSegment;
  readonly #context: PublishContext;

  constructor(segment: PublishableSegment, context: PublishContext) {
    this.#segment = segment;
    this.#context = context;
  }

  async run(): Promise<PublishResult> {
    const { destination, journal, signal } = this.#context;
    const segment = this.#segment;
    const earlier = journal.entries.get(segment.name);
    if (earlier?.state === 'done')
      return result(earlier, 'already-published', 'none', []);
    if (earlier?.state === 'rename-sent') {
      // A RENAME may have happened: find out before anything is sent again.
      const resolved = await this.#resolveByLooking(earlier, undefined);
      return resolved ?? this.#renameAndComplete(earlier);
    }

    // Earlier attempts never sent a RENAME: their temporary files are stale.
    if (earlier !== undefined) await removeTemporaryFiles(earlier, this.#context);

    const final =
      segment.path ?? joinPath(destination.directoryFor(segment.placement), segment.name);
    const attempt = (this.#context.newAttemptId ?? randomAttemptId)();
    const temp = temporaryPath(final, attempt);
    const replace = segment.replace === true;
    await journal.begin(segment.name, attempt, temp, final, segment.bytes, replace);
    failpoint('after-begin-journal');

    const upload = () => destination.upload(segment.localPath, temp, { signal });
    try {
      await (this.#context.transfers?.run(upload) ?? upload());
    } catch (error) {
      // Refused by the NameNode: the DataNode never started the file.
      if (error instanceof WebHdfsError && error.role === 'namenode') {
        await journal.discard(segment.name, temp);
      }
      throw error;
    }
    failpoint('after-create');
    return this.#renameAndComplete(this.#entry());
  }

  async #renameAndComplete(entry: JournalEntry): Promise<PublishResult> {
    const { destination, journal, signal } = this.#context;
    await journal.renameSent(entry.segment);
    failpoint('after-rename-journal');
    try {
      const overwrite = entry.replace === true;
      await destination.rename(entry.temp, entry.final, { overwrite, signal });
    } catch (error) {
      const resolved = await this.#resolveByLooking(entry, error);
      if (resolved !== undefined) return resolved;
      // The temporary file is still there: the RENAME did not happen. Retry later.
      throw error;
    }
    failpoint('after-rename');
    // This attempt's temporary file is now the final one: nothing to delete there.
    return this.#complete(entry, 'published', entry.temp);
  }

  /**
   * After a RENAME that failed or may have happened, looks at both names
   * rather than trusting the answer (see `judgeRename`); `undefined` when
   * the RENAME did not happen and must be sent again.
   */
  async #resolveByLooking(entry: JournalEntry, error: unknown) {
    const { destination, signal } = this.#context;
    const [final, temp] = await Promise.all([
      destination.stat(entry.final, { signal }),
      destination.stat(entry.temp, { signal }),
    ]);
    const verdict = judgeRename(entry, final, temp);
    if (temp === undefined && refusedForMissingSource(error)) {
      // This RENAME was refused, so it moved nothing: the temporary file was
      // removed by someone else. Nothing is published; upload it again.
      // (With `replace`, the earlier copy still at the final name is no conflict.)
      const replacing = entry.replace === true && verdict.kind === 'conflict';
      if (verdict.kind === 'taken-away' || replacing) {
        await this.#context.journal.lost(entry.segment, entry.attempt, entry.temp);
        throw new TemporaryFileLostError(entry.segment, entry.temp, error);
      }
    }
    switch (verdict.kind) {
      case 'not-renamed':
        return undefined;
      case 'published':
        return this.#complete(entry, verdict.outcome);
      case 'taken-away':
        return this.#finish(entry, 'ambiguous', 'none');
      case 'conflict':
        throw new PublishConflictError(entry.segment, entry.final, verdict.detail, error);
    }
  }

  /**
   * Verifies the published file, then records the segment as done. `moved`:
   * the temporary path our RENAME is known to have moved.
   */
  async #complete(
    entry: JournalEntry,
    outcome: 'published' | 'already-published',
    moved?: string,
  ) {
    const { destination, signal } = this.#context;
    if (this.#context.verify === 'checksum' && destination.verifyContent !== undefined) {
      const local = this.#segment.localPath;
      const verification = await destination.verifyContent(local, entry.final, {
        signal,
      });
      return this.#finish(entry, outcome, verification, moved);
    }
    const status = await destination.stat(entry.final, { signal });
    // Gone already: a consumer took it between our RENAME and this look.
    if (status === undefined) return this.#finish(entry, 'ambiguous', 'none', moved);
    if (status.type !== 'file' || status.length !== entry.bytes) {
      throw new PublishConflictError(
        entry.segment,
        entry.final,
        `holds ${status.length} bytes after RENAME; the segment has ${entry.bytes}`,
      );
    }
    return this.#finish(entry, outcome, 'length', moved);
  }

  async #finish(
    entry: JournalEntry,
    outcome: PublishResult['outcome'],
    verification: PublishResult['verification'],
    moved?: string,
  ): Promise<PublishResult> {
    const leftovers = await removeTemporaryFiles(entry, this.#context, moved);
    await this.#context.journal.done(entry.segment, moved);
    return result(entry, outcome, verification, leftovers);
  }

  #entry(): JournalEntry {
    const entry = this.#context.journal.entries.get(this.#segment.name);
    if (entry === undefined)
      throw new Error(`journal: ${this.#segment.name} has no entry`);
    return entry;
  }
}

/**
 * Deletes every attempt's temporary file but `moved` (renamed into place)
 * and tells the journal; one that cannot be deleted now stays listed and is
 * tried again next time (hidden clutter at worst). Returns those left.
 */
export async function removeTemporaryFiles(
  entry: JournalEntry,
  context: Pick<PublishContext, 'destination' | 'journal' | 'signal'>,
  moved?: string,
): Promise<string[]> {
  const leftovers: string[] = [];
  for (const temp of new Set(entry.temps)) {
    if (temp === moved) continue;
    try {
      await context.destination.delete(temp, { signal: context.signal });
      await context.journal.discard(entry.segment, temp);
    } catch {
      leftovers.push(temp);
    }
  }
  return leftovers;
}

function result(
  entry: JournalEntry,
  outcome: PublishResult['outcome'],
  verification: PublishResult['verification'],
  leftovers: readonly string[],
): PublishResult {
  return { outcome, path: entry.final, verification, leftovers };
}

function randomAttemptId(): string {
  return randomBytes(6).toString('hex');
}

/** `dir/.name.<attempt>.inprogress`: hidden, beside the final name, unique per attempt. */
function temporaryPath(final: string, attempt: string): string {
  const slash = final.lastIndexOf('/');
  return `${final.slice(0, slash + 1)}.${final.slice(slash + 1)}.${attempt}.inprogress`;
}

function joinPath(directory: string, name: string): string {
  return directory.endsWith('/') ? `${directory}${name}` : `${directory}/${name}`;
}
