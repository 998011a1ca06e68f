/**
 * Reference cases that only a fault or a server setting can produce: the
 * rows of the exception → status mapping (§4.1, §4.2) for a cluster that is
 * in safe mode, standby, out of quota, holding a lease, denying a write or
 * failing, with the class the client's callers must see (`errorClass`).
 */
import { row, type ReferenceCase } from './reference-case.js';

const DENIED = { denyWrite: ['/locked'] };
const NO_WRITE = row('5.1', 'No write permission');
const ACE_ROW = row('4.1', '`AccessControlException`, `SnapshotAccessControlException`');
const LEASE_ROW = row(
  '4.1',
  '`AlreadyBeingCreatedException`, `RecoveryInProgressException` (lease conflicts…)',
);
const QUOTA_ROW = row(
  '4.1',
  '`ParentNotDirectoryException`, `PathIsNotEmptyDirectoryException`, quota and ' +
    '`PathComponentTooLongException`',
);

function standbyBody(category: 'READ' | 'WRITE'): unknown {
  return {
    RemoteException: {
      exception: 'StandbyException',
      javaClassName: 'org.apache.hadoop.ipc.StandbyException',
      message:
        `Operation category ${category} is not supported in state standby. ` +
        'Visit https://s.apache.org/sbnn-error',
    },
  };
}

export const permissionCases: ReferenceCase[] = [
  {
    title: 'RENAME into a directory without write permission is AccessControlException',
    cite: NO_WRITE,
    setup: [{ file: '/a', content: 'a' }, { dir: '/locked' }],
    faults: DENIED,
    request: { op: 'RENAME', path: '/a', params: { destination: '/locked/a' } },
    expect: { status: 403, exception: 'AccessControlException', errorClass: 'permanent' },
    after: { exists: ['/a'], missing: ['/locked/a'] },
  },
  {
    title: 'RENAME out of a directory without write permission is AccessControlException',
    cite: NO_WRITE,
    setup: [{ file: '/locked/a', content: 'a' }],
    faults: DENIED,
    request: { op: 'RENAME', path: '/locked/a', params: { destination: '/a' } },
    expect: { status: 403, exception: 'AccessControlException', errorClass: 'permanent' },
    after: { exists: ['/locked/a'], missing: ['/a'] },
  },
  {
    title: 'RENAME NONE without write permission is AccessControlException',
    cite: `${NO_WRITE} (rename2 checks the same permissions)`,
    setup: [{ file: '/a', content: 'a' }, { dir: '/locked' }],
    faults: DENIED,
    request: {
      op: 'RENAME',
      path: '/a',
      params: { destination: '/locked/a', renameoptions: 'NONE' },
    },
    expect: { status: 403, exception: 'AccessControlException', errorClass: 'permanent' },
    after: { exists: ['/a'], missing: ['/locked/a'] },
  },
  {
    title: 'CREATE without write permission is AccessControlException at the DataNode',
    cite: `${ACE_ROW}; §1.2: a failed create ("permission denied") is answered by the DN`,
    setup: [{ dir: '/locked' }],
    faults: DENIED,
    request: { op: 'CREATE', path: '/locked/f', body: 'data' },
    expect: { status: 403, exception: 'AccessControlException', errorClass: 'permanent' },
    after: { missing: ['/locked/f'] },
  },
  {
    title:
      'CREATE over a file without write permission is refused before FileAlreadyExists',
    cite: `${ACE_ROW}; §5.2 (the permission check comes with the path's resolution)`,
    setup: [{ file: '/locked/f', content: 'old' }],
    faults: DENIED,
    request: { op: 'CREATE', path: '/locked/f', body: 'new' },
    expect: { status: 403, exception: 'AccessControlException', errorClass: 'permanent' },
    after: { content: { '/locked/f': 'old' } },
  },
  {
    title: 'APPEND without write permission is AccessControlException',
    cite: `${ACE_ROW}; §1.2: a failed append is answered by the DN`,
    setup: [{ file: '/locked/f', content: 'ab' }],
    faults: DENIED,
    request: { op: 'APPEND', path: '/locked/f', body: 'cd' },
    expect: { status: 403, exception: 'AccessControlException', errorClass: 'permanent' },
    after: { content: { '/locked/f': 'ab' } },
  },
  {
    title: 'MKDIRS without write permission is AccessControlException',
    cite: ACE_ROW,
    setup: [{ dir: '/locked' }],
    faults: DENIED,
    request: { op: 'MKDIRS', path: '/locked/d' },
    expect: { status: 403, exception: 'AccessControlException', errorClass: 'permanent' },
    after: { missing: ['/locked/d'] },
  },
  {
    title: 'DELETE without write permission is AccessControlException',
    cite: ACE_ROW,
    setup: [{ file: '/locked/f', content: 'f' }],
    faults: DENIED,
    request: { op: 'DELETE', path: '/locked/f' },
    expect: { status: 403, exception: 'AccessControlException', errorClass: 'permanent' },
    after: { exists: ['/locked/f'] },
  },
];

