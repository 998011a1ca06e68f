/**
 * A counting gate around the part of a publication that moves bytes (the
 * CREATE and its body). The steps after it (journal, RENAME, length check)
 * are a few small requests each; a segment in those steps gives its slot to
 * the next one, so the link is not idle while they run and the number of
 * bodies in flight still never exceeds `upload.concurrency`.
 */
export class TransferSlots {
  readonly #size: number;
  #busy = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`transfer slots: a positive integer, not ${String(size)}`);
    }
    this.#size = size;
  }

  /** Slots in use now. */
  get busy(): number {
    return this.#busy;
  }

  /** Runs `task` once a slot is free, and frees it when `task` settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#busy >= this.#size) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#busy += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter, so `busy` stays as it is.
      if (next === undefined) this.#busy -= 1;
      else next();
    }
  }
}
