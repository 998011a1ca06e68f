import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory } from '../segment/spool-layout.js';

/** Where a segment's publication stands, as the journal last recorded it. */
export interface JournalEntry {
  readonly segment: string;
  /** The current attempt, and its hidden temporary path. */
  readonly attempt: string;
  readonly temp: string;
  readonly final: string;
  readonly bytes: number;
  /** The RENAME replaces a file at `final` (a copy job's grown file); absent for segments. */
  readonly replace?: true;
  /** Every temporary path of every attempt: all to be removed in the end. */
  readonly temps: readonly string[];
  /** `begun`: CREATE may have run; `rename-sent`: RENAME may have run; `done`: published. */
  readonly state: 'begun' | 'rename-sent' | 'done';
}

type JournalRecord =
  | {
      op: 'begin';
      segment: string;
      attempt: string;
      temp: string;
      final: string;
      bytes: number;
      /** Only written when true, so the spool journal's lines stay as they were. */
      replace?: true;
    }
  | { op: 'rename'; segment: string; attempt: string }
  | { op: 'discard'; segment: string; temp: string }
  /** The attempt's RENAME was refused because its temporary file was gone. */
  | { op: 'lost'; segment: string; attempt: string; temp: string }
  /** `moved`: the temporary path the RENAME moved into place, when known. */
  | { op: 'done'; segment: string; moved?: string }
  | { op: 'forget'; segment: string };

/** A record on its way to the file, and its caller. */
interface Appending {
  readonly record: JournalRecord;
  readonly sync: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

const FILE = 'publish.journal';
/** Records appended before the journal is rewritten with only its open entries. */
const COMPACT_AFTER = 10_000;

/**
 * The publish journal (DESIGN.md section 4): one line per step, appended and
 * fdatasync'ed before the step it announces, so that after a crash the next
 * uploader knows which temporary names exist and whether a RENAME may have
 * happened. Only the spool's single uploader writes it. A torn last line (a
 * crash mid-append) is ignored: the step it announced had not started.
 */
export class PublishJournal {
  readonly #directory: string;
  readonly #entries: Map<string, JournalEntry>;
  #handle: FileHandle;
  #appended = 0;
  #compactAfter = COMPACT_AFTER;
  #waiting: Appending[] = [];
  /** The running group write, while records are going to the file. */
  #writer: Promise<void> | undefined;

  private constructor(
    directory: string,
    handle: FileHandle,
    entries: Map<string, JournalEntry>,
  ) {
    this.#directory = directory;
    this.#handle = handle;
    this.#entries = entries;
  }

  /** Reads the journal, rewrites it compacted (only open entries), opens it for appends. */
  static async open(
    directory: string,
    options: { compactAfter?: number } = {},
  ): Promise<PublishJournal> {
    const path = join(directory, FILE);
    const entries = fold(await readRecords(path));
    await writeCompacted(directory, entries);
    const journal = new PublishJournal(directory, await open(path, 'a'), entries);
    journal.#compactAfter = options.compactAfter ?? COMPACT_AFTER;
    return journal;
  }

  /** The segments whose publication is not finished, by segment name. */
  get entries(): ReadonlyMap<string, JournalEntry> {
    return this.#entries;
  }

  async begin(
    segment: string,
    attempt: string,
    temp: string,
    final: string,
    bytes: number,
    replace = false,
  ) {
    const record: JournalRecord = { op: 'begin', segment, attempt, temp, final, bytes };
    await this.#append(replace ? { ...record, replace } : record);
  }

  /** A temporary path is known not to exist any more (deleted, or never created). */
  async discard(segment: string, temp: string): Promise<void> {
    await this.#append({ op: 'discard', segment, temp });
  }

  /**
   * The RENAME of `attempt` was refused because its temporary file `temp` is
   * gone (removed by someone else): nothing was published, the segment is
   * back to needing an upload.
   */
  async lost(segment: string, attempt: string, temp: string): Promise<void> {
    await this.#append({ op: 'lost', segment, attempt, temp });
  }

  async renameSent(segment: string): Promise<void> {
    const entry = this.#entries.get(segment);
    if (entry === undefined) throw new Error(`journal: no attempt of ${segment} began`);
    await this.#append({ op: 'rename', segment, attempt: entry.attempt });
  }

  /** Published; `moved` is the temporary path the RENAME made the final one. */
  async done(segment: string, moved?: string): Promise<void> {
    await this.#append(
      moved === undefined ? { op: 'done', segment } : { op: 'done', segment, moved },
    );
  }

  /** The local copy is gone: nothing about this segment needs remembering. */
  async forget(segment: string): Promise<void> {
    await this.#append({ op: 'forget', segment });
  }

  /**
   * `forget` for a segment recorded `done`, not synced: the next record's sync
   * carries it. Lost to a host crash, the entry stays `done`, which the next
   * uploader settles without a request, and a local copy that came back with
   * it is released as already published.
   */
  async forgetPublished(segment: string): Promise<void> {
    const state = this.#entries.get(segment)?.state;
    await this.#append({ op: 'forget', segment }, state !== 'done');
  }

