import { formatDuration } from '../duration.js';
import { InvalidOptionError } from '../errors.js';
import { formatSize } from '../size.js';
import {
  SpoolPublisher,
  type SpoolPublication,
  type SpoolPublisherOptions,
} from '../upload/spool-publisher.js';
import {
  parseCountFlag,
  parseDurationFlag,
  parseFlags,
  readJsonFlag,
  requireFlag,
  toUsageError,
} from './command-flags.js';
import { FlushProgress } from './flush-progress.js';
import { listSegments, openSpool, tally } from './inspect-spool.js';
import type { Command } from './main.js';

const DEFAULT_RETRIES = 3;
/** Exit code of a run stopped by Ctrl-C, as shells report 128 + SIGINT. */
const INTERRUPTED = 130;

const help = `Usage: hdfs-log-transport flush --spool DIR --destination URL [options]

Publishes what waits in a spool now, oldest first, as the applications'
uploader would at its next run: segments left open by writers that died are
sealed first. When an application's uploader holds the spool, it is asked to
publish instead. Nothing is ever dropped, whatever the spool's size.

Shows a progress bar (segments, bytes, rate) on a terminal, and one line per
published segment otherwise. Exit code 0 when nothing is left waiting; 1
with the reason otherwise; 2 for a mistake on the command line.

Options:
  --spool DIR          the spool (the applications' spoolDir)
  --destination URL    where to publish, as the destination option, e.g.
                       webhdfs://nn1:9870/logs/{name}/dt={yyyy-MM-dd}
  --namenode URL       another NameNode of the cluster (HA); repeatable
  --user NAME          user.name, on clusters without Kerberos
  --time-zone ZONE     zone of the destination's dates (default: UTC)
  --webhdfs FILE       a JSON file of the webhdfs option's settings, for
                       secure clusters and gateways: tls, kerberos,
                       delegationToken, gateway, basePath, timeouts…
  --gzip               gzip segments before publishing them (.log.gz); on by
                       itself when segments wait for it in sealed/
  --retries N          attempts per segment, 1 s apart and more
                       (default: ${DEFAULT_RETRIES})
  --timeout D          stop after this long, e.g. 30s or 5m (default: none);
                       what is in flight is aborted, never left half-visible
  -h, --help           show this help

Examples:
  hdfs-log-transport flush --spool /var/spool/app \\
    --destination 'webhdfs://nn1:9870/logs/{name}/dt={yyyy-MM-dd}' --user etl
  hdfs-log-transport flush --spool /var/spool/app --timeout 5m \\
    --destination 'webhdfs://nn1:9870/logs/{name}' --namenode http://nn2:9870
`;

/** The flag that sets each option, for error messages. */
const FLAG_OF: Readonly<Record<string, string>> = {
  destination: '--destination',
  namenodes: '--namenode',
  user: '--user',
  'rotate.timeZone': '--time-zone',
  spoolDir: '--spool',
};

export const flushCommand: Command = {
  summary: "publish a spool's backlog now, with progress",
  help,
  async run(args) {
    const values = parseFlags(args, {
      spool: { type: 'string' },
      destination: { type: 'string' },
      namenode: { type: 'string', multiple: true },
      user: { type: 'string' },
      'time-zone': { type: 'string' },
      webhdfs: { type: 'string' },
      gzip: { type: 'boolean' },
      retries: { type: 'string' },
      timeout: { type: 'string' },
    });
    const spool = requireFlag(values.spool, '--spool');
    const destination = requireFlag(values.destination, '--destination');
    const retries =
      values.retries === undefined
        ? DEFAULT_RETRIES
        : parseCountFlag(values.retries, '--retries', 1);
    const timeoutMs =
      values.timeout === undefined
        ? undefined
        : parseDurationFlag(values.timeout, '--timeout');
    const webhdfs =
      values.webhdfs === undefined ? {} : await readJsonFlag(values.webhdfs, '--webhdfs');
    const publisher = createPublisher(
      {
        spoolDir: spool,
        webhdfs,
        destination,
        namenodes: values.namenode ?? [],
        ...(values.user === undefined ? {} : { user: values.user }),
        rotate: { timeZone: values['time-zone'] ?? 'UTC' },
        compress: values.gzip === true ? 'gzip' : false,
        upload: { retries, retryDelay: '1s', maxRetryDelay: '10s' },
      },
      values.webhdfs,
    );
    // Listening before the first line: a caller may signal as soon as it reads
    // it, and a signal with no listener yet kills the process outright.
    const interrupt = listenForInterrupt();
    try {
      return await flush(publisher, spool, destination, interrupt, timeoutMs);
    } finally {
      interrupt.dispose();
    }
  },
};

