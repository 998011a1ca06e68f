/**
 * An HDFS namespace backed by a local directory: every file and directory is
 * real, at its HDFS path under `root`, so tests and tools can look at it with
 * `fs`; what HDFS keeps beside the data (owner, permission, replication,
 * block size, fileId, leases) lives in memory. Two servers may share one
 * namespace and act as the NameNodes of an HA pair.
 */
import { EventEmitter } from 'node:events';
import { mkdir, rm, stat } from 'node:fs/promises';
import { resolve as resolveLocal } from 'node:path';
import { InvalidOptionError } from '../errors.js';
import { HadoopException } from './hadoop-exception.js';
import type { InodeStatus } from './json-shapes.js';
import { NamespaceCore } from './namespace-core.js';
import {
  checksumSource,
  fileInfo,
  listing,
  openForRead,
  type ReadableFile,
} from './namespace-reads.js';
import { renameLegacy, renameWithOptions } from './namespace-rename.js';
import { abandonFile, completeFile } from './namespace-completion.js';
import {
  startAppend,
  startCreate,
  type AppendRequest,
  type CreateRequest,
  type OpenFile,
} from './namespace-writes.js';
import { checkBlockAllocation } from './quota.js';
import { checkCreatablePath, checkValidName, normalizeHdfsPath } from './path-rules.js';
import { checkWriteAccess, type WriteAccess } from './write-access.js';

export interface DevNamespaceOptions {
  /** Local directory served as HDFS `/`; created when missing. */
  root: string;
  /**
   * Logical nameservice id, used as `namenoderpcaddress` by servers sharing
   * this namespace (HA). Without it each server uses its own `host:port`.
   */
  nameserviceId?: string;
}

export interface DevNamespaceEvents {
  /** A lease abandoned by a vanished writer was recovered: the file is closed. */
  leaseRecovered: [{ path: string; holder: string }];
}

export class DevNamespace extends EventEmitter<DevNamespaceEvents> {
  readonly root: string;
  readonly nameserviceId: string | undefined;
  readonly #core: NamespaceCore;
  readonly #haStates = new Map<object, 'active' | 'standby'>();

  private constructor(core: NamespaceCore, nameserviceId: string | undefined) {
    super();
    this.root = core.root;
    this.#core = core;
    this.nameserviceId = nameserviceId;
  }

  /** Opens (and creates when missing) a namespace rooted at `options.root`. */
  static async open(options: DevNamespaceOptions): Promise<DevNamespace> {
    if (typeof options.root !== 'string' || options.root === '') {
      throw new InvalidOptionError('root', 'a directory path', options.root);
    }
    const root = resolveLocal(options.root);
    await mkdir(root, { recursive: true });
    const core = new NamespaceCore(root);
    core.inodes.registerRoot(await stat(root));
    return new DevNamespace(core, options.nameserviceId);
  }

