/**
 * Scenario 1: logging throughput to local files. The same records go through
 * every setup of logging/setups.ts, each run in a process of its own; rounds
 * repeat every setup, and ratios are medians of per-round ratios.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFailure, runNodeChild } from './lib/child.js';
import { median, medianRatio } from './lib/stats.js';
import { formatTable, type Cell } from './lib/table.js';
import { atLeast, type TargetCheck } from './lib/targets.js';
import type { RunSample } from './logging/harness.js';
import { SETUPS, roundOrder, type SetupSpec } from './logging/setups.js';

export interface LoggingOptions {
  readonly records: number;
  readonly rounds: number;
}

interface SetupRuns {
  readonly label: string;
  /** Per round; undefined where the setup did not run. */
  readonly samples: (RunSample | undefined)[];
  error?: string;
}

export interface LoggingResult {
  readonly scenario: 'logging';
  readonly records: number;
  readonly rounds: number;
  readonly setups: Record<string, SetupRuns>;
  readonly targets: TargetCheck[];
  readonly table: string;
}

export async function measureLogging(options: LoggingOptions): Promise<LoggingResult> {
  const base = await mkdtemp(join(tmpdir(), 'bench-logging-'));
  const runs: Record<string, SetupRuns> = Object.fromEntries(
    SETUPS.map((setup) => [setup.id, { label: setup.label, samples: [] }]),
  );
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const setup of roundOrder(round)) {
        const setupRuns = runs[setup.id] as SetupRuns;
        if (setupRuns.error !== undefined) continue;
        const dir = await mkdtemp(join(base, `${setup.id}-`));
        const sample = await runNodeChild<RunSample>(`logging/${setup.id}.js`, [
          String(options.records),
          dir,
        ]);
        await rm(dir, { recursive: true, force: true });
        const problem = isFailure(sample)
          ? sample.error
          : checkCount(sample, options.records, round);
        if (problem !== undefined) setupRuns.error = problem;
        else setupRuns.samples[round] = sample as RunSample;
      }
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
  return summarise(options, runs);
}

/** A run that lost or added lines fails its setup's row. */
function checkCount(sample: RunSample, records: number, round: number) {
  if (sample.lines === records) return undefined;
  return `round ${round + 1}: ${sample.lines.toLocaleString('en-US')} lines on disk`;
}

const linesPerSecond = (records: number) => (sample: RunSample) =>
  records / sample.seconds;

/** Per-round rates of two setups, over the rounds where both ran. */
function pairedRates(
  runs: Record<string, SetupRuns>,
  a: string,
  b: string,
  records: number,
) {
  const left: number[] = [];
  const right: number[] = [];
  const rate = linesPerSecond(records);
  const first = runs[a]?.samples ?? [];
  const second = runs[b]?.samples ?? [];
  for (let round = 0; round < Math.max(first.length, second.length); round++) {
    const x = first[round];
    const y = second[round];
    if (x !== undefined && y !== undefined) {
      left.push(rate(x));
      right.push(rate(y));
    }
  }
  return { left, right };
}

function ratio(runs: Record<string, SetupRuns>, a: string, b: string, records: number) {
  const { left, right } = pairedRates(runs, a, b, records);
  return left.length === 0 ? undefined : medianRatio(left, right);
}

function samplesOf(runs: Record<string, SetupRuns>, id: string): RunSample[] {
  return (runs[id]?.samples ?? []).filter((sample) => sample !== undefined);
}

/** The peer of the same logger with the highest median lines/s. */
function fastestPeer(runs: Record<string, SetupRuns>, ours: SetupSpec, records: number) {
  const peers = SETUPS.filter((s) => s.logger === ours.logger && s.role === 'peer');
  const rated = peers
    .map((peer) => ({
      peer,
      rate: median(samplesOf(runs, peer.id).map(linesPerSecond(records))),
    }))
    .filter((entry) => Number.isFinite(entry.rate));
  rated.sort((a, b) => b.rate - a.rate);
  return rated[0]?.peer;
}

function summarise(
  options: LoggingOptions,
  runs: Record<string, SetupRuns>,
): LoggingResult {
  const { records } = options;
  const rows: Cell[][] = SETUPS.map((setup) => {
    const setupRuns = runs[setup.id] as SetupRuns;
    const samples = samplesOf(runs, setup.id);
    if (setupRuns.error !== undefined || samples.length === 0) {
      const why = setupRuns.error ?? 'did not run';
      return [setup.label, `fails: ${why}`];
    }
    const seconds = median(samples.map((sample) => sample.seconds));
    const bytes = median(samples.map((sample) => sample.bytes));
    const cut = Math.max(...samples.map((sample) => sample.cut));
    const onDisk = setup.id.endsWith('discard') ? 'counted in memory' : 'all, every run';
    let versus: Cell;
    if (setup.role === 'ours') {
      const peer = fastestPeer(runs, setup, records);
      const value =
        peer === undefined ? undefined : ratio(runs, setup.id, peer.id, records);
      versus = value === undefined ? undefined : `${value.toFixed(2)}× ${peer?.id}`;
    }
    return [
      setup.label,
      Math.round(median(samples.map(linesPerSecond(records)))),
      bytes / 1e6 / seconds,
      median(samples.map((sample) => sample.cpuSeconds)),
      median(samples.map((sample) => sample.maxRssMiB)),
      cut > 0 ? `${onDisk}; ${cut} file ends cut a line` : onDisk,
      versus,
    ];
  });
  const headers = [
    'setup',
    'lines/s',
    'MB/s',
    'CPU s',
    'peak RSS MiB',
    'lines checked',
    'ours vs fastest peer',
  ];
  return {
    scenario: 'logging',
    ...options,
    setups: runs,
    targets: loggingTargets(runs, records),
    table: formatTable(headers, rows),
  };
}

function loggingTargets(runs: Record<string, SetupRuns>, records: number): TargetCheck[] {
  const why = (id: string) => runs[id]?.error;
  const pair = (ours: string, peer: string) => ({
    value: ratio(runs, ours, peer, records),
    reason: why(ours) ?? why(peer),
  });
  const file = pair('winston-hdfs', 'winston-file');
  const rotating = pair('winston-hdfs', 'winston-daily-rotate');
  const discard = pair('winston-hdfs', 'winston-discard');
  const pino = pair('pino-hdfs', 'pino-file');
  return [
    atLeast(
      'winston + HdfsTransport ≥ 1.5× winston File',
      file.value,
      1.5,
      '×',
      file.reason,
    ),
    atLeast(
      'winston + HdfsTransport ≥ 1.0× winston-daily-rotate-file',
      rotating.value,
      1,
      '×',
      rotating.reason,
    ),
    atLeast(
      'winston + HdfsTransport ≥ 0.8× winston with a discarding transport',
      discard.value,
      0.8,
      '×',
      discard.reason,
    ),
    atLeast('pino + our target ≥ 0.9× pino/file', pino.value, 0.9, '×', pino.reason),
  ];
}
