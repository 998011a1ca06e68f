import {
  AbortError,
  InvalidHdfsPathError,
  KerberosError,
  LocalStoreError,
  PublishConflictError,
  VerificationError,
  UploadSourceError,
  WebHdfsAuthError,
  WebHdfsDowngradeError,
  WebHdfsHttpError,
  WebHdfsNetworkError,
  WebHdfsProtocolError,
  WebHdfsRemoteError,
  WebHdfsTimeoutError,
  WebHdfsTlsError,
} from '../errors.js';

/**
 * What a caller should do about a failed WebHDFS request:
 * - `retry`: try again after a backoff (network faults, timeouts, 5xx, a busy
 *   or starting NameNode);
 * - `failover`: this NameNode is not the active one or cannot be reached;
 *   another NameNode may answer now, this one later;
 * - `lease`: another client holds the file's lease; retry after the soft lease
 *   limit (60 s), when the NameNode may recover it;
 * - `permanent`: retrying cannot help until configuration or the cluster
 *   changes (permissions, quota, invalid path, an unexpected existing file).
 */
export type ErrorClass = 'retry' | 'failover' | 'lease' | 'permanent';

/** RemoteException simple names, as Hadoop's RetryPolicies and WebHdfsFileSystem treat them. */
const REMOTE_CLASSES: Readonly<Record<string, ErrorClass>> = {
  RetriableException: 'retry',
  SafeModeException: 'retry',
  StandbyException: 'failover',
  ObserverRetryOnActiveException: 'failover',
  AlreadyBeingCreatedException: 'lease',
  RecoveryInProgressException: 'lease',
  AccessControlException: 'permanent',
  AuthorizationException: 'permanent',
  SecurityException: 'permanent',
  InvalidToken: 'permanent',
  QuotaExceededException: 'permanent',
  DSQuotaExceededException: 'permanent',
  NSQuotaExceededException: 'permanent',
  PathComponentTooLongException: 'permanent',
  MaxDirectoryItemsExceededException: 'permanent',
  InvalidPathException: 'permanent',
  HadoopIllegalArgumentException: 'permanent',
  IllegalArgumentException: 'permanent',
  UnsupportedOperationException: 'permanent',
  FileAlreadyExistsException: 'permanent',
  ParentNotDirectoryException: 'permanent',
  PathIsNotEmptyDirectoryException: 'permanent',
  FileNotFoundException: 'permanent',
  SnapshotAccessControlException: 'permanent',
};

/**
 * Local store (`file://` destination) failures that retrying cannot mend:
 * permissions, a read-only or link-less file system, a name in the way.
 */
const LOCAL_PERMANENT_CODES = new Set([
  ...['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG'],
  ...['EEXIST', 'ENOTEMPTY', 'ELOOP', 'EXDEV', 'ENOTSUP', 'EOPNOTSUPP'],
]);

/** Connection failures where nothing reached the server: another NameNode may answer. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
]);

/** Classifies any error a WebHDFS call can throw. Unknown errors are `retry`. */
export function classifyError(error: unknown): ErrorClass {
  if (error instanceof WebHdfsRemoteError) {
    const known = REMOTE_CLASSES[error.exception];
    if (known !== undefined) return known;
    // An IOException we do not know (e.g. "Failed to find datanode") is usually passing.
    return error.status === 400 ? 'permanent' : 'retry';
  }
  if (error instanceof WebHdfsHttpError) return classifyStatus(error.status);
  if (error instanceof WebHdfsNetworkError) {
    return error.role === 'namenode' && UNREACHABLE_CODES.has(error.syscallCode)
      ? 'failover'
      : 'retry';
  }
  if (error instanceof WebHdfsTimeoutError) {
    return error.role === 'namenode' && error.timeout === 'connect'
      ? 'failover'
      : 'retry';
  }
  if (error instanceof LocalStoreError) {
    return LOCAL_PERMANENT_CODES.has(error.syscallCode) ? 'permanent' : 'retry';
  }
  if (error instanceof InvalidHdfsPathError) return 'permanent';
  // Credentials, certificates and a cluster that drops TLS do not mend by
  // themselves within a cycle; the segments wait, and the next cycle tries again.
  if (
    error instanceof KerberosError ||
    error instanceof WebHdfsTlsError ||
    error instanceof WebHdfsAuthError ||
    error instanceof WebHdfsDowngradeError
  ) {
    return 'permanent';
  }
  // Another file at the final name, or a published file that differs: retrying cannot help.
  if (error instanceof PublishConflictError || error instanceof VerificationError) {
    return 'permanent';
  }
  if (error instanceof WebHdfsProtocolError) return 'retry';
  if (error instanceof AbortError || error instanceof UploadSourceError)
    return 'permanent';
  return 'retry';
}

function classifyStatus(status: number): ErrorClass {
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  // 401 is an authentication failure: Hadoop's client never retries it.
  return 'permanent';
}

/** True when `error` is a RemoteException of the given simple class name. */
export function isRemoteException(
  error: unknown,
  exception: string,
): error is WebHdfsRemoteError {
  return error instanceof WebHdfsRemoteError && error.exception === exception;
}
