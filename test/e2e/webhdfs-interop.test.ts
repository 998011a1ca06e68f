import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import WebHDFS from 'webhdfs';
import { DevHdfsServer } from '../../src/dev-hdfs/index.js';
import { WebHdfsClient } from '../../src/hdfs/webhdfs-client.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);

/** The dev server, our client, and the `webhdfs` npm client on the same namespace. */
async function setup(t: TestContext) {
  const root = await makeTempDir(t);
  const server = await DevHdfsServer.start({ root });
  t.after(() => server.close());
  const url = new URL(server.url);
  const ours = new WebHdfsClient({ namenodes: server.url, user: 'alice' });
  t.after(() => ours.close());
  const theirs = WebHDFS.createClient({
    user: 'alice',
    host: url.hostname,
    port: url.port,
    path: '/webhdfs/v1',
  });
  return { root, server, ours, theirs, dir: await makeTempDir(t) };
}

function call<T>(
  action: (done: (error: Error | null, value: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    action((error, value) => (error ? reject(error) : resolve(value)));
  });
}

test('the webhdfs npm client writes, reads, renames and lists on the dev server', async (t) => {
  const { theirs, ours } = await setup(t);

  await call((done) => theirs.mkdir('/interop', done));
  await call((done) => theirs.writeFile('/interop/a.txt', 'written by webhdfs\n', done));
  const read = await call<Buffer>((done) => theirs.readFile('/interop/a.txt', done));
  await call((done) => theirs.rename('/interop/a.txt', '/interop/b.txt', done));
  const listing = await call<Array<{ pathSuffix: string; length: number }>>((done) =>
    theirs.readdir('/interop', done),
  );

  assert.equal(read.toString(), 'written by webhdfs\n');
  assert.deepEqual(
    listing.map((entry) => [entry.pathSuffix, entry.length]),
    [['b.txt', 19]],
  );
  const status = await ours.getFileStatus('/interop/b.txt');
  assert.equal(status.owner, 'alice');
});

test('what our client publishes reads back byte for byte with webhdfs and curl -L', async (t) => {
  const { ours, theirs, server, dir } = await setup(t);
  const file = join(dir, 'segment.log');
  const content = Buffer.concat([
    randomBytes(3 * 1024 * 1024 + 17),
    Buffer.from('\nend\n'),
  ]);
  await writeFile(file, content);

  await ours.create(
    '/logs/.segment.log.1.inprogress',
    { path: file },
    { blockSize: 1048576 },
  );
  await ours.renameWithOptions('/logs/.segment.log.1.inprogress', '/logs/segment.log');

  const viaWebhdfs = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    theirs
      .createReadStream('/logs/segment.log')
      .on('data', (chunk: Buffer) => chunks.push(chunk))
      .on('error', reject)
      .on('finish', () => resolve(Buffer.concat(chunks)));
  });
  const output = join(dir, 'curl.out');
  const openUrl = `${server.url}/webhdfs/v1/logs/segment.log?op=OPEN&user.name=alice`;
  await run('curl', ['-sS', '-f', '-L', '-o', output, openUrl]);

  assert.ok(viaWebhdfs.equals(content), 'webhdfs reads the same bytes');
  assert.ok((await readFile(output)).equals(content), 'curl -L reads the same bytes');
});

test("webhdfs's upload is read back by our client, checksum included", async (t) => {
  const { ours, theirs, dir } = await setup(t);
  const content = Buffer.from('12345678901234\n'.repeat(8));
  await call((done) => theirs.writeFile('/data120bytes', content, done));
  const local = join(dir, 'data120bytes');
  await writeFile(local, content);

  const stream = await ours.open('/data120bytes');
  const read = Buffer.concat(await stream.toArray());
  const checksum = await ours.getFileChecksum('/data120bytes');

  assert.ok(read.equals(content));
  // Hadoop's published answer for this file (testHDFSConf.xml).
  assert.equal(
    checksum.bytes,
    '000002000000000000000000a58cdc3c0967fc8cddb7fed5960d06f2',
  );
});
