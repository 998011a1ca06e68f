import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { startDevHdfsHaPair } from '../../src/dev-hdfs/index.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import { waitFor } from '../dev-hdfs/fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('carries on when the active NameNode becomes standby mid-run', async (t) => {
  const pair = await startDevHdfsHaPair({ root: await makeTempDir(t) });
  t.after(() => pair.close());
  const hdfs = new WebHdfsClient({ namenodes: [...pair.urls], user: 'alice' });
  t.after(() => hdfs.close());
  const first = new URL(pair.urls[0]).host;
  const second = new URL(pair.urls[1]).host;

  const published: string[] = [];
  for (let i = 0; i < 20; i++) {
    if (i === 10) pair.failover();
    const path = `/logs/part-${String(i).padStart(2, '0')}.log`;
    await hdfs.create(`${path}.tmp`, Buffer.from(`line ${i}\n`));
    await hdfs.renameWithOptions(`${path}.tmp`, path);
    published.push(path);
    assert.equal(hdfs.activeNameNode, i < 10 ? first : second, `request ${i}`);
  }

  const listing = await hdfs.listStatus('/logs');
  assert.deepEqual(
    listing.map((status) => `/logs/${status.pathSuffix}`),
    published,
  );
});

test('follows the active NameNode back and forth', async (t) => {
  const pair = await startDevHdfsHaPair({ root: await makeTempDir(t) });
  t.after(() => pair.close());
  // The standby is listed first, as an unordered HA configuration may have it.
  const hdfs = new WebHdfsClient({ namenodes: [pair.urls[1], pair.urls[0]] });
  t.after(() => hdfs.close());

  for (let round = 0; round < 4; round++) {
    assert.equal(await hdfs.mkdirs(`/round-${round}`), true);
    assert.equal(hdfs.activeNameNode, new URL(pair.active.url).host);
    pair.failover();
  }
});

test('an upload in flight survives a failover; the next RENAME fails over', async (t) => {
  const root = await makeTempDir(t);
  const pair = await startDevHdfsHaPair({ root });
  t.after(() => pair.close());
  const hdfs = new WebHdfsClient({ namenodes: [...pair.urls], user: 'alice' });
  t.after(() => hdfs.close());
  const head = Buffer.alloc(1024 * 1024, 'a');
  const tail = Buffer.from('the rest\n');
  const body = new PassThrough();
  const landed = async () =>
    (await stat(join(root, 'logs/.part.tmp')).catch(() => undefined))?.size ?? 0;

  const upload = hdfs.create('/logs/.part.tmp', body);
  body.write(head);
  await waitFor(async () => (await landed()) >= head.length, 'the head on the DataNode');
  pair.failover();
  body.end(tail);
  await upload;
  await hdfs.renameWithOptions('/logs/.part.tmp', '/logs/part.log');

  // HDFS: the DataNode's DFSClient fails over by itself; the client learns of
  // the failover at its next NameNode request.
  assert.equal(hdfs.activeNameNode, new URL(pair.urls[1]).host);
  const published = await readFile(join(root, 'logs/part.log'));
  assert.ok(published.equals(Buffer.concat([head, tail])), 'the file is whole');
});
