import { join } from 'node:path';
import { promisify } from 'node:util';
import { failpoint } from '../failpoints.js';
import type { SegmentIo } from './segment-io.js';

/** What is known of a segment once it is sealed. */
export interface SealedSegment {
  /** File name, e.g. `app.20261203T151900Z.web1.k3v9x2qa.000042.log`. */
  readonly name: string;
  /** Where it lies now (in `ready/`, or `sealed/` when it waits for gzip). */
  readonly path: string;
  readonly bytes: number;
  /** When it was opened (epoch ms): the time its destination template uses. */
  readonly start: number;
}

/** Data the segment took but could not write: the writer puts it in a new segment. */
export interface UnwrittenData {
  readonly chunks: string[];
  readonly bytes: number;
  readonly error: NodeJS.ErrnoException;
}

interface InFlight {
  readonly buffer: Buffer;
  readonly position: number;
}

/**
 * One segment file being written: lines are queued in memory and written at
 * positions reserved in order, by one asynchronous write at a time.
 *
 * Positional writes are what make the synchronous path safe: when the queue
 * reaches its cap, or the process exits, everything not yet known to be on
 * disk (the write in flight included) is written again synchronously at its
 * own position. The bytes are identical, so the asynchronous write finishing
 * later changes nothing, and the file never has a gap before data that follows
 * it, whatever moment the process dies.
 */
export class OpenSegment {
  readonly name: string;
  readonly path: string;
  readonly start: number;
  readonly #io: SegmentIo;
  readonly #fd: number;
  readonly #onError: (unwritten: UnwrittenData) => void;
  #pending: string[] = [];
  #pendingBytes = 0;
  #inFlight: InFlight | undefined;
  /** Bytes given a position in the file. */
  #reserved = 0;
  /** Bytes known to be written, from the start of the file without a gap. */
  #confirmed = 0;
  /** Asynchronous writes the kernel may still perform, stale ones included. */
  #outstanding = 0;
  #failed = false;
  #closed = false;
  #idle: Array<() => void> = [];

  constructor(
    io: SegmentIo,
    directory: string,
    name: string,
    start: number,
    onError: (unwritten: UnwrittenData) => void,
  ) {
    this.#io = io;
    this.name = name;
    this.path = join(directory, name);
    this.start = start;
    this.#onError = onError;
    // 'wx': a segment name is never reused; failing here beats appending to another's file.
    this.#fd = io.openSync(this.path, 'wx', 0o644);
  }

  /** Bytes this segment holds, written or queued. */
  get bytes(): number {
    return this.#reserved + this.#pendingBytes;
  }

  /** Bytes queued in memory, not yet handed to the disk. */
  get queuedBytes(): number {
    return this.#pendingBytes;
  }

  /** False once a write failed; the writer then moves on to a new segment. */
  get healthy(): boolean {
    return !this.#failed;
  }

  /** Queues text (whole lines); the caller decides when it is written. */
  append(text: string, bytes: number): void {
    this.#pending.push(text);
    this.#pendingBytes += bytes;
  }

