/**
 * The read side of the namespace: file status, listings, and the files the
 * DataNode role streams or checksums.
 */
import { Buffer } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HadoopException } from './hadoop-exception.js';
import { inodeKey } from './inode-table.js';
import type { InodeStatus } from './json-shapes.js';
import { statIfPresent, type NamespaceCore } from './namespace-core.js';
import { checkValidName, normalizeHdfsPath } from './path-rules.js';

/**
 * getFileInfo: the status of a path, or undefined when nothing is there. An
 * ancestor that is a file is an AccessControlException, as for every
 * operation that does not create names.
 */
export async function fileInfo(
  core: NamespaceCore,
  rawPath: string,
): Promise<InodeStatus | undefined> {
  checkValidName(rawPath);
  const path = normalizeHdfsPath(rawPath);

  return core.exclusive(async () => {
    const resolved = await core.resolve(path);
    core.checkReachable(resolved, false);
    if (resolved.stat === undefined) return undefined;
    return core.statusOf(resolved.local, resolved.stat, '');
  });
}

/**
 * getListing: a directory's children ordered as HDFS orders them (by the
 * bytes of their UTF-8 names), or a file's own status; undefined when the
 * path does not exist.
 */
export async function listing(
  core: NamespaceCore,
  rawPath: string,
): Promise<InodeStatus[] | undefined> {
  checkValidName(rawPath);
  const path = normalizeHdfsPath(rawPath);

  return core.exclusive(async () => {
    const resolved = await core.resolve(path);
    core.checkReachable(resolved, false);
    if (resolved.stat === undefined) return undefined;
    if (!resolved.stat.isDirectory()) {
      return [await core.statusOf(resolved.local, resolved.stat, '')];
    }

    const names = (await readdir(resolved.local)).sort((a, b) =>
      Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    const entries: InodeStatus[] = [];
    for (const name of names) {
      const local = join(resolved.local, name);
      // A child deleted behind the server's back between readdir and stat is
      // simply not listed, as if the listing had been taken a moment later.
      const found = await statIfPresent(local);
      if (found !== undefined) entries.push(await core.statusOf(local, found, name));
    }
    return entries;
  });
}

/** A file opened for OPEN, with the length visible when it was opened. */
export interface ReadableFile {
  readonly handle: FileHandle;
  readonly length: number;
}

/**
 * Opens a file for reading at the DataNode. A file under construction is
 * readable up to what it holds now, as HDFS readers see the visible length.
 */
export async function openForRead(
  core: NamespaceCore,
  rawPath: string,
): Promise<ReadableFile> {
  checkValidName(rawPath);
  const path = normalizeHdfsPath(rawPath);

  return core.exclusive(async () => {
    const resolved = await checkIsFile(core, path);
    const handle = await open(resolved.local, 'r');
    return { handle, length: resolved.size };
  });
}

/** The local file behind a closed HDFS file and its block size, for GETFILECHECKSUM. */
export async function checksumSource(
  core: NamespaceCore,
  rawPath: string,
): Promise<{ local: string; blockSize: number }> {
  checkValidName(rawPath);
  const path = normalizeHdfsPath(rawPath);

  return core.exclusive(async () => {
    const resolved = await checkIsFile(core, path);
    if (core.leases.get(resolved.key) !== undefined) {
      throw new HadoopException(
        'IOException',
        `Fail to get checksum, since file ${path} is under construction.`,
      );
    }
    return {
      local: resolved.local,
      blockSize: core.inodes.describe(resolved.stat).blockSize,
    };
  });
}

/** What DFSClient's getBlockLocations demands: an existing file. */
async function checkIsFile(core: NamespaceCore, path: string) {
  const resolved = await core.resolve(path);
  core.checkReachable(resolved, false);
  const found = resolved.stat;
  if (found === undefined) {
    throw new HadoopException('FileNotFoundException', `File does not exist: ${path}`);
  }
  if (found.isDirectory()) {
    throw new HadoopException('FileNotFoundException', `Path is not a file: ${path}`);
  }
  return { local: resolved.local, stat: found, size: found.size, key: inodeKey(found) };
}