  /** GETFILESTATUS: FileNotFoundException when nothing is at `path`. */
  async getFileStatus(path: string): Promise<InodeStatus> {
    const status = await fileInfo(this.#core, path);
    if (status !== undefined) return status;
    throw new HadoopException('FileNotFoundException', `File does not exist: ${path}`);
  }

  /** The status of `path`, or undefined when nothing is there. */
  getFileInfo(path: string): Promise<InodeStatus | undefined> {
    return fileInfo(this.#core, path);
  }

  /** LISTSTATUS: a directory's children, or a file's own status. */
  async listStatus(path: string): Promise<InodeStatus[]> {
    const entries = await listing(this.#core, path);
    if (entries !== undefined) return entries;
    throw new HadoopException('FileNotFoundException', `File ${path} does not exist.`);
  }

  /**
   * MKDIRS: always creates parents; true when the directory exists afterwards.
   * `access` names the user for the `denyWrite` fault.
   */
  async mkdirs(
    path: string,
    owner: string,
    permission = 0o755,
    access?: WriteAccess,
  ): Promise<boolean> {
    checkCreatablePath(path, 'mkdirs');
    const normalized = normalizeHdfsPath(path);

    return this.#core.exclusive(async () => {
      const resolved = await this.#core.resolve(normalized);
      this.#core.checkReachable(resolved, true);
      if (resolved.stat?.isDirectory() === false) {
        throw new HadoopException(
          'FileAlreadyExistsException',
          `Path is not a directory: ${normalized}`,
        );
      }
      // FSDirMkdirOp checks the ancestor's permission only to add a name.
      if (resolved.stat === undefined) {
        await checkWriteAccess(this.#core, normalized, access);
      }
      await this.#core.makeDirectories(normalized, owner, permission);
      return true;
    });
  }

  /**
   * DELETE: false when nothing is there or for the root; a non-empty
   * directory needs `recursive` (PathIsNotEmptyDirectoryException otherwise).
   */
  async delete(path: string, recursive: boolean, access?: WriteAccess): Promise<boolean> {
    checkValidName(path);
    const normalized = normalizeHdfsPath(path);

    return this.#core.exclusive(async () => {
      const resolved = await this.#core.resolve(normalized);
      this.#core.checkReachable(resolved, false);
      const found = resolved.stat;
      if (
        found?.isDirectory() === true &&
        !recursive &&
        (await this.#core.hasChildren(resolved.local))
      ) {
        throw new HadoopException(
          'PathIsNotEmptyDirectoryException',
          `\`${normalized} is non empty': Directory is not empty`,
        );
      }
      await checkWriteAccess(this.#core, normalized, access);
      if (found === undefined || normalized === '/') return false;

      await this.#core.forgetTree(resolved.local, found);
      await rm(resolved.local, { recursive: true });
      return true;
    });
  }

  /** RENAME without options: `{"boolean":…}` semantics. */
  rename(source: string, destination: string, access?: WriteAccess): Promise<boolean> {
    return renameLegacy(this.#core, source, destination, access);
  }

  /** RENAME with `renameoptions`: typed exceptions, OVERWRITE replaces. */
  renameWithOptions(
    source: string,
    destination: string,
    overwrite: boolean,
    access?: WriteAccess,
  ): Promise<void> {
    return renameWithOptions(this.#core, source, destination, overwrite, access);
  }

  /** Opens a new file for writing under a lease (the DataNode's CREATE). */
  startCreate(request: CreateRequest): Promise<OpenFile> {
    return startCreate(this.#core, request);
  }

  /** Reopens a closed file for appending under a lease (the DataNode's APPEND). */
  startAppend(request: AppendRequest): Promise<OpenFile> {
    return startAppend(this.#core, request);
  }

  /** Closes a file whose writer finished; fails if the file was deleted meanwhile. */
  complete(file: OpenFile): Promise<void> {
    return completeFile(this.#core, file);
  }

  /** The writer vanished: keep the lease for `softLimitMs`, then recover it. */
  abandon(file: OpenFile, softLimitMs: number): Promise<void> {
    return abandonFile(this.#core, file, softLimitMs, (lease) => {
      this.emit('leaseRecovered', { path: lease.path, holder: lease.holder });
    });
  }

  /** Raises DSQuotaExceededException if one more block would pass `quotaBytes`. */
  checkBlockAllocation(quotaBytes: number, file: OpenFile): Promise<void> {
    return checkBlockAllocation(this.#core, quotaBytes, file);
  }

  /** Opens a file for the DataNode's OPEN. */
  openForRead(path: string): Promise<ReadableFile> {
    return openForRead(this.#core, path);
  }

  /** The local file and block size behind a closed file, for GETFILECHECKSUM. */
  checksumSource(path: string): Promise<{ local: string; blockSize: number }> {
    return checksumSource(this.#core, path);
  }

  /** The DFSClient holding the lease on the file at `path`, if it is under construction. */
  leaseHolder(path: string): string | undefined {
    return this.#core.leases.atPath(normalizeHdfsPath(path))?.holder;
  }

  /** Records the HA state of a server using this namespace (undefined: it left). */
  setServerState(server: object, state: 'active' | 'standby' | undefined): void {
    if (state === undefined) this.#haStates.delete(server);
    else this.#haStates.set(server, state);
  }

  /**
   * Whether some NameNode of this namespace is active: a DataNode's DFSClient
   * fails over to it, so DataNode writes work whichever NameNode sent them.
   */
  hasActiveNameNode(): boolean {
    return [...this.#haStates.values()].includes('active');
  }

  /** Cancels pending lease recoveries; call when nothing serves the namespace any more. */
  close(): void {
    this.#core.leases.stopRecoveries();
  }
}
