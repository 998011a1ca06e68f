import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidHdfsPathError } from '../../src/errors.js';
import {
  encodeHdfsPath,
  findPathProblem,
  joinHdfsPath,
  parentOfHdfsPath,
  validateHdfsPath,
} from '../../src/hdfs/hdfs-path.js';

// webhdfs-reference.md section 9: DFSUtilClient.isValidName and the NameNode's limits.
const invalid: Array<[string, RegExp]> = [
  ['logs/a', /absolute/],
  ['/logs/dt=2026-12-03T15:00:00', /":"/],
  ['/logs/./a', /relative reference/],
  ['/logs/../a', /relative reference/],
  ['/logs//a', /empty component/],
  ['/logs/.snapshot', /reserved/],
  ['/.reserved/raw', /reserved/],
  [`/logs/${'é'.repeat(128)}`, /longer than 255 bytes/],
  [`/${'a/'.repeat(1001)}`, /deeper than 1000/],
  [`/${'a'.repeat(8000)}`, /longer than 8000 characters/],
];

for (const [path, reason] of invalid) {
  test(`rejects ${JSON.stringify(path.slice(0, 40))} with the reason`, () => {
    assert.match(findPathProblem(path) ?? '', reason);
    assert.throws(() => validateHdfsPath(path), InvalidHdfsPathError);
  });
}

test('accepts what HDFS accepts, a trailing slash included', () => {
  for (const path of [
    '/',
    '/logs/',
    '/logs/app/dt=2026-12-03/hour=15/a b+c%.log',
    '/a/.b',
  ]) {
    assert.equal(validateHdfsPath(path), path);
  }
  assert.equal(validateHdfsPath(`/${'é'.repeat(127)}`).length, 128);
});

test('joins, splits and encodes paths', () => {
  assert.equal(joinHdfsPath('/logs/', 'app', 'x/y.log'), '/logs/app/x/y.log');
  assert.equal(parentOfHdfsPath('/logs/app/a.log'), '/logs/app');
  assert.equal(parentOfHdfsPath('/a.log'), '/');
  assert.equal(encodeHdfsPath('/a b/c%d+e&f'), '/a%20b/c%25d%2Be%26f');
});
