/**
 * Hostile names never leave the destination's base directory: a path with
 * `..`, `.`, an absolute or empty component, a control character, or one
 * that only looks like the base (`/logs/appx`) is refused before any I/O by
 * both destinations; a `%2e%2e` is a literal name, sent escaped; and a file
 * in the spool whose name is not a segment's is never published.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidHdfsPathError } from '../../src/errors.js';
import {
  confinePath,
  parseDestinationTemplate,
} from '../../src/hdfs/destination-template.js';
import { encodeHdfsPath } from '../../src/hdfs/hdfs-path.js';
import { spoolLayout } from '../../src/segment/spool-layout.js';
import { FileDestination } from '../../src/upload/file-destination.js';
import { listReadySegments } from '../../src/upload/ready-segments.js';
import { WebHdfsDestination } from '../../src/upload/webhdfs-destination.js';
import { startFakeServer } from '../helpers/fake-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const template = parseDestinationTemplate('/logs/app/dt={yyyy-MM-dd}', 'destination');

const hostile: Array<[string, RegExp]> = [
  ['/logs/app/../../etc/passwd', /"\.\." is a relative reference/],
  ['/logs/app/dt=1/../../../x.log', /"\.\." is a relative reference/],
  ['/logs/app/./x.log', /"\." is a relative reference/],
  ['/logs/app//x.log', /empty component/],
  ['logs/app/x.log', /must be absolute/],
  ['/etc/passwd', /outside \/logs\/app/],
  ['/logs/appx/x.log', /outside \/logs\/app/],
  ['/logs', /outside \/logs\/app/],
  ['/logs/app/x\u0000.log', /NUL/],
  ['/logs/app/x\n.log', /control character/],
  ['/logs/app/x\u001b[2J.log', /control character/],
  ['/logs/app/x\u007f.log', /control character/],
  ['/logs/app/a:b.log', /":"/],
  ['/logs/app/.snapshot/x.log', /reserved/],
];

for (const [path, reason] of hostile) {
  test(`confines ${JSON.stringify(path)}: refused`, () => {
    assert.throws(
      () => confinePath(template, path),
      (error: unknown) => {
        assert.ok(error instanceof InvalidHdfsPathError);
        assert.match(error.reason, reason);
        return true;
      },
    );
  });
}

test('keeps clean paths inside the base as they are', () => {
  for (const path of ['/logs/app', '/logs/app/dt=2026-12-03/a.log', '/logs/app/%2e%2e']) {
    assert.equal(confinePath(template, path), path);
  }
});

test('sends a name that looks like an escape as a literal name', () => {
  assert.equal(encodeHdfsPath('/logs/app/%2e%2e/x'), '/logs/app/%252e%252e/x');
  assert.equal(encodeHdfsPath('/logs/app/a b+c#d?e'), '/logs/app/a%20b%2Bc%23d%3Fe');
});

test('the WebHDFS destination refuses hostile paths before any request', async (t) => {
  const server = await startFakeServer(t, (_req, res) => res.writeHead(500).end());
  const destination = new WebHdfsDestination(
    `webhdfs://${server.hostPort}/logs/app/dt={yyyy-MM-dd}`,
  );
  t.after(() => destination.close());
  const signal = new AbortController().signal;
  const local = join(await makeTempDir(t), 'segment.log');
  await writeFile(local, 'line\n');

  for (const [path] of hostile) {
    await assert.rejects(
      destination.upload(local, path, { signal }),
      InvalidHdfsPathError,
    );
    await assert.rejects(
      destination.rename('/logs/app/x', path, { signal, overwrite: false }),
      InvalidHdfsPathError,
    );
    await assert.rejects(destination.delete(path, { signal }), InvalidHdfsPathError);
  }
  assert.deepEqual(server.requests, []);
});

test('the file destination writes nothing outside its base directory', async (t) => {
  const root = await makeTempDir(t);
  const base = join(root, 'published');
  const destination = new FileDestination(`file://${base}/dt={yyyy-MM-dd}`);
  const signal = new AbortController().signal;
  const local = join(root, 'segment.log');
  await writeFile(local, 'line\n');

  for (const path of [
    `${base}/../escaped.log`,
    `${base}/dt=1/../../escaped.log`,
    `${root}/escaped.log`,
    `${base}x/escaped.log`,
    `${base}/a\nb.log`,
  ]) {
    await assert.rejects(
      destination.upload(local, path, { signal }),
      InvalidHdfsPathError,
    );
  }
  assert.deepEqual((await readdir(root)).sort(), ['segment.log']);
});

test('a file in ready/ whose name is not a segment name is never picked up', async (t) => {
  const layout = spoolLayout(await makeTempDir(t, 'spool-'));
  await mkdir(layout.ready, { recursive: true });
  const good = 'app.20261203T151900Z.web-1.k3v9x2qa.000001.log';
  for (const name of [
    good,
    '..app.20261203T151900Z.web-1.k3v9x2qa.000002.log',
    '.app.20261203T151900Z.web-1.k3v9x2qa.000003.log',
    'app.20261203T151900Z.web\n1.k3v9x2qa.000004.log',
    'app.20261203T151900Z.web:1.k3v9x2qa.000005.log',
    'app.20261203T151900Z...k3v9x2qa.000006.log',
    'evil.log',
  ]) {
    await writeFile(join(layout.ready, name), 'line\n');
  }
  const ready = await listReadySegments(layout);
  assert.deepEqual(
    ready.map((segment) => segment.name),
    [good],
  );
});