  async close(): Promise<void> {
    await this.#writer;
    await this.#handle.close();
  }

  /**
   * Group commit: records appended while a write is under way wait for it,
   * then go to the file together in one write and one fdatasync. Each caller
   * still resumes only once its own record is on disk (when `sync`), but
   * segments published side by side share the cost of a sync.
   */
  #append(record: JournalRecord, sync = true): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ record, sync, resolve, reject });
      this.#writer ??= this.#writeWaiting();
    });
  }

  async #writeWaiting(): Promise<void> {
    // Let the appends of this turn of the event loop join the first write.
    await Promise.resolve();
    while (this.#waiting.length > 0) {
      const batch = this.#waiting;
      this.#waiting = [];
      try {
        await this.#handle.write(
          batch.map(({ record }) => `${JSON.stringify(record)}\n`).join(''),
        );
        if (batch.some((appended) => appended.sync)) await this.#handle.datasync();
        for (const { record } of batch) apply(this.#entries, record);
        this.#appended += batch.length;
        // A long outage adds records every attempt; keep the file near its live size.
        if (this.#appended >= this.#compactAfter) await this.#compact();
        for (const appended of batch) appended.resolve();
      } catch (error) {
        // A failed append fails its callers; the journal itself goes on.
        for (const appended of batch) appended.reject(error);
      }
    }
    // In the same turn as the empty check: a later append starts a new writer.
    this.#writer = undefined;
  }

  async #compact(): Promise<void> {
    await writeCompacted(this.#directory, this.#entries);
    await this.#handle.close();
    this.#handle = await open(join(this.#directory, FILE), 'a');
    this.#appended = 0;
  }
}

/** Rewrites the journal with only what rebuilds `entries`, atomically. */
async function writeCompacted(
  directory: string,
  entries: ReadonlyMap<string, JournalEntry>,
): Promise<void> {
  const path = join(directory, FILE);
  const compacted = `${path}.compacting`;
  const lines = [...entries.values()]
    .flatMap(recordsOf)
    .map((line) => JSON.stringify(line));
  const handle = await open(compacted, 'w');
  try {
    await handle.writeFile(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(compacted, path);
  await fsyncDirectory(directory);
}

async function readRecords(path: string): Promise<JournalRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      // Only the last line can be torn (appends are sequential); it announced nothing.
      break;
    }
  }
  return records;
}

function fold(records: readonly JournalRecord[]): Map<string, JournalEntry> {
  const entries = new Map<string, JournalEntry>();
  for (const record of records) apply(entries, record);
  return entries;
}

function apply(entries: Map<string, JournalEntry>, record: JournalRecord): void {
  const entry = entries.get(record.segment);
  switch (record.op) {
    case 'begin':
      entries.set(record.segment, {
        segment: record.segment,
        attempt: record.attempt,
        temp: record.temp,
        final: record.final,
        bytes: record.bytes,
        ...(record.replace === true ? { replace: true as const } : {}),
        temps: [...(entry?.temps ?? []), record.temp],
        state: 'begun',
      });
      return;
    case 'rename':
      if (entry?.attempt === record.attempt) {
        entries.set(record.segment, { ...entry, state: 'rename-sent' });
      }
      return;
    case 'done':
      if (entry !== undefined) {
        const temps = entry.temps.filter((temp) => temp !== record.moved);
        entries.set(record.segment, { ...entry, temps, state: 'done' });
      }
      return;
    case 'lost':
      if (entry?.attempt === record.attempt) {
        const temps = entry.temps.filter((temp) => temp !== record.temp);
        entries.set(record.segment, { ...entry, temps, state: 'begun' });
      }
      return;
    case 'discard':
      if (entry !== undefined) {
        const temps = entry.temps.filter((temp) => temp !== record.temp);
        entries.set(record.segment, { ...entry, temps });
      }
      return;
    case 'forget':
      entries.delete(record.segment);
  }
}

/** The records that rebuild an entry, for compaction. */
function recordsOf(entry: JournalEntry): JournalRecord[] {
  const { segment, attempt, temp, final, bytes } = entry;
  const replace = entry.replace === true ? { replace: true as const } : {};
  const earlier = entry.temps
    .filter((old) => old !== temp)
    .map((old, index): JournalRecord => ({
      op: 'begin',
      segment,
      attempt: `earlier-${index}`,
      temp: old,
      final,
      bytes,
      ...replace,
    }));
  const records: JournalRecord[] = [
    ...earlier,
    { op: 'begin', segment, attempt, temp, final, bytes, ...replace },
  ];
  if (!entry.temps.includes(temp)) records.push({ op: 'discard', segment, temp });
  if (entry.state !== 'begun') records.push({ op: 'rename', segment, attempt });
  if (entry.state === 'done') records.push({ op: 'done', segment });
  return records;
}
