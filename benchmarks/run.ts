/**
 * Runs the benchmarks of issue 6 and prints their tables and targets; writes
 * the numbers as JSON to benchmarks/results/ so that runs can be compared.
 * Usage: npm run bench [-- --quick] [-- --only logging,latency,upload,backlog,checksum]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { measureBacklog } from './backlog-drain.js';
import { measureChecksum } from './checksum-speed.js';
import { describeMachine } from './lib/machine.js';
import { formatTargets, type TargetCheck } from './lib/targets.js';
import { measureLatency } from './logging-latency.js';
import { measureLogging } from './logging-throughput.js';
import { measureUploads, uploadTargets, type UploadCase } from './upload-throughput.js';

const SCENARIOS = ['logging', 'latency', 'upload', 'backlog', 'checksum'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: SCENARIOS.join(',') },
  },
});
const quick = values.quick;
const only = new Set(values.only.split(',') as Scenario[]);
const machine = describeMachine();
const started = Date.now();
const print = (text: string) => process.stdout.write(`${text}\n`);
print(`Machine: ${machine}\nMode: ${quick ? 'quick' : 'full'}\n`);

const scale = quick
  ? { records: 100_000, rounds: 2, pairs: 2, backlogMiB: 256, uploadMiB: 64 }
  : { records: 500_000, rounds: 10, pairs: 4, backlogMiB: 1024, uploadMiB: 1024 };
const scenarios: object[] = [];
const targets: TargetCheck[] = [];

let sectionStart = Date.now();

function section(
  title: string,
  notes: string,
  table: string,
  checks: TargetCheck[] = [],
  timeLabel: string | undefined = 'Measured in',
) {
  const took = Math.round((Date.now() - sectionStart) / 1000);
  sectionStart = Date.now();
  const time = timeLabel === undefined ? '' : ` ${timeLabel} ${took} s.`;
  print(`## ${title}\n\n${notes}${time}\n\n${table}\n`);
  if (checks.length > 0) print(`Targets:\n${formatTargets(checks)}\n`);
  targets.push(...checks);
}

if (only.has('logging')) {
  const result = await measureLogging({ records: scale.records, rounds: scale.rounds });
  scenarios.push(result);
  section(
    `1. Logging throughput to local files (${scale.records.toLocaleString('en-US')} records, ` +
      `${scale.rounds} rounds)`,
    'Load: one synchronous burst of `logger.info` calls, ~106-byte JSON lines; each run ' +
      'a process of its own, timed from the first call to the setup’s completion ' +
      'signal; lines counted on disk right then, every run. Medians; ratios are ' +
      'medians of per-round ratios (a logger’s setups run back to back in each round). ' +
      'Ours: uploader started (worker thread), destination `file://` in a temp dir, ' +
      '`upload.interval` 1h — its one cycle runs at start-up, before the burst, and ' +
      'publishes nothing. Ours, pino-roll and winston-daily-rotate-file roll at 10 MiB. ' +
      'Floors no target compares with (pino discard, write stream, dd) run in the first ' +
      '3 rounds only.',
    result.table,
    result.targets,
  );
}

if (only.has('latency')) {
  const result = await measureLatency({
    records: scale.records,
    pairs: scale.pairs,
    backlogMiB: scale.backlogMiB,
    // The shipper alone is a reference, measured in full runs only.
    ...(quick ? { setups: ['winston', 'pino'] as const } : {}),
  });
  scenarios.push(result);
  section(
    `2. Logging while uploading (${scale.records.toLocaleString('en-US')} records, ` +
      `${scale.pairs} pairs, backlog ${scale.backlogMiB} MiB)`,
    'Load: batches of 200 calls, yielding to the event loop between batches; every ' +
      'call timed. Uploading: the uploader publishes the backlog (16 MiB segments) to ' +
      'the dev server (DataNode mode, its own process) on loopback meanwhile. Paused: ' +
      'the same spool and backlog, destination refusing connections. A remote HDFS takes ' +
      'no CPU from the application’s host; on this 2-core machine the dev server stands ' +
      'in for it at nice 19, taking the CPU the logger leaves (which is why little is ' +
      'uploaded meanwhile when the logger is fast). The uploader thread runs at nice 10, ' +
      'as it always does.',
    result.table,
    result.targets,
  );
}

if (only.has('upload')) {
  const total = scale.uploadMiB;
  const rounds = quick ? 2 : 3;
  const cases: UploadCase[] = [
    { mode: 'gateway', segmentMiB: 64, totalMiB: total, rounds },
    { mode: 'gateway', segmentMiB: 1, totalMiB: total, rounds },
    // DataNode mode only in full runs: undici cannot be compared there anyway.
    ...(quick
      ? []
      : [{ mode: 'datanode', segmentMiB: 64, totalMiB: total, rounds: 2 } as const]),
  ];
  const results = await measureUploads(cases);
  scenarios.push(...results);
  results.forEach((result, index) =>
    section(
      `3.${index + 1}. Upload of ${result.totalMiB} MiB in ${result.segmentMiB} MiB ` +
        `segments, ${result.mode} mode (${result.rounds} rounds)`,
      'Every client sends two files at a time. Ours: createShipper() on a spool whose ' +
        'ready/ holds the segments, until flush() resolves (CREATE, RENAME, length check, ' +
        'journal per segment). Files checked on the server after every run.',
      result.table,
      [],
      index === 0 ? 'The three upload cases were measured in' : undefined,
    ),
  );
  const checks = uploadTargets(results);
  print(`Targets:\n${formatTargets(checks)}\n`);
  targets.push(...checks);
}

if (only.has('backlog')) {
  const result = await measureBacklog({
    segments: quick ? 300 : 10_000,
    runs: 1,
  });
  scenarios.push(result);
  section(
    `4. Start-up and drain with ${result.segments.toLocaleString('en-US')} sealed ` +
      `segments waiting (${result.runs} run${result.runs === 1 ? '' : 's'})`,
    'Times from just before createShipper(); 16 KiB segments; DataNode mode; one line ' +
      'written right after start-up is published too. Files counted on the server.',
    result.table,
  );
}

if (only.has('checksum')) {
  const result = await measureChecksum({
    fileMiB: quick ? 64 : 256,
    runs: 5,
  });
  scenarios.push(result);
  section(
    `5. Checksum verification of a ${result.fileMiB} MiB file (${result.runs} runs)`,
    'computeHdfsChecksum with HDFS defaults (512-byte chunks, 128 MiB blocks), file ' +
      'in the page cache.',
    result.table,
    result.targets,
  );
}

print(`## Targets of issue 6\n\n${formatTargets(targets)}\n`);
const seconds = Math.round((Date.now() - started) / 1000);
print(`Suite time: ${seconds} s`);

const results = {
  date: new Date().toISOString(),
  machine,
  quick,
  seconds,
  scenarios,
  targets,
};
const dir = new URL('../results/', import.meta.url);
await mkdir(dir, { recursive: true });
const file = new URL(`${results.date.replace(/[:.]/g, '-')}.json`, dir);
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
print(`Results written to ${file.pathname}`);
