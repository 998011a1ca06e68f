import { formatDuration } from '../duration.js';
import { formatSize } from '../size.js';
import type {
  CopyAmbiguousEvent,
  CopyFailure,
  CopyJobStatus,
  CopyUploadedEvent,
} from '../upload/copy-events.js';
import { createCopyManager, type CopyManager } from '../upload/copy-manager.js';
import { parseFlags, requireFlag } from './command-flags.js';
import type { Command } from './main.js';
import { DEFAULT_STOP_TIMEOUT, readShipConfig, type ShipConfig } from './ship-config.js';
import { formatTextTable } from './text-table.js';

const help = `Usage: hdfs-log-transport ship --config FILE [--check]

Runs the copy jobs of a config file as a daemon. Each job publishes the log
files its patterns match (files of programs that do not log through this
package: nginx, log4j, what logrotate rotated) once they are complete, then
looks again every interval; nothing unchanged is copied twice, across
restarts too. One line is printed per published file and per error:
  nginx uploaded /var/log/nginx/access.log.1 → /logs/nginx/access.log.1 (1.2 MiB)
A copy whose RENAME answer was lost and that was then gone (a consumer such
as Hive moved it away) gets an "ambiguous" line instead: it counts as
published and is not sent again.
SIGTERM or Ctrl-C stops the jobs, giving uploads in flight stopTimeout to
end (what is cut off is never visible at its final name; a second signal
does not cut this short), prints what each job copied, and exits with code 0.

Options:
  --config FILE   the jobs, in JSON (below)
  --check         check the config file, list its jobs, and exit
  -h, --help      show this help

The config file:
  {
    "stateDir": "/var/lib/hdfs-log-transport",
    "stopTimeout": "${DEFAULT_STOP_TIMEOUT}",
    "defaults": {
      "destination": "webhdfs://nn1:9870/logs/{name}/dt={yyyy-MM-dd}",
      "user": "etl"
    },
    "jobs": {
      "nginx": { "patterns": ["/var/log/nginx/*.log.1"], "interval": "1m" },
      "app-errors": { "patterns": "/srv/app/error.log.*", "interval": "30s" }
    }
  }
  stateDir      where each job records what it copied (<stateDir>/<job>.json);
                default: ~/.local/state/hdfs-log-transport/copy-jobs
  stopTimeout   how long a stop waits for uploads in flight (default: ${DEFAULT_STOP_TIMEOUT})
  defaults      options every job starts from; a job's own keys win
  jobs          one entry per job, named with letters, digits, "_" and "-"
A job takes the options of startCopy() (CopyJobOptions): patterns,
destination, interval, quietPeriod, retries, retryDelay, maxRetryDelay,
layout, compress, verify, afterUpload, timeZone, namenodes, user, webhdfs,
stateFile. Relative paths are taken from the config file's directory.

Examples:
  hdfs-log-transport ship --config /etc/hdfs-log-transport/ship.json
  hdfs-log-transport ship --config ship.json --check
`;

const EVERY_JOB_FAILED = 'every job failed';

const PROC_CHECK_WARNINGS = {
  incomplete:
    "the check for files open for writing is incomplete (some processes' " +
    '/proc/<pid>/fd cannot be read); for their files only the quiet period applies',
  unavailable:
    'files open for writing cannot be detected on this system (no /proc); ' +
    'only the quiet period applies',
} as const;

export const shipCommand: Command = {
  summary: 'run the copy jobs of a config file until SIGTERM',
  help,
  async run(args) {
    const values = parseFlags(args, {
      config: { type: 'string' },
      check: { type: 'boolean' },
    });
    const config = await readShipConfig(requireFlag(values.config, '--config'));
    if (values.check === true) {
      process.stdout.write(`${describeJobs(config)}\nThe config is valid.\n`);
      return 0;
    }

    const manager = createCopyManager({ stateDir: config.stateDir });
    follow(manager);
    const grace = formatDuration(config.stopTimeout);
    // Listening before the first line: a caller may signal as soon as it reads
    // it, and a signal with no listener yet kills the process outright. Until
    // the summary is out, a second signal cannot cut the stop short either.
    const stop = listenForStop(manager, (again) => {
      process.stdout.write(`Still stopping (${again}): at most ${grace} in all.\n`);
    });
    // The jobs' timers never keep a process alive: a daemon must keep itself.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    try {
      for (const job of config.jobs) manager.startCopy(job.name, job.options);
      process.stdout.write(`${describeJobs(config)}\nSIGTERM or Ctrl-C stops.\n`);
      const why = await stop.requested;

      process.stdout.write(`Stopping (${why}): uploads in flight get ${grace}.\n`);
      await manager.stopAllCopies({ timeout: config.stopTimeout });
      process.stdout.write(`${formatSummary(manager.listCopies())}\n`);
      if (why !== EVERY_JOB_FAILED) return 0;
      process.stderr.write(`hdfs-log-transport ship: ${why}; see the errors above\n`);
      return 1;
    } finally {
      // A job that failed to start leaves the others running: stop them too.
      await manager.stopAllCopies({ timeout: config.stopTimeout });
      stop.dispose();
      clearInterval(keepAlive);
    }
  },
};

