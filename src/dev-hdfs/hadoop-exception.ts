/**
 * The Java exceptions the dev server answers with, as Hadoop serialises them
 * into a RemoteException body, and the HTTP status Hadoop derives from their
 * class hierarchy (webhdfs-reference.md section 4.1).
 */

/** Simple name → [fully-qualified class name, simple name of the superclass]. */
const CLASSES: Readonly<Record<string, readonly [string, string | undefined]>> = {
  Throwable: ['java.lang.Throwable', undefined],
  Exception: ['java.lang.Exception', 'Throwable'],
  RuntimeException: ['java.lang.RuntimeException', 'Exception'],
  NullPointerException: ['java.lang.NullPointerException', 'RuntimeException'],
  SecurityException: ['java.lang.SecurityException', 'RuntimeException'],
  IllegalArgumentException: ['java.lang.IllegalArgumentException', 'RuntimeException'],
  UnsupportedOperationException: [
    'java.lang.UnsupportedOperationException',
    'RuntimeException',
  ],
  HadoopIllegalArgumentException: [
    'org.apache.hadoop.HadoopIllegalArgumentException',
    'IllegalArgumentException',
  ],
  InvalidPathException: [
    'org.apache.hadoop.fs.InvalidPathException',
    'HadoopIllegalArgumentException',
  ],
  IOException: ['java.io.IOException', 'Exception'],
  EOFException: ['java.io.EOFException', 'IOException'],
  FileNotFoundException: ['java.io.FileNotFoundException', 'IOException'],
  AccessControlException: [
    'org.apache.hadoop.security.AccessControlException',
    'IOException',
  ],
  AuthorizationException: [
    'org.apache.hadoop.security.authorize.AuthorizationException',
    'AccessControlException',
  ],
  SnapshotAccessControlException: [
    'org.apache.hadoop.hdfs.protocol.SnapshotAccessControlException',
    'AccessControlException',
  ],
  InvalidToken: [
    'org.apache.hadoop.security.token.SecretManager$InvalidToken',
    'IOException',
  ],
  FileAlreadyExistsException: [
    'org.apache.hadoop.fs.FileAlreadyExistsException',
    'IOException',
  ],
  ParentNotDirectoryException: [
    'org.apache.hadoop.fs.ParentNotDirectoryException',
    'IOException',
  ],
  PathIOException: ['org.apache.hadoop.fs.PathIOException', 'IOException'],
  PathExistsException: ['org.apache.hadoop.fs.PathExistsException', 'PathIOException'],
  PathIsNotEmptyDirectoryException: [
    'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException',
    'PathExistsException',
  ],
  SafeModeException: [
    'org.apache.hadoop.hdfs.server.namenode.SafeModeException',
    'IOException',
  ],
  StandbyException: ['org.apache.hadoop.ipc.StandbyException', 'IOException'],
  ObserverRetryOnActiveException: [
    'org.apache.hadoop.ipc.ObserverRetryOnActiveException',
    'StandbyException',
  ],
  RetriableException: ['org.apache.hadoop.ipc.RetriableException', 'IOException'],
  AlreadyBeingCreatedException: [
    'org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException',
    'IOException',
  ],
  RecoveryInProgressException: [
    'org.apache.hadoop.hdfs.protocol.RecoveryInProgressException',
    'IOException',
  ],
  LeaseExpiredException: [
    'org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException',
    'IOException',
  ],
  ClusterStorageCapacityExceededException: [
    'org.apache.hadoop.fs.ClusterStorageCapacityExceededException',
    'IOException',
  ],
  QuotaExceededException: [
    'org.apache.hadoop.hdfs.protocol.QuotaExceededException',
    'ClusterStorageCapacityExceededException',
  ],
  DSQuotaExceededException: [
    'org.apache.hadoop.hdfs.protocol.DSQuotaExceededException',
    'QuotaExceededException',
  ],
  NSQuotaExceededException: [
    'org.apache.hadoop.hdfs.protocol.NSQuotaExceededException',
    'QuotaExceededException',
  ],
  FSLimitException: [
    'org.apache.hadoop.hdfs.protocol.FSLimitException',
    'QuotaExceededException',
  ],
  PathComponentTooLongException: [
    'org.apache.hadoop.hdfs.protocol.FSLimitException$PathComponentTooLongException',
    'FSLimitException',
  ],
};

/** Whether `name` is `ancestor` or one of its subclasses in {@link CLASSES}. */
function isSubclassOf(name: string, ancestor: string): boolean {
  for (let current: string | undefined = name; current !== undefined;) {
    if (current === ancestor) return true;
    current = CLASSES[current]?.[1];
  }
  return false;
}

/**
 * The status Hadoop's ExceptionHandler gives a class, checked in the handler's
 * order: a FileNotFoundException is also an IOException, so 404 must win.
 */
export function statusForException(simpleName: string): number {
  if (isSubclassOf(simpleName, 'SecurityException')) return 403;
  if (isSubclassOf(simpleName, 'AuthorizationException')) return 403;
  if (isSubclassOf(simpleName, 'FileNotFoundException')) return 404;
  if (isSubclassOf(simpleName, 'IOException')) return 403;
  if (isSubclassOf(simpleName, 'UnsupportedOperationException')) return 400;
  if (isSubclassOf(simpleName, 'IllegalArgumentException')) return 400;
  return 500;
}

/** Whether the server knows the class, so that its FQCN and status are real. */
export function isKnownException(simpleName: string): boolean {
  return simpleName in CLASSES;
}

/** The body of every WebHDFS error answer (JsonUtil.toJsonString(Exception)). */
export interface RemoteExceptionBody {
  RemoteException: { exception: string; javaClassName: string; message: string };
}

/**
 * A Java exception as the server would throw it. `exception` accepts a simple
 * name from the table above or a fully-qualified name (for fault injection of
 * classes the table does not know).
 */
export class HadoopException extends Error {
  /** Simple class name, e.g. `FileAlreadyExistsException`. */
  readonly exception: string;
  /** Fully-qualified class name, e.g. `org.apache.hadoop.fs.FileAlreadyExistsException`. */
  readonly javaClassName: string;
  /** HTTP status of the answer. */
  readonly status: number;

  constructor(exception: string, message: string, options?: { status?: number }) {
    super(message);
    this.name = 'HadoopException';
    const qualified = exception.includes('.');
    this.exception = qualified
      ? (exception.split(/[.$]/).at(-1) ?? exception)
      : exception;
    this.javaClassName = qualified ? exception : (CLASSES[exception]?.[0] ?? exception);
    this.status = options?.status ?? statusForException(this.exception);
  }

  /** The JSON body Hadoop sends for this exception. */
  toRemoteException(): RemoteExceptionBody {
    return {
      RemoteException: {
        exception: this.exception,
        javaClassName: this.javaClassName,
        message: this.message,
      },
    };
  }
}
