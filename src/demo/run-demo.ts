import { join } from 'node:path';
import { FlushError } from '../errors.js';
import { WebHdfsClient } from '../hdfs/webhdfs-client.js';
import type { HdfsPinoOptions } from '../pino.js';
import { createShipper } from '../shipper.js';
import { openPinoStream, openWinstonStream, type DemoStream } from './demo-loggers.js';
import { driveTraffic } from './demo-traffic.js';
import { startDevHdfsThread } from './dev-hdfs-thread.js';
import { formatVerdict } from './demo-verdict.js';
import { auditLines, isExactlyOnce } from './line-audit.js';
import type { DemoLoggers } from './load-loggers.js';
import { formatCount, formatStreamTable } from './progress-format.js';
import { ProgressReporter, type ProgressOutput } from './progress-reporter.js';
import { listPublished, readPublished, renderTree } from './published-tree.js';

const TITLE = 'hdfs-log-transport demo: winston and pino ship to a dev WebHDFS server';
/** The HDFS directory the demo publishes under. */
const BASE = '/demo';
/** Short enough to see several segments sealed and published in 20 s. */
const ROTATE = { every: '5s', size: '64KiB' } as const;
const UPLOAD = { interval: '2s', onClose: true, closeTimeout: '10s' } as const;

export interface DemoSettings {
  /** Holds `hdfs/` (the dev server's root) and the spools. */
  readonly dir: string;
  readonly seconds: number;
  /** Lines a second, per logger. */
  readonly rate: number;
  readonly output: ProgressOutput;
  /** Ends the logging early; the demo still closes and checks. */
  readonly signal?: AbortSignal;
}

/**
 * Runs the demo from start to verdict. Resolves with true only when every
 * line logged was found on HDFS exactly once and nothing hidden was left.
 */
export async function runDemo(loggers: DemoLoggers, settings: DemoSettings) {
  const { dir, output } = settings;
  const server = await startDevHdfsThread(join(dir, 'hdfs'));
  const client = new WebHdfsClient({ namenodes: server.url });
  try {
    const host = new URL(server.url).host;
    const destination = `webhdfs://${host}${BASE}/{name}/dt={yyyy-MM-dd}/hour={HH}`;
    // One spool per logger: each has its own uploader, so every segment is
    // counted on the logger that wrote it. A shared spool would work too
    // (the uploaders elect one, which publishes for both), but only the
    // elected one would report uploads.
    const optionsOf = (name: string): HdfsPinoOptions => ({
      destination,
      spoolDir: join(dir, `spool-${name}`),
      name,
      rotate: ROTATE,
      upload: UPLOAD,
    });
    output.write(header(settings, server.url, destination));

    const streams = [
      openWinstonStream(loggers, optionsOf('winston')),
      openPinoStream(loggers, optionsOf('pino')),
    ];
    const reporter = new ProgressReporter(
      output,
      streams.map((stream) => stream.progress),
    );
    reporter.start();
    const closed = await logAndClose(streams, settings, reporter);
    reporter.enter('flushing');
    const leftovers = await publishLeftovers(streams, optionsOf, reporter);
    // Stopped only now: the events of the pino target's close may arrive
    // after its 'finish', and the last line should count them.
    reporter.stop();
    output.write(
      leftovers.published === 0
        ? 'Final flush: nothing was left in the spools.\n'
        : `Final flush: published ${leftovers.published} segment(s) close had left.\n`,
    );

    const entries = await listPublished(client, BASE);
    const files = await readPublished(client, entries);
    const logged = new Map(
      streams.map(({ progress }) => [progress.name, progress.counts.logged]),
    );
    const audit = auditLines(
      logged,
      files.map((file) => ({ ...file, stream: file.path.split('/')[2] ?? '' })),
    );
    output.write(`\nPublished on HDFS (${server.url}):\n`);
    output.write(`${renderTree(BASE, entries, audit.lineCounts)}\n\n`);
    const counts = streams.map((stream) => stream.progress.counts);
    output.write(`${formatStreamTable(counts)}\n\n`);

    const hidden = entries.filter((entry) => entry.hidden);
    const passed =
      closed && leftovers.complete && hidden.length === 0 && isExactlyOnce(audit);
    output.write(formatVerdict({ passed, audit, hidden, streams: counts }));
    return passed;
  } finally {
    await client.close();
    await server.close();
  }
}

function header(settings: DemoSettings, url: string, destination: string): string {
  const { dir, seconds, rate } = settings;
  const rotate = `rotate: { every: '${ROTATE.every}', size: '${ROTATE.size}' }`;
  const upload = `upload: { interval: '${UPLOAD.interval}', onClose: true }`;
  return [
    `${TITLE} for ${seconds} s`,
    `  NameNode     ${url}, serving ${join(dir, 'hdfs')}`,
    `  destination  ${destination}`,
    `  spools       ${join(dir, 'spool-{name}')}`,
    `  options      ${rotate}, ${upload}`,
    `  traffic      ${formatCount(rate)} lines a second through each logger`,
    '',
  ].join('\n');
}

/**
 * Logs for the time asked, then closes both loggers as their documentation
 * says, winston first: pino's `end()` blocks this thread, which would hold
 * up winston's close too. Resolves false if a close failed.
 */
async function logAndClose(
  streams: readonly DemoStream[],
  { rate, seconds, signal }: DemoSettings,
  reporter: ProgressReporter,
): Promise<boolean> {
  const durationMs = seconds * 1000;
  const started = performance.now();
  await driveTraffic(streams, { rate, durationMs, ...(signal ? { signal } : {}) });
  if (signal?.aborted === true) {
    const after = ((performance.now() - started) / 1000).toFixed(1);
    reporter.note(`Interrupted: logging stopped after ${after} s; closing and checking.`);
  }

  reporter.enter('closing');
  let closed = true;
  for (const stream of streams) {
    try {
      await stream.close();
    } catch (error) {
      closed = false;
      reporter.note(`${stream.progress.name}: close failed: ${messageOf(error)}`);
    }
  }
  return closed;
}

/**
 * Publishes what the loggers' close could not (its last attempt is bounded
 * by `upload.closeTimeout`) through a new shipper on each spool, as the
 * application's next start would. `complete` is false if something stays.
 */
async function publishLeftovers(
  streams: readonly DemoStream[],
  optionsOf: (name: string) => HdfsPinoOptions,
  reporter: ProgressReporter,
): Promise<{ complete: boolean; published: number }> {
  let published = 0;
  let complete = true;
  for (const { progress } of streams) {
    const shipper = createShipper(optionsOf(progress.name));
    progress.follow(shipper, 'error');
    shipper.on('uploaded', () => (published += 1));
    try {
      await shipper.flush();
    } catch (error) {
      if (!(error instanceof FlushError)) throw error;
      complete = false;
      reporter.note(`${progress.name}: final flush: ${error.message}`);
    } finally {
      await shipper.close();
    }
  }
  return { complete, published };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
