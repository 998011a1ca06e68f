import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  checksumsEqual,
  computeHdfsChecksum,
  HdfsChecksumCalculator,
} from '../../src/hdfs/checksum.js';
import {
  MULTIBLOCK_BLOCK_SIZE,
  MULTIBLOCK_CHECKSUM,
  multiblockVector,
} from '../helpers/multiblock-vector.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const vectors = fileURLToPath(
  new URL('../../../test/fixtures/checksum-vectors/', import.meta.url),
);
const MIB = 1024 * 1024;

// Hadoop's testHDFSConf.xml, "-checksum" expectations, 128 MiB blocks.
const published = [
  ['data15bytes', '0000020000000000000000007267e9528002723a30939aefc238d665'],
  ['data30bytes', '000002000000000000000000fc09371298117c4943cf089b4bd79c96'],
  ['data60bytes', '000002000000000000000000009476431d851dd7b0a8d057a404d7b9'],
  ['data120bytes', '000002000000000000000000a58cdc3c0967fc8cddb7fed5960d06f2'],
] as const;

for (const [file, bytes] of published) {
  test(`reproduces Hadoop's published checksum of ${file}`, async () => {
    const checksum = await computeHdfsChecksum(join(vectors, file));
    assert.deepEqual(checksum, {
      algorithm: 'MD5-of-0MD5-of-512CRC32C',
      bytes,
      length: 28,
    });
  });
}

test('reproduces the three-block vector with 1 MiB blocks', async (t) => {
  const file = join(await makeTempDir(t), 'multiblock-2.5MiB.bin');
  await writeFile(file, multiblockVector());

  const checksum = await computeHdfsChecksum(file, { blockSize: MULTIBLOCK_BLOCK_SIZE });

  assert.deepEqual(checksum, MULTIBLOCK_CHECKSUM);
});

test('gives the empty-file answer HDFS gives', () => {
  assert.deepEqual(new HdfsChecksumCalculator().digest(), {
    algorithm: 'MD5-of-0MD5-of-0CRC32',
    bytes: '00000000000000000000000070bc8f4b72a86921468bf8e8441dce51',
    length: 28,
  });
});

test('does not depend on how the bytes are cut into updates', async () => {
  const data = multiblockVector();
  const whole = new HdfsChecksumCalculator(MIB).update(data).digest();
  const cuts = [1, 7, 511, 512, 513, 4096 + 3, MIB - 1, MIB + 1];

  for (const cut of cuts) {
    const calculator = new HdfsChecksumCalculator(MIB);
    for (let offset = 0; offset < data.length; offset += cut) {
      calculator.update(data.subarray(offset, offset + cut));
    }
    assert.deepEqual(calculator.digest(), whole, `updates of ${cut} bytes`);
  }
  const single = await readFile(join(vectors, 'data120bytes'));
  assert.equal(
    new HdfsChecksumCalculator().update(single).digest().bytes,
    published[3][1],
  );
});

test('refuses a block size that is not a multiple of 512', () => {
  assert.throws(() => new HdfsChecksumCalculator(1000), /multiple of 512/);
});

test('compares checksums by algorithm and bytes, ignoring hex case', () => {
  const a = { algorithm: 'MD5-of-0MD5-of-512CRC32C', bytes: 'ABCD', length: 28 };
  assert.equal(checksumsEqual(a, { ...a, bytes: 'abcd' }), true);
  assert.equal(checksumsEqual(a, { ...a, algorithm: 'MD5-of-0MD5-of-512CRC32' }), false);
});
