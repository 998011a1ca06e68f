/**
 * RENAME in its two WebHDFS forms (webhdfs-reference.md section 5.1), with
 * the checks in the order FSDirRenameOp makes them:
 * - without `renameoptions` (ClientProtocol.rename) most failures are a
 *   `false` answer, and an existing destination directory receives the
 *   source as a child;
 * - with `renameoptions` (rename2) every failure is a typed exception and the
 *   destination is taken literally, replaced only with OVERWRITE.
 */
import { rename as renameOnDisk } from 'node:fs/promises';
import { baseNameOfHdfsPath, joinHdfsPath } from '../hdfs/hdfs-path.js';
import { HadoopException } from './hadoop-exception.js';
import type { NamespaceCore, Resolved } from './namespace-core.js';
import {
  checkComponentLengths,
  checkPathLength,
  checkValidName,
  normalizeHdfsPath,
} from './path-rules.js';
import { checkWriteAccess, type WriteAccess } from './write-access.js';

/** Both paths resolved. */
interface RenameEnds {
  readonly source: Resolved;
  readonly destination: Resolved;
}

/** The old rename: `true`, or `false` for every case HDFS swallows. */
export async function renameLegacy(
  core: NamespaceCore,
  sourcePath: string,
  destinationPath: string,
  access?: WriteAccess,
): Promise<boolean> {
  const names = checkNames(sourcePath, destinationPath);

  return core.exclusive(async () => {
    const { source: src, destination } = await resolveEnds(core, names);
    if (src.stat === undefined || src.path === '/') return false;

    // An existing directory receives the source as a child (dstForRenameTo).
    let dst = destination;
    if (dst.stat?.isDirectory() === true) {
      dst = await core.resolve(joinHdfsPath(dst.path, baseNameOfHdfsPath(src.path)));
    }
    await checkAccess(core, src, dst, access);
    if (dst.path === src.path) return true;
    if (isUnder(dst.path, src.path)) return false;
    if (dst.stat !== undefined || !dst.parentExists) return false;

    checkComponentLengths(dst.path);
    await moveOnDisk(core, src, dst);
    return true;
  });
}

/** rename2 (renameoptions NONE, OVERWRITE or TO_TRASH): throws on every conflict. */
export async function renameWithOptions(
  core: NamespaceCore,
  sourcePath: string,
  destinationPath: string,
  overwrite: boolean,
  access?: WriteAccess,
): Promise<void> {
  const names = checkNames(sourcePath, destinationPath);

  await core.exclusive(async () => {
    const { source: src, destination: dst } = await resolveEnds(core, names);
    await checkAccess(core, src, dst, access);
    if (src.stat === undefined) {
      throw new HadoopException(
        'FileNotFoundException',
        `rename source ${src.path} is not found.`,
      );
    }
    if (src.path === '/') {
      throw new HadoopException('IOException', 'rename source cannot be the root');
    }
    if (dst.path === src.path) {
      throw new HadoopException(
        'FileAlreadyExistsException',
        `The source ${src.path} and destination ${dst.path} are the same`,
      );
    }
    if (isUnder(dst.path, src.path)) {
      throw new HadoopException(
        'IOException',
        `Rename destination ${dst.path} is a directory or file under source ${src.path}`,
      );
    }
    if (dst.path === '/') {
      throw new HadoopException('IOException', 'rename destination cannot be the root');
    }
    if (dst.stat !== undefined) await checkReplaceable(core, src, dst, overwrite);
    if (!dst.parentExists) {
      throw new HadoopException(
        'FileNotFoundException',
        `rename destination parent ${dst.path} not found.`,
      );
    }

    checkComponentLengths(dst.path);
    if (dst.stat !== undefined) await core.forgetTree(dst.local, dst.stat);
    // rename(2) replaces a file or an empty directory atomically, which is
    // exactly the OVERWRITE case that got this far.
    await moveOnDisk(core, src, dst);
  });
}

/** FSDirRenameOp.validateOverwrite. */
async function checkReplaceable(
  core: NamespaceCore,
  src: Resolved,
  dst: Resolved,
  overwrite: boolean,
): Promise<void> {
  const dstIsDirectory = dst.stat?.isDirectory() === true;
  if (dstIsDirectory !== (src.stat?.isDirectory() === true)) {
    throw new HadoopException(
      'IOException',
      `Source ${src.path} and destination ${dst.path} must both be directories`,
    );
  }
  if (!overwrite) {
    throw new HadoopException(
      'FileAlreadyExistsException',
      `rename destination ${dst.path} already exists`,
    );
  }
  if (dstIsDirectory && (await core.hasChildren(dst.local))) {
    throw new HadoopException(
      'IOException',
      `rename destination directory is not empty: ${dst.path}`,
    );
  }
}

/**
 * The checks made before either form looks at the namespace: the
 * destination's length and name (NameNodeRpcServer, FSDirRenameOp), then the
 * source's name. Answers both paths normalised.
 */
function checkNames(sourcePath: string, destinationPath: string): [string, string] {
  checkPathLength(destinationPath, 'rename');
  checkValidName(destinationPath);
  checkValidName(sourcePath);
  return [normalizeHdfsPath(sourcePath), normalizeHdfsPath(destinationPath)];
}

/**
 * Resolves both ends. An ancestor that is a file makes the source
 * unreachable (AccessControlException) and the destination uncreatable
 * (ParentNotDirectoryException), before any other check.
 */
async function resolveEnds(
  core: NamespaceCore,
  [source, destination]: [string, string],
): Promise<RenameEnds> {
  const src = await core.resolve(source);
  core.checkReachable(src, false);
  const dst = await core.resolve(destination);
  core.checkReachable(dst, true);
  return { source: src, destination: dst };
}

/** FSDirRenameOp: write access to the source's parent, then to the destination's. */
async function checkAccess(
  core: NamespaceCore,
  src: Resolved,
  dst: Resolved,
  access: WriteAccess | undefined,
): Promise<void> {
  await checkWriteAccess(core, src.path, access);
  await checkWriteAccess(core, dst.path, access);
}

async function moveOnDisk(
  core: NamespaceCore,
  src: Resolved,
  dst: Resolved,
): Promise<void> {
  await renameOnDisk(src.local, dst.local);
  core.leases.rename(src.path, dst.path);
}

/** Whether `path` lies strictly under `ancestor`. */
function isUnder(path: string, ancestor: string): boolean {
  return ancestor === '/' ? path !== '/' : path.startsWith(`${ancestor}/`);
}
