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
import { NOT_BUILT } from './logging/ours-options.js';
import { SETUPS, roundOrder, type SetupSpec } from './logging/setups.js';

export interface LoggingOptions {
  readonly records: number;
  readonly rounds: number;
}

interface SetupRuns {
  readonly label: string;
  /** Per round; undefined where the setup failed or did not run. */
  readonly samples: (RunSample | undefined)[];
  /** Runs that failed (a crash, a wrong line count), each with its reason. */
  readonly failures: string[];
  /** Why the setup cannot run at all here (e.g. not built yet). */
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
    SETUPS.map((setup) => [setup.id, { label: setup.label, samples: [], failures: [] }]),
  );
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const setup of roundOrder(round)) {
        const setupRuns = runs[setup.id] as SetupRuns;
        if (setupRuns.error !== undefined || round >= (setup.rounds ?? Infinity))
          continue;
        const dir = await mkdtemp(join(base, `${setup.id}-`));
        const sample = await runNodeChild<RunSample>(`logging/${setup.id}.js`, [
          String(options.records),
          dir,
        ]);
        await rm(dir, { recursive: true, force: true });
        const problem = isFailure(sample)
          ? sample.error
          : checkCount(sample, options.records);
        if (problem === NOT_BUILT) setupRuns.error = problem;
        else if (problem !== undefined)
          setupRuns.failures.push(`run ${round + 1}: ${problem}`);
        else setupRuns.samples[round] = sample as RunSample;
      }
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
  return summarise(options, runs);
}

/** A run that lost or added lines fails its setup's row. */
function checkCount(sample: RunSample, records: number) {
  if (sample.lines === records) return undefined;
  return `${sample.lines.toLocaleString('en-US')} lines on disk`;
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
      const why = setupRuns.error ?? setupRuns.failures[0] ?? 'did not run';
      return [setup.label, `fails: ${why}`];
    }
    const seconds = median(samples.map((sample) => sample.seconds));
    const bytes = median(samples.map((sample) => sample.bytes));
    const cut = Math.max(...samples.map((sample) => sample.cut));
    const attempts = samples.length + setupRuns.failures.length;
    const failed = setupRuns.failures.length;
    let onDisk = setup.id.endsWith('discard') ? 'counted in memory' : 'all, every run';
    if (failed > 0)
      onDisk = `FAILED ${failed} of ${attempts} runs: ${setupRuns.failures[0]}`;
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

/**
 * The targets of issue 6 for this scenario, on the rounds where both setups
 * ran. A target whose setup of ours failed any run is missed, whatever its
 * ratio.
 */
function loggingTargets(runs: Record<string, SetupRuns>, records: number): TargetCheck[] {
  const compare = (target: string, ours: string, peer: string, goal: number) => {
    const check = atLeast(
      target,
      ratio(runs, ours, peer, records),
      goal,
      '×',
      runs[ours]?.error ?? runs[peer]?.error,
    );
    const failed = runs[ours]?.failures.length ?? 0;
    if (failed === 0 || check.met === undefined) return check;
    return { ...check, target: `${target} (ours failed ${failed} runs)`, met: false };
  };
  const winston = 'winston + HdfsTransport';
  return [
    compare(`${winston} ≥ 1.5× winston File`, 'winston-hdfs', 'winston-file', 1.5),
    compare(
      `${winston} ≥ 1.0× winston-daily-rotate-file`,
      'winston-hdfs',
      'winston-daily-rotate',
      1,
    ),
    compare(
      `${winston} ≥ 0.8× winston with a discarding transport`,
      'winston-hdfs',
      'winston-discard',
      0.8,
    ),
    compare('pino + our target ≥ 0.9× pino/file', 'pino-hdfs', 'pino-file', 0.9),
  ];
}
