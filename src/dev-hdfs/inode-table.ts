/**
 * What HDFS keeps about an inode and a local file system does not: owner,
 * group, permission, replication, block size and a fileId. Entries are keyed
 * by the local inode (device and inode number), so a rename on disk carries
 * the metadata along with no bookkeeping, and a replaced file gets a new
 * fileId as in HDFS.
 */
import type { Stats } from 'node:fs';

/** dfs.blocksize default. */
export const DEFAULT_BLOCK_SIZE = 134217728;
/** dfs.replication default. */
export const DEFAULT_REPLICATION = 3;
/** Every inode's group: the root's group, which children inherit in HDFS. */
export const SUPERGROUP = 'supergroup';
/** Owner of what was put under the root without the server (the HDFS superuser). */
export const SUPERUSER = 'hdfs';
/** INodeId.ROOT_INODE_ID; ids of other inodes are allocated after it. */
export const ROOT_FILE_ID = 16385;

export interface InodeMeta {
  readonly fileId: number;
  readonly owner: string;
  readonly group: string;
  readonly permission: number;
  /** 0 for directories, as HDFS reports them. */
  readonly replication: number;
  /** 0 for directories, as HDFS reports them. */
  readonly blockSize: number;
}

/** The key of a local inode. */
export function inodeKey(stat: Stats): string {
  return `${stat.dev}:${stat.ino}`;
}

/**
 * A limitation worth knowing: if a file is deleted behind the server's back
 * and the OS reuses its inode number, the new file inherits the old entry.
 * Deletions made through the server always drop their entries.
 */
export class InodeTable {
  readonly #entries = new Map<string, InodeMeta>();
  #nextFileId = ROOT_FILE_ID + 1;

  /** Registers the root directory so that it gets the root's fileId. */
  registerRoot(stat: Stats): void {
    this.#entries.set(inodeKey(stat), {
      fileId: ROOT_FILE_ID,
      owner: SUPERUSER,
      group: SUPERGROUP,
      permission: 0o755,
      replication: 0,
      blockSize: 0,
    });
  }

  /** The entry of an inode, created with defaults the first time it is seen. */
  describe(stat: Stats): InodeMeta {
    const known = this.#entries.get(inodeKey(stat));
    if (known !== undefined) return known;

    const directory = stat.isDirectory();
    return this.record(stat, {
      owner: SUPERUSER,
      permission: directory ? 0o755 : 0o644,
      replication: directory ? 0 : DEFAULT_REPLICATION,
      blockSize: directory ? 0 : DEFAULT_BLOCK_SIZE,
    });
  }

  /** Records an inode the server has just created, with a fresh fileId. */
  record(stat: Stats, meta: Omit<InodeMeta, 'fileId' | 'group'>): InodeMeta {
    const entry: InodeMeta = { ...meta, fileId: this.#nextFileId++, group: SUPERGROUP };
    this.#entries.set(inodeKey(stat), entry);
    return entry;
  }

  /** Drops the entry of an inode that is gone from the namespace. */
  forget(key: string): void {
    this.#entries.delete(key);
  }
}
