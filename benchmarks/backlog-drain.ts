/**
 * Scenario 4: recovery and backlog. A shipper starts on a spool where many
 * sealed segments wait (left by an outage or a crash), and drains them to the
 * dev server (DataNode mode, its own process). Start-up is compared with the
 * same start on an empty spool. Segments are 16 KiB: the count, not the bytes,
 * is what a backlog of many small segments costs.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFailure, runNodeChild } from './lib/child.js';
import { startDevServer } from './lib/dev-server.js';
import { linkSegments, makeSegments, type SegmentSet } from './lib/segments.js';
import { median } from './lib/stats.js';
import { formatTable, type Cell } from './lib/table.js';

const SEGMENT_BYTES = 16 * 1024;

interface BacklogSample {
  readonly constructMs: number;
  readonly firstWriteMs: number;
  readonly firstUploadMs: number;
  readonly drainSeconds: number;
  readonly loopDelayMaxMs: number;
  readonly maxRssMiB: number;
}

export interface BacklogOptions {
  readonly segments: number;
  readonly runs: number;
}

export interface BacklogResult extends BacklogOptions {
  readonly scenario: 'backlog';
  readonly empty: BacklogSample[];
  readonly backlog: BacklogSample[];
  readonly error?: string;
  readonly table: string;
}

export async function measureBacklog(options: BacklogOptions): Promise<BacklogResult> {
  const base = await mkdtemp(join(tmpdir(), 'bench-backlog-'));
  const root = join(base, 'hdfs');
  const server = await startDevServer(root);
  const empty: BacklogSample[] = [];
  const backlog: BacklogSample[] = [];
  let error: string | undefined;
  try {
    const set = makeSegments(join(base, 'segments'), {
      count: options.segments,
      bytesEach: SEGMENT_BYTES,
      stream: 'backlog',
    });
    const none: SegmentSet = { ...set, names: [] };
    for (let run = 0; run < options.runs && error === undefined; run++) {
      for (const [waiting, samples] of [
        [none, empty],
        [set, backlog],
      ] as const) {
        const spool = join(base, `spool-${run}-${waiting.names.length}`);
        linkSegments(waiting, join(spool, 'ready'));
        const destination = `webhdfs://${server.authority}/drain/{name}`;
        const sample = await runNodeChild<BacklogSample>(
          'backlog-client.js',
          [spool, destination],
          { timeoutMs: 600_000 },
        );
        // Every waiting segment, plus the one line written after start-up.
        const published = await countFiles(join(root, 'drain'));
        await rm(join(root, 'drain'), { recursive: true, force: true });
        await rm(spool, { recursive: true, force: true });
        if (isFailure(sample)) error = sample.error;
        else if (published !== waiting.names.length + 1)
          error = `${published} of ${waiting.names.length + 1} segments published`;
        else samples.push(sample as BacklogSample);
      }
    }
  } finally {
    await server.stop();
    await rm(base, { recursive: true, force: true });
  }
  return summarise(options, empty, backlog, error);
}

async function countFiles(dir: string): Promise<number> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).length;
  } catch (error) {
    // Nothing was published: the directory was never made.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

function summarise(
  options: BacklogOptions,
  empty: BacklogSample[],
  backlog: BacklogSample[],
  error: string | undefined,
): BacklogResult {
  const row = (label: string, list: BacklogSample[], count: number): Cell[] => {
    if (list.length === 0) return [label, `fails: ${error ?? 'did not run'}`];
    const of = (pick: (sample: BacklogSample) => number) => median(list.map(pick));
    const seconds = of((s) => s.drainSeconds);
    return [
      label,
      of((s) => s.constructMs),
      of((s) => s.firstWriteMs),
      of((s) => s.firstUploadMs),
      seconds,
      (count + 1) / seconds,
      ((count + 1) * SEGMENT_BYTES) / 1e6 / seconds,
      of((s) => s.loopDelayMaxMs),
      of((s) => s.maxRssMiB),
    ];
  };
  const headers = [
    'segments waiting',
    'createShipper ms',
    'first write ms',
    'first published ms',
    'drained in s',
    'segments/s',
    'MB/s',
    'loop delay max ms',
    'peak RSS MiB',
  ];
  const rows = [
    row('none (empty spool)', empty, 0),
    row(options.segments.toLocaleString('en-US'), backlog, options.segments),
  ];
  return {
    scenario: 'backlog',
    ...options,
    empty,
    backlog,
    ...(error === undefined ? {} : { error }),
    table: formatTable(headers, rows),
  };
}
