/**
 * The `denyWrite` fault: the dev server keeps no permission model, so a
 * missing write permission is injected for chosen paths, and answered as
 * FSPermissionChecker would (webhdfs-reference.md §5.1, row "No write
 * permission": AccessControlException, 403).
 */
import { stat } from 'node:fs/promises';
import { parentOfHdfsPath, splitHdfsPath } from '../hdfs/hdfs-path.js';
import { HadoopException } from './hadoop-exception.js';
import { statIfPresent, type NamespaceCore } from './namespace-core.js';

/** Who writes, and where the `denyWrite` fault says they may not. */
export interface WriteAccess {
  /** The user the request acts as (`doas` when given). */
  readonly user: string;
  /** Paths at or under which every write is refused. */
  readonly denied: readonly string[];
}

/** Whether `path` (normalised) is one of `denied` or lies under one. */
export function isWriteDenied(path: string, denied: readonly string[]): boolean {
  return denied.some((prefix) => {
    const base = `/${splitHdfsPath(prefix).join('/')}`;
    return base === '/' || path === base || path.startsWith(`${base}/`);
  });
}

/**
 * Raises the AccessControlException of a write to `path` when it is denied.
 * It names the inode whose permission HDFS checks, with its owner, group and
 * mode: the nearest existing ancestor (checkAncestorAccess, for names being
 * added or removed), or with `ofPath` the path itself when it exists
 * (checkPathAccess, for APPEND).
 */
export async function checkWriteAccess(
  core: NamespaceCore,
  path: string,
  access: WriteAccess | undefined,
  ofPath = false,
): Promise<void> {
  if (access === undefined || !isWriteDenied(path, access.denied)) return;

  let inode = ofPath ? path : parentOfHdfsPath(path);
  let found = await statIfPresent(core.localPath(inode));
  while (found === undefined && inode !== '/') {
    inode = parentOfHdfsPath(inode);
    found = await statIfPresent(core.localPath(inode));
  }
  // The root always exists; a root removed behind the server's back fails here.
  const checked = found ?? (await stat(core.root));
  const meta = core.inodes.describe(checked);
  const type = checked.isDirectory() ? 'd' : '-';
  throw new HadoopException(
    'AccessControlException',
    `Permission denied: user=${access.user}, access=WRITE, inode="${inode}":` +
      `${meta.owner}:${meta.group}:${type}${symbolicMode(meta.permission)}`,
  );
}

/** FsPermission.toString: `rwxr-xr-x`, the sticky bit as `t` or `T`. */
export function symbolicMode(permission: number): string {
  let text = '';
  for (const shift of [6, 3, 0]) {
    const bits = (permission >> shift) & 0o7;
    text += `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${bits & 1 ? 'x' : '-'}`;
  }
  if ((permission & 0o1000) === 0) return text;
  return text.slice(0, -1) + (permission & 0o1 ? 't' : 'T');
}
