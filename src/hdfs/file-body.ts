import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';

/** Bytes read from the file at a time. */
const CHUNK_BYTES = 256 * 1024;
/** Free buffers kept between uploads: two uploads' worth, twice over. */
const POOL_SIZE = 8;

/**
 * Buffers that finished uploads left, for the next ones on this thread (2 MiB
 * at most, kept). A fresh buffer for every chunk, as `fs.createReadStream`
 * allocates, costs page faults and a zero-fill in the kernel, and V8 counts it
 * as external memory: publishing 1 MiB segments, the uploader ran a full
 * garbage collection every ~14 MB sent, and the two came to a fifth of its CPU
 * time.
 */
const pool: Buffer[] = [];

const WRITTEN = Promise.resolve(true);

/** One of a body's two buffers, and the write that holds it, if any. */
interface Chunk {
  readonly buffer: Buffer;
  /** Resolves `true` once the socket has taken the bytes, `false` if the write failed. */
  written: Promise<boolean>;
  /** True while a write may still read the buffer: it is not reused meanwhile. */
  held: boolean;
}

/**
 * A local file sent as a request body, exactly the `length` bytes it had
 * when opened, through two buffers: one is read into while the other is
 * being written, and a buffer is read into again only once the socket has
 * taken its last chunk, so nothing is overwritten while still being sent.
 */
export class FileBody {
  readonly length: number;
  readonly #path: string;
  #stopped = false;
  #wake: () => void = () => undefined;
  readonly #stopping = new Promise<false>((resolve) => {
    this.#wake = () => resolve(false);
  });

  private constructor(path: string, length: number) {
    this.#path = path;
    this.length = length;
  }

  /** Takes the file's size now: that is what will be sent. */
  static async open(path: string): Promise<FileBody> {
    const { size } = await stat(path);
    return new FileBody(path, size);
  }

  /**
   * Writes the file into `target`, then ends it. `onError` gets a failure
   * to read the file; a failed write only stops the sending, since the
   * target reports it.
   */
  sendTo(target: Writable, onError: (error: Error) => void): void {
    this.#send(target).catch((error: unknown) => {
      if (!this.#stopped) onError(error as Error);
    });
  }

  /** Stops sending (an early answer, a failure, an abort); the file is closed. */
  stop(): void {
    this.#stopped = true;
    this.#wake();
  }

  async #send(target: Writable): Promise<void> {
    const chunks: Chunk[] = [0, 1].map(() => ({
      buffer: pool.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES),
      written: WRITTEN,
      held: false,
    }));
    try {
      const handle = await open(this.#path, 'r');
      let copied = false;
      try {
        copied = await this.#copy(handle, target, chunks);
        // Ended as soon as the last byte is handed over: the server may answer
        // once it has that byte, and the answer must find the request ended.
        if (copied) target.end();
      } finally {
        await handle.close();
      }
      // Only so that the buffers go back to the pool once the socket took them.
      if (copied) {
        const all = Promise.all(chunks.map((chunk) => chunk.written));
        await this.#unlessStopped(all.then((done) => done.every(Boolean)));
      }
    } finally {
      for (const chunk of chunks) {
        if (!chunk.held && pool.length < POOL_SIZE) pool.push(chunk.buffer);
      }
    }
  }

  /** Reads and writes every chunk; `false` when stopped or a write failed. */
  async #copy(handle: FileHandle, target: Writable, chunks: Chunk[]): Promise<boolean> {
    let position = 0;
    for (let index = 0; position < this.length; index ^= 1) {
      const chunk = chunks[index] as Chunk;
      if (!(await this.#unlessStopped(chunk.written))) return false;
      const wanted = Math.min(chunk.buffer.length, this.length - position);
      const { bytesRead } = await handle.read(chunk.buffer, 0, wanted, position);
      if (this.#stopped) return false;
      if (bytesRead === 0) {
        throw new Error(`${this.#path} shrank to ${position} of ${this.length} bytes`);
      }
      position += bytesRead;
      chunk.held = true;
      chunk.written = write(target, chunk.buffer.subarray(0, bytesRead)).then((done) => {
        // A failed write may have left the bytes anywhere: the buffer is not reused.
        chunk.held = !done;
        return done;
      });
    }
    return true;
  }

  /** What `written` resolves to, or `false` as soon as the body is stopped. */
  async #unlessStopped(written: Promise<boolean>): Promise<boolean> {
    return (await Promise.race([written, this.#stopping])) && !this.#stopped;
  }
}

function write(target: Writable, bytes: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    target.write(bytes, (error) => resolve(error === undefined || error === null));
  });
}
