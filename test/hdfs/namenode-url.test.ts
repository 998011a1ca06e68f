import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidOptionError } from '../../src/errors.js';
import { parseNameNodeUrl } from '../../src/hdfs/namenode-url.js';

test('reads the NameNode address forms users write', () => {
  const cases: Array<[string, string, string]> = [
    ['webhdfs://nn1', 'http://nn1:9870', '/webhdfs/v1'],
    ['swebhdfs://nn1', 'https://nn1:9871', '/webhdfs/v1'],
    ['nn1:50070', 'http://nn1:50070', '/webhdfs/v1'],
    ['http://nn1:9870/', 'http://nn1:9870', '/webhdfs/v1'],
    [
      'https://knox:8443/gateway/prod/webhdfs/v1/',
      'https://knox:8443',
      '/gateway/prod/webhdfs/v1',
    ],
    ['http://httpfs:14000', 'http://httpfs:14000', '/webhdfs/v1'],
    // Without a port, a NameNode is on Hadoop's ports whatever the scheme...
    ['http://nn1', 'http://nn1:9870', '/webhdfs/v1'],
    ['https://nn1/', 'https://nn1:9871', '/webhdfs/v1'],
    // ...and a gateway, named by its REST path, on the web's.
    [
      'https://knox/gateway/prod/webhdfs/v1',
      'https://knox:443',
      '/gateway/prod/webhdfs/v1',
    ],
    ['http://proxy/hdfs/webhdfs/v1', 'http://proxy:80', '/hdfs/webhdfs/v1'],
  ];
  for (const [input, origin, basePath] of cases) {
    const endpoint = parseNameNodeUrl(input);
    assert.deepEqual([endpoint.origin, endpoint.basePath], [origin, basePath], input);
  }
});

test('lets basePath replace the default path', () => {
  assert.equal(
    parseNameNodeUrl('http://gw:8080', 'namenodes', 'custom/v1').basePath,
    '/custom/v1',
  );
});

test('refuses addresses it cannot use, naming the option', () => {
  for (const input of [
    '',
    'ftp://nn1',
    'http://user:pw@nn1:9870',
    'http://nn1:9870/?op=x',
    42,
  ]) {
    assert.throws(
      () => parseNameNodeUrl(input, 'namenodes[1]'),
      (error) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.equal(error.option, 'namenodes[1]');
        return true;
      },
    );
  }
});