export const clusterStateCases: ReferenceCase[] = [
  {
    title: 'MKDIRS in safe mode is SafeModeException',
    cite: row('4.1', '`SafeModeException` (IOException)'),
    setup: [],
    faults: { safeMode: true },
    request: { op: 'MKDIRS', path: '/s/d' },
    expect: { status: 403, exception: 'SafeModeException', errorClass: 'retry' },
    after: { missing: ['/s'] },
  },
  {
    title: 'CREATE in safe mode is SafeModeException at the DataNode',
    cite: row('4.1', '`SafeModeException` (IOException)'),
    setup: [],
    faults: { safeMode: true },
    request: { op: 'CREATE', path: '/s/f', body: 'data' },
    expect: { status: 403, exception: 'SafeModeException', errorClass: 'retry' },
    after: { missing: ['/s/f'] },
  },
  {
    title: 'A read at a standby NameNode is StandbyException (READ)',
    cite: `${row('4.1', '`StandbyException`, `ObserverRetryOnActiveException`')}; §4.2`,
    setup: [],
    server: { haState: 'standby' },
    request: { op: 'GETFILESTATUS', path: '/' },
    expect: { status: 403, json: standbyBody('READ'), errorClass: 'failover' },
  },
  {
    title: 'A write at a standby NameNode is StandbyException (WRITE)',
    cite: 'webhdfs-reference.md §4.2: "WRITE appears instead of READ for write ops"',
    setup: [],
    server: { haState: 'standby' },
    request: { op: 'MKDIRS', path: '/s/d' },
    expect: { status: 403, json: standbyBody('WRITE'), errorClass: 'failover' },
    after: { missing: ['/s'] },
  },
  {
    title: 'CREATE of a file another client is writing is AlreadyBeingCreatedException',
    cite: `${LEASE_ROW}; ${row('5.2', 'overwrite=false and the file exists')}`,
    setup: [{ dir: '/l' }],
    faults: { holdLease: ['/l/f'] },
    request: { op: 'CREATE', path: '/l/f', body: 'data' },
    expect: {
      status: 403,
      exception: 'AlreadyBeingCreatedException',
      errorClass: 'lease',
    },
    after: { missing: ['/l/f'] },
  },
  {
    title:
      'CREATE during lease recovery is RecoveryInProgressException, after 100 Continue',
    cite: `${LEASE_ROW}; §1.2: the DN's refusal can come after 100 Continue`,
    setup: [{ dir: '/l' }],
    faults: { rejectAfterContinue: { exception: 'RecoveryInProgressException' } },
    request: { op: 'CREATE', path: '/l/f', body: 'data' },
    expect: {
      status: 403,
      exception: 'RecoveryInProgressException',
      errorClass: 'lease',
    },
    after: { missing: ['/l/f'] },
  },
  {
    title: 'CREATE past the disk-space quota is DSQuotaExceededException',
    cite: QUOTA_ROW,
    setup: [],
    faults: { quotaBytes: 1024 },
    request: { op: 'CREATE', path: '/q/f', body: 'data' },
    expect: {
      status: 403,
      exception: 'DSQuotaExceededException',
      errorClass: 'permanent',
    },
  },
  {
    title: 'MKDIRS past the namespace quota is NSQuotaExceededException',
    cite: QUOTA_ROW,
    setup: [],
    faults: { nameNodeException: { exception: 'NSQuotaExceededException' } },
    request: { op: 'MKDIRS', path: '/q/d' },
    expect: {
      status: 403,
      exception: 'NSQuotaExceededException',
      errorClass: 'permanent',
    },
    after: { missing: ['/q'] },
  },
  {
    title: 'A NameNode still starting answers RetriableException',
    cite: row('4.1', '`RetriableException` (e.g. "Namenode is in startup mode", …)'),
    setup: [],
    faults: { nameNodeException: { exception: 'RetriableException' } },
    request: { op: 'GETFILESTATUS', path: '/' },
    expect: { status: 403, exception: 'RetriableException', errorClass: 'retry' },
  },
  {
    title: 'A RuntimeException in the NameNode is a 500',
    cite: row('4.1', 'Other RuntimeException (NPE, …)'),
    setup: [],
    faults: { nameNodeException: { exception: 'NullPointerException' } },
    request: { op: 'GETFILESTATUS', path: '/' },
    expect: { status: 500, exception: 'NullPointerException', errorClass: 'retry' },
  },
  {
    title: 'A proxy in front of the NameNode answers 503 with an HTML page',
    // The reference tabulates Hadoop's own answers only; a 503 comes from what
    // stands in front of it.
    cite: 'issue 2: "5xx" is retriable and "Unknown non-JSON error bodies … are handled"',
    setup: [],
    faults: { unavailable: true },
    request: { op: 'GETFILESTATUS', path: '/' },
    expect: { status: 503, html: true, errorClass: 'retry' },
  },
];
