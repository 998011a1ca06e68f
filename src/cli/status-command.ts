import { formatDuration } from '../duration.js';
import { formatSize } from '../size.js';
import { parseFlags, requireFlag } from './command-flags.js';
import {
  inspectSpool,
  openSpool,
  type SpoolStatus,
  type Tally,
} from './inspect-spool.js';
import type { Command } from './main.js';
import { formatTextTable } from './text-table.js';

const help = `Usage: hdfs-log-transport status --spool DIR [--json]

Shows what a spool holds, without changing anything in it:
  backlog    sealed segments not published yet (ready/, and sealed/ while
             they wait for gzip), their bytes and the age of the oldest
  active     segments being written, and whether their writers are alive
             (a dead writer's segment is sealed at the next upload run)
  retained   published segments kept for keepUploaded
  dropped    segments the disk budget deleted before they were published,
             since the spool was created (kept in stats.json by the uploader)
It also says whether an uploader holds the spool, and how much disk the
spool uses. Exit code 0 when the spool could be read.

Options:
  --spool DIR   the spool (the applications' spoolDir)
  --json        print one JSON object instead: stable keys, sizes in bytes,
                times in epoch milliseconds, ages in milliseconds, null for
                "none"
  -h, --help    show this help

Examples:
  hdfs-log-transport status --spool /var/spool/app
  hdfs-log-transport status --spool /var/spool/app --json | jq .backlog.segments
`;

export const statusCommand: Command = {
  summary: "show a spool's backlog, active segments and drops",
  help,
  async run(args) {
    const values = parseFlags(args, {
      spool: { type: 'string' },
      json: { type: 'boolean' },
    });
    const layout = await openSpool(requireFlag(values.spool, '--spool'));

    const status = await inspectSpool(layout);
    process.stdout.write(
      values.json === true
        ? `${JSON.stringify(status, null, 2)}\n`
        : formatStatus(status),
    );
    return 0;
  },
};

/** The status as a table with a few lines around it, for people. */
export function formatStatus(status: SpoolStatus): string {
  const { backlog, active, dropped } = status;
  const oldest =
    backlog.oldestAgeMs === null
      ? ''
      : `oldest opened ${formatAge(backlog.oldestAgeMs)} ago`;
  const rows = [
    ['', 'segments', 'bytes', ''],
    cells('backlog', backlog, oldest),
    cells('  ready/', backlog.ready, ''),
    cells(
      '  sealed/',
      backlog.sealed,
      backlog.sealed.segments > 0 ? 'waiting for gzip' : '',
    ),
    cells(
      'active',
      active,
      `${active.live} with a live writer, ${active.abandoned} abandoned`,
    ),
    cells('retained', status.retained, ''),
    [
      'dropped',
      dropped.segments === null ? '?' : String(dropped.segments),
      dropped.bytes === null ? '?' : formatSize(dropped.bytes),
      dropped.lastAt === null
        ? ''
        : `the last ${formatAge(status.at - dropped.lastAt)} ago`,
    ],
  ];
  const uploader = status.uploader.running
    ? 'running (a live process holds the spool)'
    : 'none running (the next writer to start takes the spool)';
  const disk = `${formatSize(status.disk.usedBytes)} used by the spool, ${formatSize(
    status.disk.freeBytes,
  )} free`;
  return [
    `Spool ${status.spool}`,
    '',
    formatTextTable(rows, ['left', 'right', 'right', 'left']),
    '',
    `uploader: ${uploader}`,
    `disk: ${disk}`,
    ...status.problems.map((problem) => `warning: ${problem}`),
    '',
  ].join('\n');
}

function cells(label: string, counts: Tally, note: string): string[] {
  return [label, String(counts.segments), formatSize(counts.bytes), note];
}

/** An age to the second: `12m30s`; `0s` for less than a second. */
function formatAge(millis: number): string {
  const seconds = Math.floor(millis / 1000);
  return seconds === 0 ? '0s' : formatDuration(seconds * 1000);
}
