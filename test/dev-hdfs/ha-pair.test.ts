import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startDevHdfsHaPair } from '../../src/dev-hdfs/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { rawRequest, remoteException, twoStep, webHdfsTarget } from './raw-http.js';

test('an HA pair shares one namespace; the standby refuses until it becomes active', async (t) => {
  const root = await makeTempDir(t);
  const pair = await startDevHdfsHaPair({ root });
  t.after(() => pair.close());
  assert.deepEqual(pair.urls, [pair.nn1.url, pair.nn2.url]);
  assert.equal(pair.active, pair.nn1);
  assert.equal(pair.standby, pair.nn2);

  const created = await twoStep(
    pair.nn1.url,
    'PUT',
    webHdfsTarget('/f', 'CREATE'),
    'one',
  );
  assert.equal(created.final.status, 201);
  assert.equal(created.dataNode?.headers.location, 'hdfs://devhdfs/f');
  const status = webHdfsTarget('/f', 'GETFILESTATUS');
  const refused = await rawRequest(pair.nn2.url, status);
  assert.equal(refused.status, 403);
  assert.equal(remoteException(refused).exception, 'StandbyException');

  pair.failover();

  assert.equal(pair.active, pair.nn2);
  assert.equal((await rawRequest(pair.nn2.url, status)).status, 200, 'sees nn1’s file');
  assert.equal((await rawRequest(pair.nn1.url, status)).status, 403);
  assert.equal(await readFile(join(root, 'f'), 'utf8'), 'one');
});

test('the nameservice id is the namenoderpcaddress of both NameNodes', async (t) => {
  const pair = await startDevHdfsHaPair({
    root: await makeTempDir(t),
    nameserviceId: 'logs-ns',
  });
  t.after(() => pair.close());

  for (const server of [pair.nn1, pair.nn2]) {
    const step1 = await rawRequest(server.url, webHdfsTarget('/f', 'CREATE'), {
      method: 'PUT',
    });
    assert.match(step1.headers.location ?? '', /&namenoderpcaddress=logs-ns&/);
  }
});

test("a standby's CREATE redirect still writes, through the active NameNode", async (t) => {
  const pair = await startDevHdfsHaPair({ root: await makeTempDir(t) });
  t.after(() => pair.close());

  const { nameNode, final } = await twoStep(
    pair.nn2.url,
    'PUT',
    webHdfsTarget('/via-standby', 'CREATE'),
    'x',
  );

  assert.equal(nameNode.status, 307);
  assert.equal(final.status, 201);
});
