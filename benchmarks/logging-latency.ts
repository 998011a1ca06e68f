/**
 * Scenario 2: logging while uploading. Each of our loggers logs the same
 * records while its uploader publishes a backlog of sealed segments to the
 * dev server on loopback, and again with uploads paused (the destination
 * refuses connections), in pairs whose order alternates. Each run is a
 * process of its own (latency-client.ts) with a fresh spool holding the same
 * backlog (hard links).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFailure, runNodeChild } from './lib/child.js';
import { closedPort, startDevServer } from './lib/dev-server.js';
import { linkSegments, makeSegments } from './lib/segments.js';
import { median, medianRatio } from './lib/stats.js';
import { formatTable, type Cell } from './lib/table.js';
import { atMost, type TargetCheck } from './lib/targets.js';

const MIB = 1024 * 1024;
const SETUPS = {
  winston: 'winston + HdfsTransport',
  pino: 'pino + our target',
  shipper: 'shipper.write() alone',
} as const;
export type Setup = keyof typeof SETUPS;
const MODES = ['uploading', 'paused'] as const;
type Mode = (typeof MODES)[number];

interface LatencySample {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  readonly loopDelayP99Ms: number;
  readonly linesPerSecond: number;
  readonly uploadedMiB: number;
}

export interface LatencyOptions {
  readonly records: number;
  readonly pairs: number;
  /** Backlog waiting in the spool at start, in 16 MiB segments. */
  readonly backlogMiB: number;
  /** The loggers to measure. @default all three */
  readonly setups?: readonly Setup[];
}

type Samples = Record<Setup, Record<Mode, LatencySample[]> & { error?: string }>;

export interface LatencyResult {
  readonly scenario: 'logging-latency';
  readonly records: number;
  readonly pairs: number;
  readonly backlogMiB: number;
  readonly samples: Samples;
  readonly targets: TargetCheck[];
  readonly table: string;
}

export async function measureLatency(options: LatencyOptions): Promise<LatencyResult> {
  const base = await mkdtemp(join(tmpdir(), 'bench-latency-'));
  const root = join(base, 'hdfs');
  const server = await startDevServer(root, { nice: 19 });
  const samples = Object.fromEntries(
    Object.keys(SETUPS).map((setup) => [setup, { uploading: [], paused: [] }]),
  ) as unknown as Samples;
  try {
    const backlog = makeSegments(join(base, 'backlog'), {
      count: Math.max(1, Math.round(options.backlogMiB / 16)),
      bytesEach: 16 * MIB,
      stream: 'backlog',
    });
    const destinations: Record<Mode, string> = {
      uploading: `webhdfs://${server.authority}/bench/{name}`,
      paused: `webhdfs://127.0.0.1:${await closedPort()}/bench/{name}`,
    };
    for (let pair = 0; pair < options.pairs; pair++) {
      for (const setup of options.setups ?? (Object.keys(SETUPS) as Setup[])) {
        const order = pair % 2 === 0 ? MODES : [...MODES].reverse();
        for (const mode of order) {
          if (samples[setup].error !== undefined) continue;
          const spool = await mkdtemp(join(base, 'spool-'));
          linkSegments(backlog, join(spool, 'ready'));
          const sample = await runNodeChild<LatencySample>('latency-client.js', [
            setup,
            String(options.records),
            spool,
            destinations[mode],
          ]);
          await rm(spool, { recursive: true, force: true });
          await rm(join(root, 'bench'), { recursive: true, force: true });
          if (isFailure(sample)) samples[setup].error = sample.error;
          else samples[setup][mode].push(sample as LatencySample);
        }
      }
    }
  } finally {
    await server.stop();
    await rm(base, { recursive: true, force: true });
  }
  return summarise(options, samples);
}

function p99Ratio(samples: Samples, setup: Setup): number | undefined {
  const { uploading, paused } = samples[setup];
  const pairs = Math.min(uploading.length, paused.length);
  if (pairs === 0) return undefined;
  const p99 = (list: LatencySample[]) => list.slice(0, pairs).map((s) => s.p99Us);
  return medianRatio(p99(uploading), p99(paused));
}

function summarise(options: LatencyOptions, samples: Samples): LatencyResult {
  const rows: Cell[][] = [];
  for (const setup of options.setups ?? (Object.keys(SETUPS) as Setup[])) {
    const error = samples[setup].error;
    if (error !== undefined) {
      rows.push([SETUPS[setup], '—', `fails: ${error}`]);
      continue;
    }
    const ratio = p99Ratio(samples, setup);
    for (const mode of MODES) {
      const list = samples[setup][mode];
      const of = (pick: (sample: LatencySample) => number) => median(list.map(pick));
      rows.push([
        SETUPS[setup],
        mode,
        of((s) => s.p50Us),
        of((s) => s.p99Us),
        of((s) => s.maxUs),
        of((s) => s.loopDelayP99Ms),
        Math.round(of((s) => s.linesPerSecond)),
        of((s) => s.uploadedMiB),
        mode === 'uploading' && ratio !== undefined ? `${ratio.toFixed(2)}×` : undefined,
      ]);
    }
  }
  const headers = [
    'logger',
    'uploads',
    'call p50 µs',
    'call p99 µs',
    'call max µs',
    'loop delay p99 ms',
    'lines/s',
    'MiB uploaded meanwhile',
    'p99 vs paused',
  ];
  const targets = (['winston', 'pino'] as const).map((setup) =>
    atMost(
      `${SETUPS[setup]}: log-call p99 while uploading ≤ 1.2× paused`,
      p99Ratio(samples, setup),
      1.2,
      '×',
      samples[setup].error,
    ),
  );
  return {
    scenario: 'logging-latency',
    ...options,
    samples,
    targets,
    table: formatTable(headers, rows),
  };
}
