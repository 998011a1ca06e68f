/**
 * Opening files for writing and closing them, with HDFS's CREATE and APPEND
 * semantics (webhdfs-reference.md section 5.2) and its leases: the file is
 * visible at its path from the moment it is opened, growing as bytes arrive,
 * and stays under construction until its writer closes it or the lease is
 * recovered.
 */
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, unlink } from 'node:fs/promises';
import { parentOfHdfsPath } from '../hdfs/hdfs-path.js';
import { HadoopException } from './hadoop-exception.js';
import { DEFAULT_BLOCK_SIZE, DEFAULT_REPLICATION, inodeKey } from './inode-table.js';
import type { Lease } from './lease-table.js';
import type { NamespaceCore } from './namespace-core.js';
import {
  checkComponentLengths,
  checkPathLength,
  checkValidName,
  normalizeHdfsPath,
} from './path-rules.js';
import { checkWriteAccess, type WriteAccess } from './write-access.js';

/** dfs.namenode.fs-limits.min-block-size default. */
export const MIN_BLOCK_SIZE = 1048576;

/** Who writes: a DFSClient name and the host it runs on. */
export interface Writer {
  readonly holder: string;
  readonly clientMachine: string;
}

export interface CreateRequest extends Writer {
  readonly path: string;
  /** CreateFlag.CREATE: make the file when it does not exist. */
  readonly create: boolean;
  /** CreateFlag.OVERWRITE: replace the file when it exists. */
  readonly overwrite: boolean;
  readonly createParent: boolean;
  readonly owner: string;
  readonly permission?: number | undefined;
  readonly replication?: number | undefined;
  readonly blockSize?: number | undefined;
  /** Who creates it, for the `denyWrite` fault. */
  readonly access?: WriteAccess | undefined;
}

export interface AppendRequest extends Writer {
  readonly path: string;
  /** Who appends, for the `denyWrite` fault. */
  readonly access?: WriteAccess | undefined;
}

/** A file open for writing under a lease. */
export interface OpenFile extends Writer {
  /** The path it was opened at (it may have been renamed since). */
  readonly path: string;
  readonly key: string;
  readonly fileId: number;
  readonly handle: FileHandle;
  readonly blockSize: number;
  readonly replication: number;
  /** Bytes in the file; the writer adds what it writes. */
  length: number;
}

/** CREATE, as FSNamesystem.startFile and FSDirWriteFileOp.startFile order their checks. */
export async function startCreate(
  core: NamespaceCore,
  request: CreateRequest,
): Promise<OpenFile> {
  checkPathLength(request.path, 'create');
  checkValidName(request.path);
  const blockSize = request.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (blockSize < MIN_BLOCK_SIZE) {
    throw new HadoopException(
      'IOException',
      'Specified block size is less than configured minimum value ' +
        `(dfs.namenode.fs-limits.min-block-size): ${blockSize} < ${MIN_BLOCK_SIZE}`,
    );
  }
  const path = normalizeHdfsPath(request.path);

  return core.exclusive(async () => {
    const resolved = await core.resolve(path);
    core.checkReachable(resolved, true);
    await checkWriteAccess(core, path, request.access);

    if (resolved.stat?.isDirectory() === true) {
      throw new HadoopException(
        'FileAlreadyExistsException',
        `${path} already exists as a directory`,
      );
    }
    if (resolved.stat !== undefined && request.overwrite) {
      // HDFS deletes the old inode and adds a new one in the same operation,
      // even when another client still holds a lease on the old one.
      await core.forgetTree(resolved.local, resolved.stat);
      await unlink(resolved.local);
    } else if (resolved.stat !== undefined) {
      const lease = core.leases.get(inodeKey(resolved.stat));
      if (lease !== undefined) throw leaseConflict('CREATE_FILE', path, request, lease);
      throw new HadoopException(
        'FileAlreadyExistsException',
        `${path} for client ${request.clientMachine} already exists`,
      );
    } else {
      if (!request.createParent && !resolved.parentExists) {
        throw new HadoopException(
          'FileNotFoundException',
          `Parent directory doesn't exist: ${parentOfHdfsPath(path)}`,
        );
      }
      if (!request.create) {
        throw new HadoopException(
          'FileNotFoundException',
          `Can't overwrite non-existent ${path}`,
        );
      }
    }
    checkComponentLengths(path);

    await core.makeDirectories(parentOfHdfsPath(path), request.owner, 0o755);
    const handle = await open(resolved.local, 'wx');
    const found = await statOrClose(handle);
    const meta = core.inodes.record(found, {
      owner: request.owner,
      permission: request.permission ?? 0o644,
      replication: request.replication ?? DEFAULT_REPLICATION,
      blockSize,
    });
    return takeLease(core, path, handle, inodeKey(found), meta, request, 0);
  });
}

/** APPEND, as FSDirAppendOp.appendFile orders its checks. */
export async function startAppend(
  core: NamespaceCore,
  request: AppendRequest,
): Promise<OpenFile> {
  checkValidName(request.path);
  const path = normalizeHdfsPath(request.path);

  return core.exclusive(async () => {
    const resolved = await core.resolve(path);
    core.checkReachable(resolved, false);
    await checkWriteAccess(core, path, request.access, true);
    if (resolved.stat?.isDirectory() === true) {
      throw new HadoopException(
        'FileAlreadyExistsException',
        `Cannot append to directory ${path}; already exists as a directory.`,
      );
    }
    if (resolved.stat === undefined) {
      throw new HadoopException(
        'FileNotFoundException',
        `Failed to append to non-existent file ${path} for client ${request.clientMachine}`,
      );
    }
    const lease = core.leases.get(inodeKey(resolved.stat));
    if (lease !== undefined) throw leaseConflict('APPEND_FILE', path, request, lease);

    const handle = await open(resolved.local, 'a');
    const found = await statOrClose(handle);
    const meta = core.inodes.describe(found);
    return takeLease(core, path, handle, inodeKey(found), meta, request, found.size);
  });
}

/** The stat of a freshly opened file; the handle is closed if that fails. */
async function statOrClose(handle: FileHandle): Promise<Stats> {
  try {
    return await handle.stat();
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function takeLease(
  core: NamespaceCore,
  path: string,
  handle: FileHandle,
  key: string,
  meta: { fileId: number; blockSize: number; replication: number },
  writer: Writer,
  length: number,
): OpenFile {
  core.leases.add({
    key,
    holder: writer.holder,
    clientMachine: writer.clientMachine,
    path,
  });
  return {
    path,
    key,
    fileId: meta.fileId,
    handle,
    blockSize: meta.blockSize,
    replication: meta.replication,
    holder: writer.holder,
    clientMachine: writer.clientMachine,
    length,
  };
}

/** FSNamesystem.recoverLeaseInternal's message when another client holds the lease. */
function leaseConflict(
  operation: string,
  path: string,
  writer: Writer,
  lease: Lease,
): HadoopException {
  return new HadoopException(
    'AlreadyBeingCreatedException',
    `Failed to ${operation} ${path} for ${writer.holder} on ${writer.clientMachine} ` +
      `because this file lease is currently owned by ${lease.holder} on ` +
      lease.clientMachine,
  );
}
