/**
 * HDFS's path rules as the NameNode enforces them (webhdfs-reference.md
 * section 9), raising the exception class and message shape Hadoop uses, so
 * that a client sees the same 400 or 403 it would get from a real cluster.
 */
import {
  MAX_COMPONENT_BYTES,
  MAX_PATH_DEPTH,
  MAX_PATH_LENGTH,
  splitHdfsPath,
} from '../hdfs/hdfs-path.js';
import { HadoopException } from './hadoop-exception.js';

/**
 * DFSUtilClient.isValidName: absolute; no `.`, `..` or `:` components; no
 * empty component in the middle (a leading or trailing `/` is fine).
 */
function isValidHdfsName(path: string): boolean {
  if (!path.startsWith('/')) return false;
  const components = path.split('/');
  for (const [index, component] of components.entries()) {
    if (component === '.' || component === '..' || component.includes(':')) return false;
    const atEdge = index === 0 || index === components.length - 1;
    if (component === '' && !atEdge) return false;
  }
  return true;
}

/**
 * Rejects a name no HDFS inode can have: InvalidPathException (400) for a bad
 * name or anything under `/.reserved`, HadoopIllegalArgumentException (400)
 * for a `.snapshot` component.
 */
export function checkValidName(path: string): void {
  if (!isValidHdfsName(path)) {
    throw new HadoopException('InvalidPathException', `Invalid path name ${path}`);
  }
  const components = splitHdfsPath(path);
  // HDFS would take a NUL in a name; no local file system can hold one, so
  // the dev server refuses it the way it refuses any other impossible name.
  if (path.includes('\0')) {
    throw new HadoopException('InvalidPathException', `Invalid path name ${path}`);
  }
  // The dev server cannot serve /.reserved/.inodes or /.reserved/raw; HDFS
  // refuses every other name under /.reserved the same way.
  if (components[0] === '.reserved') {
    throw new HadoopException('InvalidPathException', `Invalid path name ${path}`);
  }
  if (components.includes('.snapshot')) {
    throw new HadoopException(
      'HadoopIllegalArgumentException',
      '".snapshot" is a reserved name.',
    );
  }
}

/**
 * The checks HDFS makes before it adds names to the namespace (CREATE,
 * MKDIRS, the RENAME destination): NameNodeRpcServer's length and depth limit
 * first, then the name rules, then the component length limit.
 */
export function checkCreatablePath(path: string, rpcName: string): void {
  checkPathLength(path, rpcName);
  checkValidName(path);
  checkComponentLengths(path);
}

/**
 * NameNodeRpcServer.checkPathLength for create, mkdirs and rename: more than
 * 8000 characters or 1000 levels is an IOException (403).
 */
export function checkPathLength(path: string, rpcName: string): void {
  if (path.length > MAX_PATH_LENGTH || splitHdfsPath(path).length > MAX_PATH_DEPTH) {
    throw new HadoopException(
      'IOException',
      `${rpcName}: Pathname too long.  Limit ${MAX_PATH_LENGTH} characters, ` +
        `${MAX_PATH_DEPTH} levels.`,
    );
  }
}

/**
 * dfs.namenode.fs-limits.max-component-length: a name over 255 UTF-8 bytes is
 * a PathComponentTooLongException (403) when HDFS is about to add it.
 */
export function checkComponentLengths(path: string): void {
  let parent = '/';
  for (const component of splitHdfsPath(path)) {
    const bytes = Buffer.byteLength(component, 'utf8');
    if (bytes > MAX_COMPONENT_BYTES) {
      throw new HadoopException(
        'PathComponentTooLongException',
        `The maximum path component name limit of ${component} in directory ${parent} ` +
          `is exceeded: limit=${MAX_COMPONENT_BYTES} length=${bytes}`,
      );
    }
    parent = parent === '/' ? `/${component}` : `${parent}/${component}`;
  }
}

/** A valid path without its trailing `/` (`/` stays `/`). */
export function normalizeHdfsPath(path: string): string {
  return `/${splitHdfsPath(path).join('/')}`;
}

/**
 * The RENAME `destination` parameter as Hadoop's DestinationParam reads it:
 * it must be absolute (else 400), and `new Path(…)` then collapses `//`,
 * drops a trailing `/` and resolves `.` and `..` the way java.net.URI
 * normalises, leaving a `..` above the root in place (so the name check
 * rejects it afterwards).
 */
export function normalizeDestination(value: string): string {
  if (!value.startsWith('/')) {
    throw new HadoopException(
      'IllegalArgumentException',
      'Invalid value for webhdfs parameter "destination": Invalid parameter value: ' +
        `destination = "${value}" is not an absolute path.`,
    );
  }
  const kept: string[] = [];
  for (const component of splitHdfsPath(value)) {
    if (component === '.') continue;
    if (component === '..' && kept.length > 0 && kept.at(-1) !== '..') kept.pop();
    else kept.push(component);
  }
  return `/${kept.join('/')}`;
}