  /** Starts an asynchronous write of the queue, unless one is in flight. */
  writeQueued(): void {
    if (this.#inFlight !== undefined || this.#pendingBytes === 0 || this.#failed) return;
    const buffer = this.#takePending();
    this.#inFlight = { buffer, position: this.#reserved - buffer.length };
    this.#writeAsync(this.#inFlight, 0);
  }

  /**
   * Writes everything not yet known to be on disk, now, in order. Used at the
   * queue's cap and at process exit. Returns false if the disk refused it.
   */
  writeAllSync(): boolean {
    if (this.#failed) return false;
    // Closed by a seal: everything was drained before, nothing is left to write.
    if (this.#closed) return true;
    const inFlight = this.#inFlight;
    const queued = this.#pendingBytes > 0 ? this.#takePending() : undefined;
    try {
      if (inFlight) this.#writeFully(inFlight.buffer, inFlight.position);
      failpoint('mid-write');
      if (queued) this.#writeFully(queued, this.#reserved - queued.length);
      this.#inFlight = undefined;
      this.#confirmed = this.#reserved;
      if (this.#outstanding === 0) this.#wakeIdle();
      return true;
    } catch (error) {
      const chunks = [inFlight, queued ? { buffer: queued } : undefined]
        .filter((part) => part !== undefined)
        .map((part) => part.buffer.toString());
      this.#fail(chunks, error as NodeJS.ErrnoException);
      return false;
    }
  }

  /** Resolves once nothing is queued and no write is in flight, stale ones included. */
  async drain(): Promise<void> {
    this.writeQueued();
    if (this.#inFlight === undefined && this.#outstanding === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
    return this.drain();
  }

  /**
   * Seals: drains, fsyncs, closes and renames into `target` (the caller then
   * fsyncs the directories). A failed segment is cut to the bytes known to be
   * written first, so it ends with a complete line. One that holds nothing
   * (its first write failed; its lines went to the next segment) is deleted
   * instead, and `undefined` returned: an empty segment is never sealed.
   */
  async seal(target: string): Promise<SealedSegment | undefined> {
    await this.drain();
    if (this.#confirmed === 0) {
      this.#closed = true;
      await promisify(this.#io.close)(this.#fd);
      await promisify(this.#io.unlink)(this.path);
      return undefined;
    }
    if (this.#failed) this.#io.ftruncateSync(this.#fd, this.#confirmed);
    await promisify(this.#io.fsync)(this.#fd);
    failpoint('mid-seal');
    this.#closed = true;
    await promisify(this.#io.close)(this.#fd);
    const path = join(target, this.name);
    await promisify(this.#io.rename)(this.path, path);
    return { name: this.name, path, bytes: this.#confirmed, start: this.start };
  }

  /**
   * As {@link seal}, synchronously: for process exit, when the asynchronous
   * seal may be anywhere on its way (its continuations will never run). A stale
   * asynchronous write may still be in the kernel's hands; it writes bytes that
   * are already there, but its file descriptor must stay open for it.
   */
  sealSync(target: string): SealedSegment | undefined {
    const path = join(target, this.name);
    if (this.#closed) {
      // The asynchronous seal closed the file; only its rename (or unlink) may be missing.
      return this.#finishSync(path);
    }
    this.writeAllSync();
    if (this.#confirmed > 0) {
      if (this.#failed && this.#outstanding === 0) {
        this.#io.ftruncateSync(this.#fd, this.#confirmed);
      }
      this.#io.fsyncSync(this.#fd);
    }
    this.#closed = true;
    if (this.#outstanding === 0) this.#io.closeSync(this.#fd);
    return this.#finishSync(path);
  }

  /** Renames the closed file into place, or deletes it when it holds nothing. */
  #finishSync(path: string): SealedSegment | undefined {
    const empty = this.#confirmed === 0;
    try {
      if (empty) this.#io.unlinkSync(this.path);
      else this.#io.renameSync(this.path, path);
    } catch (error) {
      // The asynchronous seal's rename (or unlink) got there first.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (empty) return undefined;
    return { name: this.name, path, bytes: this.#confirmed, start: this.start };
  }

  #takePending(): Buffer {
    // Encoded straight into one buffer: joining first would copy every byte twice.
    const room = Buffer.allocUnsafe(this.#pendingBytes);
    let offset = 0;
    for (const text of this.#pending) offset += room.write(text, offset);
    // Counted with Buffer.byteLength, so it is full; never hand on bytes not written.
    const buffer = room.subarray(0, offset);
    this.#reserved += buffer.length;
    this.#pending = [];
    this.#pendingBytes = 0;
    return buffer;
  }

  #writeAsync(flight: InFlight, done: number): void {
    const { buffer, position } = flight;
    this.#outstanding += 1;
    this.#io.write(
      this.#fd,
      buffer,
      done,
      buffer.length - done,
      position + done,
      (error, n) => {
        this.#outstanding -= 1;
        if (this.#inFlight !== flight) {
          // Already written again synchronously; only its completion mattered.
          if (this.#outstanding === 0) this.#wakeIdle();
          return;
        }
        if (error) {
          this.#inFlight = undefined;
          this.#fail([buffer.toString()], error);
          this.#wakeIdle();
          return;
        }
        if (done + n < buffer.length) {
          this.#writeAsync(flight, done + n);
          return;
        }
        this.#inFlight = undefined;
        this.#confirmed = Math.max(this.#confirmed, position + buffer.length);
        failpoint('mid-write');
        if (this.#pendingBytes > 0 && !this.#closed) {
          // The next batch; its completion wakes the waiters.
          this.writeQueued();
          return;
        }
        if (this.#outstanding === 0) this.#wakeIdle();
      },
    );
  }

  #writeFully(buffer: Buffer, position: number): void {
    let done = 0;
    while (done < buffer.length) {
      done += this.#io.writeSync(
        this.#fd,
        buffer,
        done,
        buffer.length - done,
        position + done,
      );
    }
  }

  /** Hands back every byte not known to be written, and stops using the file. */
  #fail(unwrittenHead: string[], error: NodeJS.ErrnoException): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#inFlight = undefined;
    const chunks = [...unwrittenHead, ...this.#pending];
    const bytes = chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk), 0);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#onError({ chunks, bytes, error });
  }

  #wakeIdle(): void {
    const waiters = this.#idle;
    this.#idle = [];
    for (const wake of waiters) wake();
  }
}
