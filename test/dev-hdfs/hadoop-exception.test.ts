import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HadoopException,
  statusForException,
} from '../../src/dev-hdfs/hadoop-exception.js';

test('the status follows the class hierarchy in ExceptionHandler order', () => {
  const expected: [string, number][] = [
    ['SecurityException', 403],
    ['AuthorizationException', 403],
    ['FileNotFoundException', 404],
    ['IOException', 403],
    ['AccessControlException', 403],
    ['SnapshotAccessControlException', 403],
    ['FileAlreadyExistsException', 403],
    ['SafeModeException', 403],
    ['StandbyException', 403],
    ['ObserverRetryOnActiveException', 403],
    ['RetriableException', 403],
    ['AlreadyBeingCreatedException', 403],
    ['RecoveryInProgressException', 403],
    ['ParentNotDirectoryException', 403],
    ['PathIsNotEmptyDirectoryException', 403],
    ['DSQuotaExceededException', 403],
    ['PathComponentTooLongException', 403],
    ['UnsupportedOperationException', 400],
    ['IllegalArgumentException', 400],
    ['HadoopIllegalArgumentException', 400],
    ['InvalidPathException', 400],
    ['NullPointerException', 500],
    ['RuntimeException', 500],
  ];
  for (const [name, status] of expected)
    assert.equal(statusForException(name), status, name);
});

test('a RemoteException body names the simple and the fully-qualified class', () => {
  const error = new HadoopException('PathComponentTooLongException', 'too long');
  assert.deepEqual(error.toRemoteException(), {
    RemoteException: {
      exception: 'PathComponentTooLongException',
      javaClassName:
        'org.apache.hadoop.hdfs.protocol.FSLimitException$PathComponentTooLongException',
      message: 'too long',
    },
  });
});

test('a fully-qualified name the table does not know is kept as given', () => {
  const error = new HadoopException('com.example.CustomException', 'boom', {
    status: 403,
  });
  assert.equal(error.exception, 'CustomException');
  assert.equal(error.javaClassName, 'com.example.CustomException');
  assert.equal(error.status, 403);
});
