import assert from 'node:assert/strict';
import {
  mkdir,
  open,
  readdir,
  readFile,
  stat,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  AbortError,
  InvalidHdfsPathError,
  InvalidOptionError,
  LocalStoreError,
  UploadSourceError,
} from '../../src/errors.js';
import { FileDestination } from '../../src/upload/file-destination.js';
import { classifyError } from '../../src/hdfs/error-class.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { testDestinationContract } from './destination-contract.js';

const call = { signal: new AbortController().signal };

/** A destination over a fresh directory, `<dir>/published<template>`. */
async function published(t: TestContext, template = '/{name}') {
  const dir = await makeTempDir(t, 'file-dest-');
  const base = join(dir, 'published');
  const files = new FileDestination(`${pathToFileURL(base).href}${template}`);
  const local = join(dir, 'segment.log');
  await writeFile(local, 'one line\n');
  return { dir, base, files, local };
}

testDestinationContract('FileDestination', async (t, template, timeZone) => {
  const base = join(await makeTempDir(t, 'file-contract-'), 'published');
  return {
    destination: new FileDestination(`${pathToFileURL(base).href}${template}`, {
      timeZone,
    }),
    base,
    read: (path) => readFile(path),
    tamper: (path, content) => writeFile(path, content),
  };
});

test('maps file:///dir to the local path /dir, decoding percent-escapes', async (t) => {
  const dir = await makeTempDir(t, 'file-dest-');
  const base = join(dir, 'my logs #1');
  const url = `${pathToFileURL(base).href}/{name}`;
  assert.match(url, /my%20logs%20%231/);
  const files = new FileDestination(url);
  const local = join(dir, 'segment.log');
  await writeFile(local, 'x\n');

  const directory = files.directoryFor({ name: 'app', host: 'h', start: 0 });
  assert.equal(directory, join(base, 'app'));
  await files.upload(local, `${directory}/a.log`, call);
  assert.equal(await readFile(join(base, 'app', 'a.log'), 'utf8'), 'x\n');
  assert.equal(files.description, `file://${base}/{name}`);
});

test('accepts file://localhost/ as the local host', () => {
  const files = new FileDestination('file://localhost/srv/published/{name}');
  assert.equal(
    files.directoryFor({ name: 'app', host: 'h', start: 0 }),
    '/srv/published/app',
  );
});

