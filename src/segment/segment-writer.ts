import { EventEmitter } from 'node:events';
import { fsyncDirectory, fsyncDirectorySync, type SpoolLayout } from './spool-layout.js';
import { OpenSegment, type SealedSegment, type UnwrittenData } from './open-segment.js';
import { formatSegmentName } from './segment-name.js';
import { nextBoundary, shouldRotate } from './rotation-policy.js';
import { nodeSegmentIo, type SegmentIo } from './segment-io.js';
import { SpoolWriteError } from '../errors.js';
import { exitHooks } from './exit-hooks.js';

export interface SegmentWriterOptions {
  readonly layout: SpoolLayout;
  /** Stream name, the first part of every segment name. */
  readonly name: string;
  readonly host: string;
  readonly writerId: string;
  /** `rotate.size`: bytes after which a segment is sealed. */
  readonly maxBytes: number;
  /** `rotate.every` in ms, aligned on the clock of `timeZone`. */
  readonly period: number;
  readonly timeZone: string;
  /** Bytes queued in memory before they are written synchronously (or dropped). */
  readonly bufferBytes: number;
  /** At the queue's cap: write synchronously, or drop what does not fit. */
  readonly onBufferFull: 'write' | 'drop';
  /** Where sealed segments go: `ready` (published as they are) or `sealed` (gzip first). */
  readonly sealInto: 'ready' | 'sealed';
  /** After a disk error, the wait before a new segment file is tried. @default 1000 */
  readonly retryDelay?: number;
  readonly now?: () => number;
  readonly io?: SegmentIo;
}

export interface DroppedLines {
  readonly lines: number;
  readonly bytes: number;
  /** `closed`: written after {@link SegmentWriter.close}, when nothing can take it. */
  readonly reason: 'buffer-full' | 'disk-error' | 'closed';
}

export interface SegmentWriterEvents {
  sealed: [segment: SealedSegment];
  dropped: [drop: DroppedLines];
  error: [error: SpoolWriteError];
}

/**
 * The logging hot path: appends whole lines to the active segment, rotates it
 * by size and by clock period (checked on every write, and by a timer for
 * quiet periods), and seals finished segments into `ready/` (or `sealed/`).
 * It never waits on the network and never throws into the caller: disk
 * errors are events, and lines that could not be kept are counted.
 */
export class SegmentWriter extends EventEmitter<SegmentWriterEvents> {
  readonly #options: Required<Omit<SegmentWriterOptions, 'now' | 'io'>>;
  readonly #now: () => number;
  readonly #io: SegmentIo;
  #current: OpenSegment | undefined;
  #boundary = 0;
  #seq = 0;
  readonly #sealing = new Set<Promise<void>>();
  readonly #sealingSegments = new Set<OpenSegment>();
  /** Lines taken but not yet in a segment (a disk error happened). */
  #carry: string[] = [];
  #carryBytes = 0;
  #retryAt = 0;
  #writeScheduled = false;
  #periodTimer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #exitHook = (): void => this.#exitSync();

