import { InvalidHdfsPathError } from '../errors.js';

/** HdfsServerConstants.MAX_PATH_LENGTH: longer paths are refused ("Pathname too long"). */
export const MAX_PATH_LENGTH = 8000;
/** HdfsServerConstants.MAX_PATH_DEPTH. */
export const MAX_PATH_DEPTH = 1000;
/** dfs.namenode.fs-limits.max-component-length default, in UTF-8 bytes. */
export const MAX_COMPONENT_BYTES = 255;

/**
 * Checks a path against the rules HDFS applies (webhdfs-reference.md section 9)
 * and returns it, so that a bad name fails here with a clear reason instead of
 * as a 400 or 403 from the NameNode. A trailing `/` is allowed, as in HDFS.
 */
export function validateHdfsPath(path: string): string {
  const reason = findPathProblem(path);
  if (reason !== undefined) throw new InvalidHdfsPathError(path, reason);
  return path;
}

/** The reason `path` is not a valid HDFS path, or undefined when it is. */
export function findPathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string') return 'a path must be a string';
  if (!path.startsWith('/')) return 'it must be absolute (start with "/")';
  if (path.length > MAX_PATH_LENGTH)
    return `it is longer than ${MAX_PATH_LENGTH} characters`;

  const components = splitHdfsPath(path);
  if (path.slice(1, path.endsWith('/') ? -1 : undefined).includes('//')) {
    return 'it contains an empty component ("//")';
  }
  if (components.length > MAX_PATH_DEPTH)
    return `it is deeper than ${MAX_PATH_DEPTH} levels`;

  for (const [index, component] of components.entries()) {
    const problem = findComponentProblem(component);
    if (problem !== undefined) return `component ${JSON.stringify(component)} ${problem}`;
    if (index === 0 && component === '.reserved')
      return '"/.reserved" is reserved by HDFS';
  }
  return undefined;
}

/** The reason a single name cannot be an HDFS path component, or undefined. */
export function findComponentProblem(component: string): string | undefined {
  if (component === '') return 'is empty';
  if (component === '.' || component === '..') return 'is a relative reference';
  if (component.includes(':')) return 'contains ":", which HDFS forbids in a name';
  if (component.includes('/')) return 'contains "/"';
  if (component === '.snapshot') return 'is reserved by HDFS (".snapshot")';
  if (component.includes('\0')) return 'contains a NUL character';
  if (Buffer.byteLength(component, 'utf8') > MAX_COMPONENT_BYTES) {
    return `is longer than ${MAX_COMPONENT_BYTES} bytes`;
  }
  return undefined;
}

/** The components of an absolute path; `/` has none. */
export function splitHdfsPath(path: string): string[] {
  return path.split('/').filter((component) => component !== '');
}

/** Joins a directory and a name into a normalised absolute path. */
export function joinHdfsPath(directory: string, ...names: string[]): string {
  const parts = [...splitHdfsPath(directory), ...names.flatMap(splitHdfsPath)];
  return `/${parts.join('/')}`;
}

/** The parent directory of an absolute path (`/` for a top-level name). */
export function parentOfHdfsPath(path: string): string {
  const parts = splitHdfsPath(path);
  return `/${parts.slice(0, -1).join('/')}`;
}

/** The last component of an absolute path (`''` for `/`). */
export function baseNameOfHdfsPath(path: string): string {
  return splitHdfsPath(path).at(-1) ?? '';
}

/** Encodes a path for a WebHDFS URL: each component percent-encoded, `/` kept. */
export function encodeHdfsPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
