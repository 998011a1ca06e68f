/**
 * The frame of every logging setup: parses the arguments, prepares the logger
 * (not timed), logs every record in one synchronous burst, waits for the
 * setup's own completion signal, and counts what reached the disk right
 * then, before the process exits (an exit would flush what a wrong signal
 * left behind). Prints one JSON line for the parent.
 * Usage: node <setup>.js <records> <dir>
 */
import type { LineCount } from '../lib/count-lines.js';

export interface Prepared {
  /** Logs record number `index`. */
  log(index: number): void;
  /** Resolves once every record is where the setup puts it. */
  finish(): Promise<void>;
  /** Counts the lines that reached the disk (or the sink). */
  count(): LineCount;
}

export interface SetupContext {
  readonly records: number;
  /** A fresh directory of this run. */
  readonly dir: string;
}

export interface RunSample {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly maxRssMiB: number;
  readonly lines: number;
  readonly bytes: number;
  readonly files: number;
  readonly cut: number;
}

// Loggers are created at application start, long before a burst: their
// workers (pino's thread, our uploader) have started by then.
const SETTLE_MS = 250;

/**
 * Runs one setup. `prepare` returns a reason instead when the setup cannot
 * run here (e.g. a front door not built yet).
 */
export async function runSetup(
  prepare: (context: SetupContext) => Promise<Prepared | string>,
): Promise<void> {
  const [recordsText = '', dir = ''] = process.argv.slice(2);
  const records = Number(recordsText);
  if (!Number.isSafeInteger(records) || records <= 0 || dir === '') {
    throw new Error('usage: node <setup>.js <records> <dir>');
  }
  const prepared = await prepare({ records, dir });
  if (typeof prepared === 'string') {
    print({ error: prepared });
    return;
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let index = 0; index < records; index++) prepared.log(index);
  await prepared.finish();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;

  const counted = prepared.count();
  const sample: RunSample = {
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    maxRssMiB,
    ...counted,
  };
  print(sample);
  // Workers and timers of some setups would keep the process a while longer.
  process.exit(0);
}

function print(value: object): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Resolves when `emitter` has emitted `event` `times` times (counting from now). */
export function countEvents(
  emitter: { on(event: string, listener: () => void): unknown },
  event: string,
  times: number,
): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    emitter.on(event, () => {
      seen += 1;
      if (seen === times) resolve();
    });
  });
}

/** Resolves on the first `event` of `emitter`; rejects on its 'error'. */
export function onceEvent(
  emitter: {
    once(event: string, listener: (error?: unknown) => void): unknown;
  },
  event: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    emitter.once(event, () => resolve());
    emitter.once('error', (error) => reject(error as Error));
  });
}
