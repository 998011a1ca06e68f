import type { StreamProgress } from './stream-progress.js';
import { formatProgressLine } from './progress-format.js';

/** How often the line is redrawn on a terminal. */
const TTY_REFRESH_MS = 250;
/** How often a line is printed when the output is a file or a pipe. */
const PLAIN_EVERY_MS = 5000;
/** Erase from the cursor to the end of the line (ECMA-48 EL). */
const CLEAR_TO_END = '\u001b[K';

/** Where progress goes: a terminal, a file or a pipe. */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Shows the demo's counters while it runs: on a terminal, one line redrawn
 * in place; elsewhere (CI logs, a pipe), a plain line every few seconds, so
 * that a log file does not fill with carriage returns.
 */
export class ProgressReporter {
  readonly #output: ProgressOutput;
  readonly #streams: readonly StreamProgress[];
  readonly #started = performance.now();
  #timer: NodeJS.Timeout | undefined;
  #drawn = false;
  #printedAt = -Infinity;
  #phase = 'logging';

  constructor(output: ProgressOutput, streams: readonly StreamProgress[]) {
    this.#output = output;
    this.#streams = streams;
  }

  start(): void {
    const tty = this.#output.isTTY === true;
    this.#timer = setInterval(
      () => (tty ? this.#redraw() : this.#printUnlessRecent()),
      tty ? TTY_REFRESH_MS : PLAIN_EVERY_MS,
    );
    this.#timer.unref();
    if (tty) this.#redraw();
  }

  /**
   * Moves on to another phase (`closing`, `flushing`), shown first on the
   * line. Without a terminal, the counters at the end of the phase that
   * ends are printed first.
   */
  enter(phase: string): void {
    if (this.#output.isTTY !== true) this.#print();
    this.#phase = phase;
  }

  /** Stops refreshing and leaves the last counters on a line of their own. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#output.isTTY === true) {
      this.#redraw();
      this.#output.write('\n');
      this.#drawn = false;
    } else {
      this.#print();
    }
  }

  /**
   * Writes a line of text above the progress line (on a terminal, the
   * progress line is drawn again below it at the next refresh).
   */
  note(text: string): void {
    if (this.#drawn) this.#output.write(`\r${CLEAR_TO_END}`);
    this.#drawn = false;
    this.#output.write(`${text}\n`);
  }

  #line(): string {
    const counts = this.#streams.map((stream) => stream.counts);
    return formatProgressLine(counts, this.#phase, performance.now() - this.#started);
  }

  #redraw(): void {
    // A line wider than the terminal wraps, and `\r` then returns to the
    // wrapped part only: cut it to the width (80 when the terminal does not
    // say, as a pseudo-terminal without a size answers 0).
    const columns = this.#output.columns ?? 0;
    const width = (columns > 0 ? columns : 80) - 1;
    this.#output.write(`\r${`  ${this.#line()}`.slice(0, width)}${CLEAR_TO_END}`);
    this.#drawn = true;
  }

  #print(): void {
    this.#output.write(`  ${this.#line()}\n`);
    this.#printedAt = performance.now();
  }

  /** A phase that just ended printed its line: the timer need not repeat it. */
  #printUnlessRecent(): void {
    if (performance.now() - this.#printedAt >= PLAIN_EVERY_MS / 2) this.#print();
  }
}
