import { stat } from 'node:fs/promises';
import { VerificationError } from '../errors.js';
import {
  checksumsEqual,
  computeHdfsChecksum,
  type HdfsFileChecksum,
} from './checksum.js';
import type { FileStatus } from './file-status.js';

/** What verification needs from a destination: a status, and a checksum if it has one. */
export interface VerifiableStore {
  getFileStatus(path: string, options?: { signal?: AbortSignal }): Promise<FileStatus>;
  getFileChecksum?(
    path: string,
    options?: { signal?: AbortSignal },
  ): Promise<HdfsFileChecksum>;
}

export interface VerifyOptions {
  /** Also compare content: HDFS's checksum against the one computed locally. */
  readonly checksum?: boolean;
  readonly signal?: AbortSignal;
  /** Computes the local checksum (replaceable, to run it on another thread). */
  readonly computeChecksum?: typeof computeHdfsChecksum;
}

/** How a file was verified. */
export type Verification = 'length' | 'checksum';

/**
 * Checks that `remotePath` is a file with the local file's length and, when
 * asked, the same content, by computing HDFS's MD5-of-MD5-of-CRC32C locally
 * with the block size the file has on HDFS. Erasure-coded files report
 * another kind of checksum, so they are verified by length only.
 *
 * @returns how the file was verified
 * @throws {@link VerificationError} when it does not match
 */
export async function verifyPublished(
  store: VerifiableStore,
  localPath: string,
  remotePath: string,
  options: VerifyOptions = {},
): Promise<Verification> {
  const signal = options.signal;
  const [local, remote] = await Promise.all([
    stat(localPath),
    store.getFileStatus(remotePath, signal ? { signal } : {}),
  ]);
  if (remote.type !== 'FILE') {
    throw new VerificationError(remotePath, 'type', 'FILE', remote.type);
  }
  if (remote.length !== local.size) {
    throw new VerificationError(
      remotePath,
      'length',
      String(local.size),
      String(remote.length),
    );
  }
  if (options.checksum !== true || remote.ecBit || store.getFileChecksum === undefined) {
    return 'length';
  }

  const compute = options.computeChecksum ?? computeHdfsChecksum;
  const [expected, actual] = await Promise.all([
    compute(localPath, { blockSize: remote.blockSize, ...(signal ? { signal } : {}) }),
    store.getFileChecksum(remotePath, signal ? { signal } : {}),
  ]);
  if (!checksumsEqual(expected, actual)) {
    const show = (checksum: HdfsFileChecksum) =>
      `${checksum.algorithm}:${checksum.bytes}`;
    throw new VerificationError(remotePath, 'checksum', show(expected), show(actual));
  }
  return 'checksum';
}