  constructor(options: SegmentWriterOptions) {
    super();
    this.#options = { retryDelay: 1000, ...options };
    this.#now = options.now ?? Date.now;
    this.#io = options.io ?? nodeSegmentIo;
    exitHooks.add(this.#exitHook);
  }

  /** Appends text made of whole lines. Never throws, never splits the text. */
  write(text: string): void {
    if (this.#closed) {
      this.#drop([text], 'closed');
      return;
    }
    const bytes = Buffer.byteLength(text);
    const now = this.#now();
    let segment = this.#current;
    if (segment !== undefined) {
      const reason = shouldRotate({
        now,
        nextBoundary: this.#boundary,
        segmentBytes: segment.bytes,
        incomingBytes: bytes,
        maxBytes: this.#options.maxBytes,
      });
      if (reason !== undefined || !segment.healthy) {
        this.#sealCurrent();
        segment = undefined;
      }
    }
    segment ??= this.#open(now);
    if (segment === undefined) {
      this.#hold(text, bytes);
      return;
    }
    this.#queue(segment, text, bytes);
  }

  /**
   * Appends text holding many whole lines (a chunk pino hands over). Unlike
   * {@link write}, which never splits, it is cut at line boundaries where a
   * segment fills up, so segments keep to `maxBytes` whatever the chunk size.
   */
  writeLines(text: string): void {
    const { maxBytes } = this.#options;
    let rest = text;
    for (;;) {
      const used = this.#current?.bytes ?? 0;
      const room = maxBytes - used;
      if (rest.length <= room && Buffer.byteLength(rest) <= room) break;
      // What fits here; else what fits in a fresh segment; else one line alone.
      let cut = lastLineEndWithin(rest, room);
      if (cut === -1 && used > 0) cut = lastLineEndWithin(rest, maxBytes);
      if (cut === -1) cut = rest.indexOf('\n') + 1;
      if (cut <= 0 || cut >= rest.length) break;
      this.write(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    this.write(rest);
  }

  /** Writes everything queued to the active segment (without sealing it). */
  async flush(): Promise<void> {
    await this.#current?.drain();
  }

  /**
   * Writes everything queued to the active segment now, synchronously (without
   * sealing it): the pino target's answer to `logger.flush()`, which must be
   * on disk before the answer leaves the worker.
   */
  flushSync(): void {
    this.#current?.writeAllSync();
  }

  /** Seals the active segment now (if it has data) and waits for every seal. */
  async rotate(): Promise<void> {
    if (this.#current !== undefined) this.#sealCurrent();
    while (this.#sealing.size > 0) await Promise.all([...this.#sealing]);
  }

  /** Seals what is written and stops; later writes are dropped and counted. */
  async close(): Promise<void> {
    if (this.#closed) return;
    // From now on a write is refused (and counted): one taken while the last
    // seal is under way would open a segment that nothing seals any more.
    this.#closed = true;
    await this.rotate();
    clearTimeout(this.#periodTimer);
    exitHooks.delete(this.#exitHook);
    const unsaved = this.#takeCarry();
    if (unsaved.length > 0) this.#drop(unsaved, 'disk-error');
  }

  /** Bytes taken but not yet sealed (active segment and lines held after an error). */
  get unsealedBytes(): number {
    return (this.#current?.bytes ?? 0) + this.#carryBytes;
  }

  #queue(segment: OpenSegment, text: string, bytes: number): void {
    const { bufferBytes, onBufferFull } = this.#options;
    if (segment.queuedBytes + bytes > bufferBytes && segment.queuedBytes > 0) {
      if (onBufferFull === 'write') {
        segment.append(text, bytes);
        segment.writeAllSync();
        return;
      }
      // 'drop': hand the queue to the disk if it is free; otherwise this text is lost.
      segment.writeQueued();
      if (segment.queuedBytes > 0) {
        this.#drop([text], 'buffer-full');
        return;
      }
    }
    segment.append(text, bytes);
    this.#scheduleWrite();
  }

  #open(now: number): OpenSegment | undefined {
    if (now < this.#retryAt) return undefined;
    const { layout, name, host, writerId, period, timeZone } = this.#options;
    const seq = this.#seq++;
    const fileName = formatSegmentName({ name, start: now, host, writerId, seq });
    let segment: OpenSegment;
    try {
      segment = new OpenSegment(this.#io, layout.active, fileName, now, (unwritten) =>
        this.#recover(unwritten),
      );
    } catch (error) {
      this.#retryAt = now + this.#options.retryDelay;
      this.#report(error as NodeJS.ErrnoException, 'open', fileName);
      return undefined;
    }
    this.#current = segment;
    this.#boundary = nextBoundary(now, period, timeZone);
    this.#armPeriodTimer(now);
    // Lines held after a disk error go first, so the order is kept.
    for (const text of this.#takeCarry()) segment.append(text, Buffer.byteLength(text));
    return segment;
  }

  /** A segment's write failed: keep its lines for the next segment. */
  #recover(unwritten: UnwrittenData): void {
    this.#report(unwritten.error, 'write', this.#current?.name ?? '');
    this.#retryAt = this.#now() + this.#options.retryDelay;
    this.#carry = [...unwritten.chunks, ...this.#carry];
    this.#carryBytes += unwritten.bytes;
    this.#trimCarry();
  }

  #hold(text: string, bytes: number): void {
    this.#carry.push(text);
    this.#carryBytes += bytes;
    this.#trimCarry();
  }

  /** Held lines are bounded like the queue: the newest that do not fit are dropped. */
  #trimCarry(): void {
    const dropped: string[] = [];
    while (this.#carryBytes > this.#options.bufferBytes && this.#carry.length > 1) {
      const text = this.#carry.pop() as string;
      this.#carryBytes -= Buffer.byteLength(text);
      dropped.push(text);
    }
    if (dropped.length > 0) this.#drop(dropped, 'disk-error');
  }

  #takeCarry(): string[] {
    const carried = this.#carry;
    this.#carry = [];
    this.#carryBytes = 0;
    return carried;
  }

  #drop(texts: readonly string[], reason: DroppedLines['reason']): void {
    let lines = 0;
    let bytes = 0;
    for (const text of texts) {
      bytes += Buffer.byteLength(text);
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1))
        lines++;
    }
    this.emit('dropped', { lines, bytes, reason });
  }

  #scheduleWrite(): void {
    if (this.#writeScheduled) return;
    this.#writeScheduled = true;
    // One write per turn of the event loop batches the lines logged in it.
    setImmediate(() => {
      this.#writeScheduled = false;
      this.#current?.writeQueued();
    }).unref();
  }

  #sealCurrent(): void {
    const segment = this.#current;
    this.#current = undefined;
    if (segment === undefined) return;
    // Everything of this segment reaches the disk before any line of the next
    // one: a crash must never keep later lines and lose earlier ones.
    segment.writeAllSync();
    const target = this.#options.layout[this.#options.sealInto];
    this.#sealingSegments.add(segment);
    const sealing = this.#sealAsync(segment, target).finally(() => {
      this.#sealing.delete(sealing);
      this.#sealingSegments.delete(segment);
    });
    this.#sealing.add(sealing);
  }

  async #sealAsync(segment: OpenSegment, target: string): Promise<void> {
    try {
      const sealed = await segment.seal(target);
      if (sealed !== undefined) await fsyncDirectory(target);
      await fsyncDirectory(this.#options.layout.active);
      if (sealed !== undefined) this.emit('sealed', sealed);
    } catch (error) {
      this.#report(error as NodeJS.ErrnoException, 'seal', segment.name);
    }
  }

  #armPeriodTimer(now: number): void {
    clearTimeout(this.#periodTimer);
    // A quiet stream still seals at the boundary, so its lines are not held back.
    this.#periodTimer = setTimeout(
      () => {
        if (this.#current === undefined) return;
        // Timers run on a monotonic clock and may fire a millisecond before
        // Date.now() reaches the boundary: wait for the rest, or the segment
        // would stay open until the next write.
        const later = this.#now();
        if (later >= this.#boundary) this.#sealCurrent();
        else this.#armPeriodTimer(later);
      },
      Math.max(0, this.#boundary - now),
    ).unref();
  }

  #report(
    error: NodeJS.ErrnoException,
    action: SpoolWriteError['action'],
    file: string,
  ): void {
    const failure = new SpoolWriteError(action, file, error);
    if (this.listenerCount('error') > 0) this.emit('error', failure);
  }

  /**
   * Process exit: everything taken goes to disk and every segment is sealed,
   * including those whose asynchronous seal had not finished. What fails stays
   * in active/, where the next start seals it (this writer is dead by then).
   */
  #exitSync(): void {
    const segments = [...this.#sealingSegments];
    if (this.#current !== undefined) segments.push(this.#current);
    this.#current = undefined;
    const target = this.#options.layout[this.#options.sealInto];
    for (const segment of segments) {
      try {
        segment.sealSync(target);
      } catch (error) {
        this.#report(error as NodeJS.ErrnoException, 'seal', segment.name);
      }
    }
    try {
      fsyncDirectorySync(target);
      fsyncDirectorySync(this.#options.layout.active);
    } catch (error) {
      this.#report(error as NodeJS.ErrnoException, 'seal', '');
    }
  }
}

/**
 * The end (just after a `\n`) of the longest run of whole lines of `text`
 * that fits in `room` bytes, or -1 when not even the first line fits.
 */
function lastLineEndWithin(text: string, room: number): number {
  // A character is at least one byte: no cut beyond `room` characters fits.
  let end = text.lastIndexOf('\n', Math.min(room, text.length) - 1);
  while (end !== -1 && Buffer.byteLength(text.slice(0, end + 1)) > room) {
    end = text.lastIndexOf('\n', end - 1);
  }
  return end === -1 ? -1 : end + 1;
}