function follow(manager: CopyManager): void {
  manager.on('uploaded', (event) => {
    // Its own line follows, from the `ambiguous` event.
    if (event.outcome !== 'ambiguous') process.stdout.write(`${formatUploaded(event)}\n`);
  });
  manager.on('ambiguous', (event) => process.stdout.write(`${formatAmbiguous(event)}\n`));
  // Said once per job: whether a file still being written can be seen.
  const warned = new Set<string>();
  manager.on('cycle', ({ job, procCheck }) => {
    if (procCheck === undefined || procCheck === 'complete' || warned.has(job)) return;
    warned.add(job);
    process.stderr.write(`${job} warning: ${PROC_CHECK_WARNINGS[procCheck]}\n`);
  });
  manager.on('error', (error: CopyFailure) => {
    process.stderr.write(`${error.job} error: ${jobMessage(error.job, error.message)}\n`);
  });
}

/** The line of a published copy. */
export function formatUploaded(event: CopyUploadedEvent): string {
  const { job, file, path, bytes, replaced } = event;
  const replacing = replaced ? ', replacing its earlier copy' : '';
  return `${job} uploaded ${file} → ${path} (${formatSize(bytes)})${replacing}`;
}

/**
 * The line of a copy whose RENAME was sent but whose answer was lost, and
 * which was gone when looked at: someone (Hive `LOAD DATA INPATH`) moved it
 * away, or it never arrived, which cannot be told from here.
 */
export function formatAmbiguous({ job, file, path }: CopyAmbiguousEvent): string {
  return (
    `${job} ambiguous ${file} → ${path}: renamed there, then gone before it could be ` +
    'checked (moved away by a consumer?); counted as published, not sent again'
  );
}

/** A job's error on one line, without the job's name the line already starts with. */
function jobMessage(job: string, message: string): string {
  return message
    .replace(`copy job ${JSON.stringify(job)}: `, '')
    .replace(/\s*\n\s*/g, ' ');
}

/**
 * Listens for SIGTERM and SIGINT until disposed. `requested` resolves on the
 * first, or once no job is left running (each failed: the daemon has nothing
 * left to do, and its supervisor should know); a signal after that is passed
 * to `onRepeat`.
 */
function listenForStop(manager: CopyManager, onRepeat: (signal: string) => void) {
  let stopping = false;
  let resolve!: (why: string) => void;
  const requested = new Promise<string>((settle) => (resolve = settle));
  const end = (why: string) => {
    if (stopping) return;
    stopping = true;
    manager.off('error', onError);
    resolve(why);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) onRepeat(signal);
    else end(signal);
  };
  const onError = () => {
    if (manager.listCopies().every((job) => job.state === 'failed'))
      end(EVERY_JOB_FAILED);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  manager.on('error', onError);
  return {
    requested,
    dispose() {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      manager.off('error', onError);
    },
  };
}

function describeJobs(config: ShipConfig): string {
  const lines = config.jobs.map((job) => {
    const { patterns } = job.options;
    const list = typeof patterns === 'string' ? patterns : patterns.join(', ');
    const every = formatDuration(job.interval);
    return `  ${job.name}: ${list} → ${job.destination}, every ${every}`;
  });
  return [`${config.jobs.length} job(s), state in ${config.stateDir}:`, ...lines].join(
    '\n',
  );
}

/** What each job copied, for the last lines before exit. */
export function formatSummary(jobs: readonly CopyJobStatus[]): string {
  const rows = [
    ['job', 'state', 'files', 'bytes', 'pending', 'last error'],
    ...jobs.map((job) => [
      job.name,
      job.state,
      String(job.filesUploaded),
      formatSize(job.bytesUploaded),
      String(job.pending),
      job.lastError === undefined ? '' : jobMessage(job.name, job.lastError.message),
    ]),
  ];
  return formatTextTable(rows, ['left', 'left', 'right', 'right', 'right', 'left']);
}
