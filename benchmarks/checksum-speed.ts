/**
 * Scenario 5: the cost of verifying a published file by content: MB/s of
 * computeHdfsChecksum (HDFS's MD5-of-MD5-of-CRC32C, 512-byte chunks, 128 MiB
 * blocks) over a local file, next to reading the same file without hashing
 * (the floor). The file was just written, so it is read from the page cache:
 * this measures the hashing, not the disk.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeHdfsChecksum } from 'hdfs-log-transport';
import { makeSegments } from './lib/segments.js';
import { median, medianRatio } from './lib/stats.js';
import { formatTable } from './lib/table.js';
import { atLeast, type TargetCheck } from './lib/targets.js';

const MIB = 1024 * 1024;

export interface ChecksumOptions {
  readonly fileMiB: number;
  readonly runs: number;
}

export interface ChecksumResult extends ChecksumOptions {
  readonly scenario: 'checksum';
  readonly checksumMBps: number[];
  readonly readMBps: number[];
  readonly targets: TargetCheck[];
  readonly table: string;
}

async function readOnly(file: string): Promise<void> {
  for await (const chunk of createReadStream(file, { highWaterMark: MIB })) void chunk;
}

async function timed(task: () => Promise<unknown>, bytes: number): Promise<number> {
  const started = process.hrtime.bigint();
  await task();
  return bytes / 1e6 / (Number(process.hrtime.bigint() - started) / 1e9);
}

export async function measureChecksum(options: ChecksumOptions): Promise<ChecksumResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-checksum-'));
  const checksumMBps: number[] = [];
  const readMBps: number[] = [];
  try {
    const set = makeSegments(dir, {
      count: 1,
      bytesEach: options.fileMiB * MIB,
      stream: 'checksum',
    });
    const file = join(dir, set.names[0] as string);
    const bytes = set.bytesEach;
    for (let run = 0; run < options.runs; run++) {
      readMBps.push(await timed(() => readOnly(file), bytes));
      checksumMBps.push(await timed(() => computeHdfsChecksum(file), bytes));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const rows = [
    [
      'computeHdfsChecksum (MD5-of-MD5-of-CRC32C)',
      median(checksumMBps),
      medianRatio(checksumMBps, readMBps),
    ],
    ['floor: read the file, no hashing', median(readMBps), 1],
  ];
  return {
    scenario: 'checksum',
    ...options,
    checksumMBps,
    readMBps,
    targets: [atLeast('checksum ≥ 300 MB/s', median(checksumMBps), 300, 'MB/s')],
    table: formatTable(['work', 'MB/s', 'vs reading only'], rows),
  };
}
