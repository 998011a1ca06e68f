/**
 * What `flush` shows as it publishes. DESIGN section 6 prefers a library for
 * progress bars; here one (cli-progress, progress) would replace only
 * {@link formatFlushProgress}, a dozen lines. What it would not do stays
 * anyway: one plain line per segment in a file or a pipe, notes kept above
 * the bar, and redraws paced by an injected clock so that tests need no
 * terminal and no sleeping. A dependency for so little is not worth its
 * weight.
 */
import { formatSize } from '../size.js';
import type { UploadedEvent } from '../upload/uploader-events.js';

/** Where progress goes: a terminal, a file or a pipe. */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** What a flush has done so far, and what it set out to do. */
export interface FlushCounts {
  readonly published: number;
  readonly totalSegments: number;
  readonly publishedBytes: number;
  readonly totalBytes: number;
  readonly elapsedMs: number;
}

const BAR_WIDTH = 20;
/** How often the bar is redrawn at most, and at least (the rate moves on its own). */
const REDRAW_MS = 100;
const REFRESH_MS = 500;
/** Erase from the cursor to the end of the line (ECMA-48 EL). */
const CLEAR_LINE = '\r\u001b[K';

/**
 * The progress line, cut to `width` columns so that it never wraps (a
 * wrapped line cannot be redrawn with `\r`):
 * `[######--------------]  3/10 segments  1.2 MiB/4.0 MiB  850.0 KiB/s`.
 * The bar counts segments: with gzip, bytes published are fewer than bytes
 * waiting, and the bar must still end full.
 */
export function formatFlushProgress(counts: FlushCounts, width: number): string {
  const { published, totalSegments, publishedBytes, totalBytes, elapsedMs } = counts;
  const done = totalSegments === 0 ? 1 : Math.min(1, published / totalSegments);
  const filled = Math.round(done * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const rate = elapsedMs > 0 ? (publishedBytes * 1000) / elapsedMs : 0;
  const line = [
    bar,
    `${published}/${totalSegments} segments`,
    `${formatSize(publishedBytes)}/${formatSize(totalBytes)}`,
    `${formatSize(rate)}/s`,
  ].join('  ');
  return line.slice(0, Math.max(0, width - 1));
}

/**
 * Shows a flush as it goes: on a terminal, one line redrawn in place; in a
 * file or a pipe, one line per published segment, which a log keeps well.
 * Notes (retries, errors) go to `errors`, above the bar.
 */
export class FlushProgress {
  readonly #output: ProgressOutput;
  readonly #errors: ProgressOutput;
  readonly #now: () => number;
  readonly #started: number;
  readonly #tty: boolean;
  #totalSegments: number;
  #totalBytes: number;
  #published = 0;
  #publishedBytes = 0;
  #drawnAt = -Infinity;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    output: ProgressOutput,
    errors: ProgressOutput,
    total: { readonly segments: number; readonly bytes: number },
    now: () => number = () => performance.now(),
  ) {
    this.#output = output;
    this.#errors = errors;
    this.#now = now;
    this.#started = now();
    this.#tty = output.isTTY === true;
    this.#totalSegments = total.segments;
    this.#totalBytes = total.bytes;
    if (this.#tty) {
      this.#timer = setInterval(() => this.#draw(), REFRESH_MS).unref();
      this.#draw();
    }
  }

  /** A segment a dead writer left open joins the backlog. */
  recovered(bytes: number): void {
    this.#totalSegments += 1;
    this.#totalBytes += bytes;
    this.#drawSoon();
  }

  uploaded(event: UploadedEvent): void {
    this.#published += 1;
    this.#publishedBytes += event.bytes;
    if (this.#tty) {
      this.#drawSoon();
      return;
    }
    const size = formatSize(event.bytes);
    this.#output.write(`published ${event.segment} → ${event.path} (${size})\n`);
  }

  /** A line about something that went wrong, kept above the bar. */
  note(text: string): void {
    if (this.#tty) this.#output.write(CLEAR_LINE);
    this.#errors.write(`${text}\n`);
    if (this.#tty) this.#draw();
  }

  /** Stops redrawing; the last state of the bar stays on its own line. */
  finish(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (!this.#tty) return;
    this.#draw();
    this.#output.write('\n');
  }

  #drawSoon(): void {
    if (this.#tty && this.#now() - this.#drawnAt >= REDRAW_MS) this.#draw();
  }

  #draw(): void {
    this.#drawnAt = this.#now();
    const counts: FlushCounts = {
      published: this.#published,
      totalSegments: Math.max(this.#totalSegments, this.#published),
      publishedBytes: this.#publishedBytes,
      totalBytes: Math.max(this.#totalBytes, this.#publishedBytes),
      elapsedMs: this.#drawnAt - this.#started,
    };
    // A terminal whose size is unknown (a pseudo-terminal) says 0 columns.
    const columns = this.#output.columns ?? 0;
    const line = formatFlushProgress(counts, columns > 0 ? columns : 80);
    this.#output.write(`${CLEAR_LINE}${line}`);
  }
}
