import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  WebHdfsAuthError,
  WebHdfsHttpError,
  WebHdfsNetworkError,
  WebHdfsRemoteError,
  WebHdfsTimeoutError,
} from '../../src/errors.js';
import { classifyError, type ErrorClass } from '../../src/hdfs/error-class.js';

const nn = { op: 'RENAME', path: '/a', role: 'namenode', endpoint: 'nn1:9870' } as const;
const dn = { ...nn, op: 'CREATE', role: 'datanode' } as const;

function remote(exception: string, status = 403): WebHdfsRemoteError {
  return new WebHdfsRemoteError(nn, status, {
    exception,
    javaClassName: `x.${exception}`,
    message: '',
  });
}

test('classifies RemoteExceptions by class name, as the issue and Hadoop do', () => {
  const expected: Array<[string, ErrorClass]> = [
    ['RetriableException', 'retry'],
    ['SafeModeException', 'retry'],
    ['StandbyException', 'failover'],
    ['AlreadyBeingCreatedException', 'lease'],
    ['RecoveryInProgressException', 'lease'],
    ['AccessControlException', 'permanent'],
    ['DSQuotaExceededException', 'permanent'],
    ['NSQuotaExceededException', 'permanent'],
    ['InvalidPathException', 'permanent'],
    ['FileAlreadyExistsException', 'permanent'],
    ['IOException', 'retry'],
  ];
  for (const [exception, errorClass] of expected) {
    assert.equal(classifyError(remote(exception)), errorClass, exception);
  }
  assert.equal(classifyError(remote('SomethingNew', 400)), 'permanent');
});

test('retries 5xx and throttling, not other HTTP errors', () => {
  const statuses: Array<[number, ErrorClass]> = [
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [429, 'retry'],
    [401, 'permanent'],
    [404, 'permanent'],
  ];
  for (const [status, errorClass] of statuses) {
    assert.equal(
      classifyError(new WebHdfsHttpError(nn, status, '')),
      errorClass,
      String(status),
    );
  }
});

test('fails over only when a NameNode cannot be reached, retries the rest', () => {
  const refused = new WebHdfsNetworkError(nn, 'ECONNREFUSED', false, undefined);
  const reset = new WebHdfsNetworkError(nn, 'ECONNRESET', true, undefined);
  const dataNodeRefused = new WebHdfsNetworkError(dn, 'ECONNREFUSED', false, undefined);
  assert.equal(classifyError(refused), 'failover');
  assert.equal(classifyError(reset), 'retry');
  assert.equal(classifyError(dataNodeRefused), 'retry');
  assert.equal(
    classifyError(new WebHdfsTimeoutError(nn, 'connect', 1, false)),
    'failover',
  );
  assert.equal(classifyError(new WebHdfsTimeoutError(nn, 'request', 1, true)), 'retry');
});

test('does not retry refused credentials, as Hadoop never retries a 401', () => {
  const refused = new WebHdfsAuthError(nn, 401, 'the Kerberos credentials were refused');
  assert.equal(classifyError(refused), 'permanent');
});