/** Lists the backlog, publishes it with progress, and reports. */
async function flush(
  publisher: SpoolPublisher,
  spool: string,
  destination: string,
  interrupt: Interrupt,
  timeoutMs: number | undefined,
): Promise<number> {
  const layout = await openSpool(spool);
  const ready = tally(await listSegments(layout.ready));
  const sealed = tally(await listSegments(layout.sealed));

  const total = {
    segments: ready.segments + sealed.segments,
    bytes: ready.bytes + sealed.bytes,
  };
  process.stdout.write(
    `Publishing ${total.segments} segment(s) (${formatSize(total.bytes)}) ` +
      `from ${layout.root} to ${destination}\n`,
  );
  const progress = new FlushProgress(process.stdout, process.stderr, total);
  follow(publisher, progress);
  const outcome = await publishUntilStopped(publisher, interrupt, timeoutMs);
  progress.finish();
  return report(outcome.publication, outcome.stoppedBy, timeoutMs);
}

/** @param webhdfsFile - the file of `--webhdfs`: options not set by a flag came from it */
function createPublisher(
  options: SpoolPublisherOptions,
  webhdfsFile: string | undefined,
) {
  try {
    return new SpoolPublisher(options);
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    throw toUsageError(
      error,
      (option) =>
        FLAG_OF[option] ??
        (webhdfsFile === undefined ? option : `--webhdfs ${webhdfsFile}: ${option}`),
    );
  }
}

function follow(publisher: SpoolPublisher, progress: FlushProgress): void {
  publisher.on('uploaded', (event) => progress.uploaded(event));
  publisher.on('recovered', (event) => progress.recovered(event.bytes));
  publisher.on('retry', ({ segment, attempt, delayMs, error }) =>
    progress.note(
      `retry ${segment} (attempt ${attempt} failed, next in ${formatDuration(delayMs)}): ` +
        oneLine(error.message),
    ),
  );
  publisher.on('error', ({ segment, error }) =>
    progress.note(`error ${segment ?? ''}: ${oneLine(error.message)}`),
  );
  publisher.on('ambiguous', ({ segment, path }) =>
    progress.note(`ambiguous ${segment}: renamed to ${path}, then moved away by someone`),
  );
}

/** What ended a run early, if anything. */
type StoppedBy = 'signal' | 'timeout' | undefined;

/** Ctrl-C or SIGTERM, heard from {@link listenForInterrupt} on. */
interface Interrupt {
  readonly controller: AbortController;
  dispose(): void;
}

/** Aborts on the first SIGINT or SIGTERM; a second one ends the process, as it normally would. */
function listenForInterrupt(): Interrupt {
  const controller = new AbortController();
  const onSignal = (): void => {
    controller.abort('signal');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    controller,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Runs the publisher until it ends, is interrupted, or `timeoutMs` passes. */
async function publishUntilStopped(
  publisher: SpoolPublisher,
  { controller }: Interrupt,
  timeoutMs: number | undefined,
) {
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => controller.abort('timeout'), timeoutMs).unref();
  try {
    const publication = await publisher.publish(controller.signal);
    const reason: unknown = controller.signal.reason;
    const stoppedBy: StoppedBy =
      reason === 'signal' ? 'signal' : reason === 'timeout' ? 'timeout' : undefined;
    return { publication, stoppedBy };
  } finally {
    clearTimeout(timer);
  }
}

function report(
  publication: SpoolPublication,
  stoppedBy: StoppedBy,
  timeoutMs: number | undefined,
): number {
  const { published, pendingSegments, failures } = publication;
  if (!publication.holdsSpool) {
    process.stdout.write(
      `The spool's own uploader (another process) published ${published} segment(s).\n`,
    );
  }
  if (publication.aborted) {
    const why =
      stoppedBy === 'timeout'
        ? `timed out after ${formatDuration(timeoutMs ?? 0)}`
        : 'stopped';
    fail(`${why}; ${pendingSegments} segment(s) still waiting`);
    // A run delegated to another process cannot be cancelled: its socket would
    // hold this process until that run ends. Nothing else is left to wait for.
    if (!publication.holdsSpool) setTimeout(() => process.exit(), 0).unref();
    return stoppedBy === 'signal' ? INTERRUPTED : 1;
  }
  if (failures.size === 0 && pendingSegments === 0) {
    process.stdout.write(`Published ${published} segment(s); nothing is left waiting.\n`);
    return 0;
  }
  const [first] = failures;
  const why =
    first === undefined
      ? 'sealed while the flush ran'
      : `${first[0]}: ${first[1].message}`;
  fail(`${pendingSegments} segment(s) still waiting: ${oneLine(why)}`);
  return 1;
}

function fail(message: string): void {
  process.stderr.write(`hdfs-log-transport flush: ${message}\n`);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
