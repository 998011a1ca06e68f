import { isRecord } from './response-body.js';

/** A FileStatus as WebHDFS answers it (webhdfs-reference.md section 3). */
export interface FileStatus {
  readonly type: 'FILE' | 'DIRECTORY' | 'SYMLINK';
  /** Name within the listed directory; `''` for GETFILESTATUS. */
  readonly pathSuffix: string;
  readonly length: number;
  readonly owner: string;
  readonly group: string;
  /** Octal string, e.g. `"644"`. */
  readonly permission: string;
  readonly modificationTime: number;
  readonly accessTime: number;
  readonly blockSize: number;
  readonly replication: number;
  readonly childrenNum: number;
  readonly fileId: number;
  /** True for an erasure-coded file, whose checksum is not MD5-of-MD5-of-CRC. */
  readonly ecBit: boolean;
}

/** Reads one FileStatus object; undefined when it does not have the shape. */
export function parseFileStatus(value: unknown): FileStatus | undefined {
  if (!isRecord(value)) return undefined;
  const { type } = value;
  if (type !== 'FILE' && type !== 'DIRECTORY' && type !== 'SYMLINK') return undefined;
  if (typeof value.length !== 'number') return undefined;
  return {
    type,
    pathSuffix: stringField(value.pathSuffix),
    length: value.length,
    owner: stringField(value.owner),
    group: stringField(value.group),
    permission: stringField(value.permission),
    modificationTime: numberField(value.modificationTime),
    accessTime: numberField(value.accessTime),
    blockSize: numberField(value.blockSize),
    replication: numberField(value.replication),
    childrenNum: numberField(value.childrenNum),
    fileId: numberField(value.fileId),
    ecBit: value.ecBit === true,
  };
}

function stringField(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function numberField(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
