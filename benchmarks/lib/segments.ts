/**
 * Sealed segments made for the upload scenarios: files of whole JSON lines,
 * named as the shipper names them (src/segment/segment-name.ts):
 * `<name>.<start>.<host>.<writerId>.<seq>.log`. They are written once into a
 * template directory and hard-linked into each run's `ready/`, so that a run
 * costs no copy and the shipper's delete after publishing leaves the
 * template whole.
 */
import { closeSync, linkSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const MIB = 1024 * 1024;
/** Every line is 128 bytes, so that any multiple of 128 bytes is whole lines. */
const LINE_BYTES = 128;
const HOST = 'bench-host';
const WRITER_ID = 'benchseg';

/** `20261203T151900Z`: the segment's start, to the second, UTC. */
function basicUtc(millis: number): string {
  return `${new Date(millis).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

export function segmentName(stream: string, seq: number, start: number): string {
  const seqText = String(seq).padStart(6, '0');
  return `${stream}.${basicUtc(start)}.${HOST}.${WRITER_ID}.${seqText}.log`;
}

/** One MiB of 128-byte JSON lines. */
function lineBlock(): Buffer {
  const block = Buffer.alloc(MIB);
  for (let offset = 0, id = 0; offset < MIB; offset += LINE_BYTES, id++) {
    const head = `{"id":${id},"msg":"`;
    const tail = '"}\n';
    const padding = 'x'.repeat(LINE_BYTES - head.length - tail.length);
    block.write(`${head}${padding}${tail}`, offset);
  }
  return block;
}

export interface SegmentSet {
  readonly dir: string;
  readonly names: readonly string[];
  readonly bytesEach: number;
}

/**
 * Writes `count` segments of `bytesEach` bytes (a multiple of 128) into
 * `dir`, stream name `stream`, started an hour ago.
 */
export function makeSegments(
  dir: string,
  options: { count: number; bytesEach: number; stream: string },
): SegmentSet {
  const { count, bytesEach, stream } = options;
  if (bytesEach % LINE_BYTES !== 0) throw new RangeError('bytesEach: a multiple of 128');
  mkdirSync(dir, { recursive: true });
  const block = lineBlock();
  const start = Date.now() - 3_600_000;
  const names: string[] = [];
  for (let seq = 0; seq < count; seq++) {
    const name = segmentName(stream, seq, start);
    const fd = openSync(join(dir, name), 'w');
    try {
      for (let written = 0; written < bytesEach;) {
        const size = Math.min(MIB, bytesEach - written);
        written += writeSync(fd, block, 0, size);
      }
    } finally {
      closeSync(fd);
    }
    names.push(name);
  }
  return { dir, names, bytesEach };
}

/** Hard-links every segment of `set` into `readyDir` (created if missing). */
export function linkSegments(set: SegmentSet, readyDir: string): void {
  mkdirSync(readyDir, { recursive: true });
  for (const name of set.names) linkSync(join(set.dir, name), join(readyDir, name));
}
