/**
 * The JSON bodies WebHDFS answers with (webhdfs-reference.md section 3).
 * Hadoop serialises TreeMaps, so every object's keys come out sorted the way
 * Java's String.compareTo sorts them (UTF-16 code units, as JS sorts too).
 */

/** What the namespace knows about one file or directory. */
export interface InodeStatus {
  readonly type: 'FILE' | 'DIRECTORY';
  /** The name relative to the listed directory; `''` for GETFILESTATUS. */
  readonly pathSuffix: string;
  readonly length: number;
  readonly owner: string;
  readonly group: string;
  /** Permission bits, e.g. `0o644`; sent as an octal string. */
  readonly permission: number;
  readonly accessTime: number;
  readonly modificationTime: number;
  readonly blockSize: number;
  readonly replication: number;
  readonly fileId: number;
  readonly childrenNum: number;
}

/** JSON.stringify with every object's keys sorted, as Jackson writes a TreeMap. */
export function toHadoopJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) {
      sorted[key] = (inner as Record<string, unknown>)[key];
    }
    return sorted;
  });
}

/**
 * One FileStatus object without its wrapper. The optional flags (aclBit,
 * encBit, ecBit, snapshotEnabled, symlink) are left out because Hadoop only
 * writes them when set, and the dev server never sets them.
 */
function fileStatusObject(status: InodeStatus): Record<string, unknown> {
  return {
    accessTime: status.accessTime,
    blockSize: status.blockSize,
    childrenNum: status.childrenNum,
    fileId: status.fileId,
    group: status.group,
    length: status.length,
    modificationTime: status.modificationTime,
    owner: status.owner,
    pathSuffix: status.pathSuffix,
    permission: status.permission.toString(8),
    replication: status.replication,
    // BLOCK_STORAGE_POLICY_ID_UNSPECIFIED: no policy was ever set.
    storagePolicy: 0,
    type: status.type,
  };
}

/** GETFILESTATUS: `{"FileStatus":{…}}`. */
export function fileStatusJson(status: InodeStatus): string {
  return toHadoopJson({ FileStatus: fileStatusObject(status) });
}

/**
 * The pieces of a streamed LISTSTATUS body, exactly as NamenodeWebHdfsMethods
 * prints them: the header with println, entries joined by println(','), then
 * println() and println("]}}"), hence the trailing newline.
 */
export const LISTING_HEAD = '{"FileStatuses":{"FileStatus":[\n';
export const LISTING_SEPARATOR = ',\n';
export const LISTING_TAIL = '\n]}}\n';

/** One LISTSTATUS entry as it appears inside the streamed array. */
export function listingEntryJson(status: InodeStatus): string {
  return toHadoopJson(fileStatusObject(status));
}

/** MKDIRS, RENAME, DELETE: `{"boolean":true}`. */
export function booleanJson(value: boolean): string {
  return toHadoopJson({ boolean: value });
}

/** noredirect=true: `{"Location":"http://…"}`. */
export function locationJson(location: string): string {
  return toHadoopJson({ Location: location });
}

/** GETHOMEDIRECTORY: `{"Path":"/user/<name>"}`. */
export function pathJson(path: string): string {
  return toHadoopJson({ Path: path });
}

/** GETFILECHECKSUM: `{"FileChecksum":{"algorithm","bytes","length"}}`. */
export function fileChecksumJson(checksum: {
  algorithm: string;
  bytes: string;
  length: number;
}): string {
  return toHadoopJson({
    FileChecksum: {
      algorithm: checksum.algorithm,
      bytes: checksum.bytes,
      length: checksum.length,
    },
  });
}