const refused: Array<[string, RegExp]> = [
  ['file:relative/dir', /not file:\/\//],
  ['file:/srv/published', /not file:\/\//],
  ['file://nas.example/srv/published', /remote host/],
  ['file:///srv/published?x=1', /query/],
  ['file:///srv/published#x', /query or fragment/],
  ['file:///srv/pub\\lished', /backslash/],
  ['file:///srv/a%2Fb', /escaped slash/],
  ['file:///srv/%zz', /malformed/],
  ['file:///srv/../etc', /relative reference/],
  ['file:///srv/%2E%2E/etc', /relative reference/],
  ['file:///{name}', /fixed directory before the first placeholder/],
  ['file:///srv/{host', /not closed/],
];

for (const [url, reason] of refused) {
  test(`refuses ${url}`, () => {
    assert.throws(
      () => new FileDestination(url, { option: 'transports[0].destination' }),
      (error: unknown) =>
        error instanceof InvalidOptionError &&
        error.option === 'transports[0].destination' &&
        reason.test(error.message),
    );
  });
}

test('refuses hostile template values without creating anything', async (t) => {
  const { dir, files, local } = await published(t, '/{host}/{name}');
  for (const host of ['..', '../../etc', 'a/b', '.', 'x\u0000y', 'x\ny']) {
    assert.throws(
      () => files.directoryFor({ name: 'app', host, start: 0 }),
      InvalidHdfsPathError,
    );
  }
  const escape = `${dir}/published/../outside/a.log`;
  await assert.rejects(files.upload(local, escape, call), InvalidHdfsPathError);
  assert.deepEqual((await readdir(dir)).sort(), ['segment.log']);
});

test('upload fsyncs the file, its directory and the parent of each new one', async (t) => {
  const { base, files, local } = await published(t);
  const handle = await open(local, 'r');
  const sync = t.mock.method(Object.getPrototypeOf(handle) as FileHandle, 'sync');
  await handle.close();

  // published/, app/, 2026/ and 12/ are new: 4 parents, then the file and 12/.
  await files.upload(local, `${base}/app/2026/12/.a.tmp`, call);
  assert.equal(sync.mock.callCount(), 6);
  assert.equal(await readFile(`${base}/app/2026/12/.a.tmp`, 'utf8'), 'one line\n');

  await files.upload(local, `${base}/app/2026/12/.b.tmp`, call);
  assert.equal(sync.mock.callCount(), 8);
  await files.rename(`${base}/app/2026/12/.b.tmp`, `${base}/app/2026/12/b.log`, {
    ...call,
    overwrite: false,
  });
  assert.equal(sync.mock.callCount(), 9);
});

test('upload of an existing name fails with EEXIST, classified permanent', async (t) => {
  const { base, files, local } = await published(t);
  await files.upload(local, `${base}/app/a.log`, call);

  const error = await files
    .upload(local, `${base}/app/a.log`, call)
    .catch((e: unknown) => e);
  assert.ok(error instanceof LocalStoreError);
  assert.equal(error.code, 'ERR_LOCAL_STORE');
  assert.equal(error.syscallCode, 'EEXIST');
  assert.equal(error.op, 'upload');
  assert.equal(error.path, `${base}/app/a.log`);
  assert.equal(classifyError(error), 'permanent');
});

test('upload of a missing local file is an UploadSourceError and creates nothing', async (t) => {
  const { dir, base, files } = await published(t);
  const missing = join(dir, 'missing.log');

  await assert.rejects(
    files.upload(missing, `${base}/app/a.log`, call),
    UploadSourceError,
  );
  assert.equal(await files.stat(`${base}/app`, call), undefined);
});

test('rename without overwrite leaves one link, and the source name gone', async (t) => {
  const { base, files, local } = await published(t);
  await files.upload(local, `${base}/app/.a.tmp`, call);
  await files.rename(`${base}/app/.a.tmp`, `${base}/app/a.log`, {
    ...call,
    overwrite: false,
  });

  assert.equal((await stat(`${base}/app/a.log`)).nlink, 1);
  assert.deepEqual(await readdir(`${base}/app`), ['a.log']);
});

test('rename without overwrite onto a directory fails with EEXIST', async (t) => {
  const { base, files, local } = await published(t);
  await files.upload(local, `${base}/app/.a.tmp`, call);
  await mkdir(`${base}/app/a.log`);

  const rename = { ...call, overwrite: false };
  const error = await files
    .rename(`${base}/app/.a.tmp`, `${base}/app/a.log`, rename)
    .catch((e: unknown) => e);
  assert.ok(error instanceof LocalStoreError);
  assert.equal(error.syscallCode, 'EEXIST');
  assert.deepEqual(await readdir(`${base}/app/a.log`), []);
});

test('list and stat report a directory with length 0', async (t) => {
  const { base, files, local } = await published(t);
  await files.upload(local, `${base}/app/sub/a.log`, call);

  const [entry] = await files.list(`${base}/app`, call);
  assert.deepEqual(entry && { ...entry, modificationTime: 0 }, {
    name: 'sub',
    type: 'directory',
    length: 0,
    modificationTime: 0,
  });
});

test('delete refuses a directory rather than remove it', async (t) => {
  const { base, files, local } = await published(t);
  await files.upload(local, `${base}/app/sub/a.log`, call);

  await assert.rejects(files.delete(`${base}/app/sub`, call), LocalStoreError);
  assert.ok((await stat(`${base}/app/sub/a.log`)).isFile());
});

test('verifyContent reports a different length before hashing', async (t) => {
  const { base, files, local } = await published(t);
  await files.upload(local, `${base}/app/a.log`, call);
  await writeFile(`${base}/app/a.log`, 'one line\nand more\n');

  await assert.rejects(files.verifyContent(local, `${base}/app/a.log`, call), /length/);
});

test('an aborted verifyContent rejects with AbortError', async (t) => {
  const { base, files, local } = await published(t);
  await files.upload(local, `${base}/app/a.log`, call);
  const signal = AbortSignal.abort();
  await assert.rejects(
    files.verifyContent(local, `${base}/app/a.log`, { signal }),
    AbortError,
  );
});

test('classifies local store errors by what retrying could mend', () => {
  const failure = (code: string) =>
    new LocalStoreError('upload', '/x', Object.assign(new Error(code), { code }));
  for (const code of ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG']) {
    assert.equal(classifyError(failure(code)), 'permanent', code);
  }
  for (const code of ['ENOSPC', 'EIO', 'EBUSY', 'ENOENT', 'EAGAIN']) {
    assert.equal(classifyError(failure(code)), 'retry', code);
  }
  assert.equal(classifyError(new LocalStoreError('stat', '/x', 'odd')), 'retry');
  assert.equal(classifyError(new InvalidHdfsPathError('/x', 'bad')), 'permanent');
  assert.equal(classifyError(new Error('anything else')), 'retry');
});
