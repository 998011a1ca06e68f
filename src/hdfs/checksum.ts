import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { crc32c } from '@node-rs/crc32';

/** What GETFILECHECKSUM answers inside `{"FileChecksum": …}`. */
export interface HdfsFileChecksum {
  /** e.g. `MD5-of-0MD5-of-512CRC32C`. */
  readonly algorithm: string;
  /** Hex of the 28-byte Writable: bytesPerCRC, crcPerBlock, MD5. */
  readonly bytes: string;
  /** Length of `bytes` once decoded: 28. */
  readonly length: number;
}

/** dfs.bytes-per-checksum default: one CRC32C per 512-byte chunk. */
export const BYTES_PER_CHECKSUM = 512;
/** dfs.blocksize default (128 MiB). */
export const DEFAULT_BLOCK_SIZE = 128 * 1024 * 1024;

const MD5_BYTES = 16;
/** DataOutputBuffer starts with a 32-byte array and doubles it when full. */
const INITIAL_BUFFER_BYTES = 32;

/**
 * Computes HDFS's MD5-of-MD5-of-CRC32C of a byte stream, incrementally, the way
 * the DataNodes and DFSClient do (webhdfs-reference.md section 7): per block,
 * the MD5 of the big-endian CRC32C of every 512-byte chunk; per file, the MD5
 * of the block MD5s laid out in a DataOutputBuffer, zero tail included.
 */
export class HdfsChecksumCalculator {
  readonly #blockSize: number;
  readonly #blockDigests: Buffer[] = [];
  readonly #crc = Buffer.alloc(4);
  /** Bytes of the current, not yet complete, 512-byte chunk. */
  readonly #partialChunk = Buffer.alloc(BYTES_PER_CHECKSUM);
  #partialLength = 0;
  #blockHash: Hash | undefined;
  #blockOffset = 0;
  #totalBytes = 0;

  constructor(blockSize: number = DEFAULT_BLOCK_SIZE) {
    if (!Number.isSafeInteger(blockSize) || blockSize % BYTES_PER_CHECKSUM !== 0) {
      throw new RangeError(`block size must be a multiple of 512; got ${blockSize}`);
    }
    if (blockSize <= 0)
      throw new RangeError(`block size must be positive; got ${blockSize}`);
    this.#blockSize = blockSize;
  }

  /** Feeds the next bytes of the file. */
  update(data: Uint8Array): this {
    let offset = 0;
    while (offset < data.length) {
      if (this.#partialLength > 0 || data.length - offset < BYTES_PER_CHECKSUM) {
        const taken = Math.min(
          BYTES_PER_CHECKSUM - this.#partialLength,
          data.length - offset,
        );
        this.#partialChunk.set(
          data.subarray(offset, offset + taken),
          this.#partialLength,
        );
        this.#partialLength += taken;
        offset += taken;
        if (this.#partialLength === BYTES_PER_CHECKSUM) {
          this.#addChunk(this.#partialChunk);
          this.#partialLength = 0;
        }
        continue;
      }
      this.#addChunk(data.subarray(offset, offset + BYTES_PER_CHECKSUM));
      offset += BYTES_PER_CHECKSUM;
    }
    return this;
  }

  /** Finishes the computation; the calculator cannot be used afterwards. */
  digest(): HdfsFileChecksum {
    if (this.#partialLength > 0) {
      this.#addChunk(this.#partialChunk.subarray(0, this.#partialLength));
      this.#partialLength = 0;
    }
    this.#closeBlock();

    if (this.#totalBytes === 0) {
      // FileChecksumHelper: an empty file reports CRC32 with 0 bytes per CRC.
      return encodeChecksum(0, 0, md5(Buffer.alloc(INITIAL_BUFFER_BYTES)), 'CRC32');
    }
    const blocks = this.#blockDigests.length;
    // crcPerBlock is 0 for one block, else the chunk count of (full) block 0.
    const crcPerBlock = blocks > 1 ? this.#blockSize / BYTES_PER_CHECKSUM : 0;
    const layout = Buffer.alloc(dataOutputBufferCapacity(blocks * MD5_BYTES));
    this.#blockDigests.forEach((digest, index) => digest.copy(layout, index * MD5_BYTES));
    return encodeChecksum(BYTES_PER_CHECKSUM, crcPerBlock, md5(layout), 'CRC32C');
  }

  #addChunk(chunk: Uint8Array): void {
    this.#crc.writeUInt32BE(crc32c(chunk), 0);
    this.#blockHash ??= createHash('md5');
    this.#blockHash.update(this.#crc);
    this.#blockOffset += chunk.length;
    this.#totalBytes += chunk.length;
    if (this.#blockOffset === this.#blockSize) this.#closeBlock();
  }

  #closeBlock(): void {
    if (this.#blockHash === undefined) return;
    this.#blockDigests.push(this.#blockHash.digest());
    this.#blockHash = undefined;
    this.#blockOffset = 0;
  }
}

/** Computes the HDFS checksum of a local file as if it were stored with `blockSize`. */
export async function computeHdfsChecksum(
  filePath: string,
  options: { blockSize?: number; signal?: AbortSignal } = {},
): Promise<HdfsFileChecksum> {
  const calculator = new HdfsChecksumCalculator(options.blockSize);
  const stream = createReadStream(filePath, {
    highWaterMark: 1024 * 1024,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for await (const chunk of stream) calculator.update(chunk as Buffer);
  return calculator.digest();
}

/** True when two checksums name the same algorithm and the same bytes. */
export function checksumsEqual(a: HdfsFileChecksum, b: HdfsFileChecksum): boolean {
  return a.algorithm === b.algorithm && a.bytes.toLowerCase() === b.bytes.toLowerCase();
}

/** Capacity of a DataOutputBuffer after `bytes` were written 16 at a time. */
function dataOutputBufferCapacity(bytes: number): number {
  let capacity = INITIAL_BUFFER_BYTES;
  while (capacity < bytes) capacity *= 2;
  return capacity;
}

function encodeChecksum(
  bytesPerCrc: number,
  crcPerBlock: number,
  digest: Buffer,
  crcType: 'CRC32' | 'CRC32C',
): HdfsFileChecksum {
  const writable = Buffer.alloc(4 + 8 + MD5_BYTES);
  writable.writeInt32BE(bytesPerCrc, 0);
  writable.writeBigInt64BE(BigInt(crcPerBlock), 4);
  digest.copy(writable, 12);
  return {
    algorithm: `MD5-of-${crcPerBlock}MD5-of-${bytesPerCrc}${crcType}`,
    bytes: writable.toString('hex'),
    length: writable.length,
  };
}

function md5(data: Buffer): Buffer {
  return createHash('md5').update(data).digest();
}
