/**
 * The state every namespace operation works on: a local directory served as
 * HDFS `/`, the inode metadata and leases kept beside it, and a lock that
 * makes each operation atomic with respect to the others, as the NameNode's
 * namesystem lock does.
 */
import type { Stats } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { joinHdfsPath, splitHdfsPath } from '../hdfs/hdfs-path.js';
import { HadoopException } from './hadoop-exception.js';
import { InodeTable, inodeKey } from './inode-table.js';
import type { InodeStatus } from './json-shapes.js';
import { LeaseTable } from './lease-table.js';

/** Where a path stands in the namespace. */
export interface Resolved {
  /** Normalised HDFS path. */
  readonly path: string;
  /** The local file or directory that holds it. */
  readonly local: string;
  /** Its local stat, or undefined when nothing is there. */
  readonly stat: Stats | undefined;
  /** The first ancestor that is a file, which makes the path unreachable. */
  readonly fileAncestor: string | undefined;
  /** Whether the parent exists as a directory (true for the root). */
  readonly parentExists: boolean;
}

export class NamespaceCore {
  readonly root: string;
  readonly inodes = new InodeTable();
  readonly leases = new LeaseTable();
  #tail: Promise<unknown> = Promise.resolve();

  constructor(root: string) {
    this.root = root;
  }

  /** Runs `operation` once every operation queued before it has settled. */
  exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(operation, operation);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** The local path of a normalised HDFS path (components are already checked). */
  localPath(path: string): string {
    return join(this.root, ...splitHdfsPath(path));
  }

  /** Looks a normalised path up one component at a time, as INodesInPath does. */
  async resolve(path: string): Promise<Resolved> {
    const components = splitHdfsPath(path);
    let current = this.root;
    let found = await stat(current);

    for (const [index, component] of components.entries()) {
      if (!found.isDirectory()) {
        const ancestor = joinHdfsPath('/', ...components.slice(0, index));
        return {
          path,
          local: this.localPath(path),
          stat: undefined,
          fileAncestor: ancestor,
          parentExists: false,
        };
      }
      current = join(current, component);
      const next = await statIfPresent(current);
      if (next === undefined) {
        const parentExists = index === components.length - 1;
        const local = this.localPath(path);
        return { path, local, stat: undefined, fileAncestor: undefined, parentExists };
      }
      found = next;
    }
    return {
      path,
      local: current,
      stat: found,
      fileAncestor: undefined,
      parentExists: true,
    };
  }

  /**
   * Raises what HDFS raises when an ancestor is a file: ParentNotDirectory for
   * an operation that creates names, AccessControlException for any other
   * (FSDirectory.resolvePath rethrows it so).
   */
  checkReachable(resolved: Resolved, creating: boolean): void {
    if (resolved.fileAncestor === undefined) return;
    const message = `${resolved.fileAncestor} (is not a directory)`;
    throw new HadoopException(
      creating ? 'ParentNotDirectoryException' : 'AccessControlException',
      message,
    );
  }

  /** FileStatus fields of an existing inode. */
  async statusOf(local: string, found: Stats, pathSuffix: string): Promise<InodeStatus> {
    const meta = this.inodes.describe(found);
    const directory = found.isDirectory();
    const modificationTime = Math.floor(found.mtimeMs);
    return {
      type: directory ? 'DIRECTORY' : 'FILE',
      pathSuffix,
      length: directory ? 0 : found.size,
      owner: meta.owner,
      group: meta.group,
      permission: meta.permission,
      // Directories have no access time in HDFS; a file's is set when it is
      // created (dfs.namenode.accesstime.precision is an hour).
      accessTime: directory ? 0 : modificationTime,
      modificationTime,
      blockSize: meta.blockSize,
      replication: meta.replication,
      fileId: meta.fileId,
      childrenNum: directory ? (await readdir(local)).length : 0,
    };
  }

  /** Whether a directory has any child. */
  async hasChildren(local: string): Promise<boolean> {
    return (await readdir(local)).length > 0;
  }

  /**
   * Creates the missing directories of `path` (all of them, when `path` is a
   * directory to make, or its ancestors only), owned by `owner`.
   */
  async makeDirectories(path: string, owner: string, permission: number): Promise<void> {
    let current = this.root;
    for (const component of splitHdfsPath(path)) {
      current = join(current, component);
      if ((await statIfPresent(current)) !== undefined) continue;
      await mkdir(current);
      this.inodes.record(await stat(current), {
        owner,
        permission,
        replication: 0,
        blockSize: 0,
      });
    }
  }

  /**
   * Drops the metadata and leases of everything at and under `local`, before
   * it is deleted or replaced, so a writer still streaming into a removed
   * file fails at close as it would in HDFS.
   */
  async forgetTree(local: string, found: Stats): Promise<void> {
    const key = inodeKey(found);
    this.inodes.forget(key);
    this.leases.remove(key);
    if (!found.isDirectory()) return;

    for (const name of await readdir(local)) {
      const child = join(local, name);
      const childStat = await statIfPresent(child);
      if (childStat !== undefined) await this.forgetTree(child, childStat);
    }
  }
}

/** `stat`, or undefined when the path does not exist. */
export async function statIfPresent(local: string): Promise<Stats | undefined> {
  try {
    return await stat(local);
  } catch (error) {
    if (isNodeError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
      return undefined;
    }
    throw error;
  }
}

/** Narrows an unknown error to a Node system error. */
export function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
