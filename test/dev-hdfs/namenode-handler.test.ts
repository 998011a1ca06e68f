import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layOut, startTestServer } from './fixture.js';
import { rawRequest, twoStep, webHdfsTarget } from './raw-http.js';

const FILE_STATUS_KEYS = [
  'accessTime',
  'blockSize',
  'childrenNum',
  'fileId',
  'group',
  'length',
  'modificationTime',
  'owner',
  'pathSuffix',
  'permission',
  'replication',
  'storagePolicy',
  'type',
];

interface Status {
  [key: string]: unknown;
  fileId: number;
}

async function fileStatus(url: string, path: string): Promise<Status> {
  const response = await rawRequest(url, webHdfsTarget(path, 'GETFILESTATUS'));
  assert.equal(response.status, 200, response.text);
  return (JSON.parse(response.text) as { FileStatus: Status }).FileStatus;
}

test('GETFILESTATUS has exactly the FileStatus keys, sorted, as Hadoop writes them', async (t) => {
  const { server } = await startTestServer(t);
  const created = await twoStep(
    server.url,
    'PUT',
    webHdfsTarget('/d/f', 'CREATE', { 'user.name': 'alice', permission: '640' }),
    'hello',
  );
  assert.equal(created.final.status, 201);

  const response = await rawRequest(server.url, webHdfsTarget('/d/f', 'GETFILESTATUS'));
  assert.equal(response.headers['content-type'], 'application/json');
  assert.match(
    response.text,
    /^\{"FileStatus":\{"accessTime":\d+,"blockSize":134217728,/,
  );
  const status = (JSON.parse(response.text) as { FileStatus: Status }).FileStatus;
  assert.deepEqual(Object.keys(status), FILE_STATUS_KEYS);
  assert.deepEqual(
    { ...status, accessTime: 0, modificationTime: 0, fileId: 0 },
    {
      accessTime: 0,
      blockSize: 134217728,
      childrenNum: 0,
      fileId: 0,
      group: 'supergroup',
      length: 5,
      modificationTime: 0,
      owner: 'alice',
      pathSuffix: '',
      permission: '640',
      replication: 3,
      storagePolicy: 0,
      type: 'FILE',
    },
  );

  const directory = await fileStatus(server.url, '/d');
  assert.equal(directory.type, 'DIRECTORY');
  assert.equal(directory.permission, '755');
  assert.equal(directory.childrenNum, 1);
  assert.equal(directory.replication, 0);
  assert.equal(directory.blockSize, 0);
  assert.equal(directory.owner, 'alice', 'parents are owned by the creator');
});

test('without user.name the owner is dr.who', async (t) => {
  const { server } = await startTestServer(t);
  await rawRequest(server.url, webHdfsTarget('/anon', 'MKDIRS'), { method: 'PUT' });
  assert.equal((await fileStatus(server.url, '/anon')).owner, 'dr.who');
});

test('LISTSTATUS streams the body exactly as the NameNode prints it', async (t) => {
  const { server, root } = await startTestServer(t);
  await layOut(root, [
    { file: '/l/b', content: 'bb' },
    { file: '/l/a', content: 'a' },
    { dir: '/l/Z' },
  ]);

  const response = await rawRequest(server.url, webHdfsTarget('/l', 'LISTSTATUS'));

  assert.equal(response.status, 200);
  assert.equal(response.headers['transfer-encoding'], 'chunked');
  assert.match(response.text, /^\{"FileStatuses":\{"FileStatus":\[\n\{"accessTime"/);
  assert.ok(response.text.endsWith('}\n]}}\n'), JSON.stringify(response.text.slice(-10)));
  const entries = response.text.split(',\n');
  assert.equal(entries.length, 3, 'entries are separated by ",\\n"');
  const parsed = JSON.parse(response.text) as { FileStatuses: { FileStatus: Status[] } };
  const listed = parsed.FileStatuses.FileStatus.map((entry) => entry.pathSuffix);
  assert.deepEqual(listed, ['Z', 'a', 'b'], 'ordered by the bytes of the names');
  for (const entry of parsed.FileStatuses.FileStatus) {
    assert.deepEqual(Object.keys(entry), FILE_STATUS_KEYS);
  }
});

test('LISTSTATUS of a file lists the file itself', async (t) => {
  const { server, root } = await startTestServer(t);
  await layOut(root, [{ file: '/l/f', content: 'x' }]);

  const response = await rawRequest(server.url, webHdfsTarget('/l/f', 'LISTSTATUS'));

  const parsed = JSON.parse(response.text) as { FileStatuses: { FileStatus: Status[] } };
  assert.deepEqual(
    parsed.FileStatuses.FileStatus.map((entry) => [entry.pathSuffix, entry.type]),
    [['', 'FILE']],
  );
});

test('CREATE step 1 redirects with the Location query Hadoop builds', async (t) => {
  const { server } = await startTestServer(t);
  const target = webHdfsTarget('/logs/a b+c.log', 'create', {
    replication: '2',
    'user.name': 'alice',
    blocksize: '1048576',
    overwrite: 'TRUE',
  });

  const response = await rawRequest(server.url, target, { method: 'PUT' });

  assert.equal(response.status, 307);
  assert.equal(response.headers['content-type'], 'application/octet-stream');
  assert.equal(response.headers['content-length'], '0');
  const port = new URL(server.url).port;
  assert.equal(
    response.headers.location,
    `${server.dataNodeUrl}/webhdfs/v1/logs/a%20b+c.log?op=CREATE&user.name=alice` +
      `&namenoderpcaddress=127.0.0.1%3A${port}&blocksize=1048576&createflag=` +
      '&createparent=true&overwrite=true&replication=2',
  );
});

test('noredirect=true answers 200 with the same Location as JSON', async (t) => {
  const { server, root } = await startTestServer(t);
  await layOut(root, [{ file: '/f', content: 'x' }]);

  for (const [method, op] of [
    ['PUT', 'CREATE'],
    ['POST', 'APPEND'],
    ['GET', 'OPEN'],
    ['GET', 'GETFILECHECKSUM'],
  ] as const) {
    const redirect = await rawRequest(server.url, webHdfsTarget('/f', op), { method });
    const target = webHdfsTarget('/f', op, { noredirect: 'true' });
    const json = await rawRequest(server.url, target, { method });
    assert.equal(json.status, 200, op);
    assert.equal(json.headers['content-type'], 'application/json');
    assert.equal(json.text, JSON.stringify({ Location: redirect.headers.location }));
  }
});

test('OPEN step 1 always sends offset to the DataNode', async (t) => {
  const { server, root } = await startTestServer(t);
  await layOut(root, [{ file: '/f', content: 'abc' }]);
  const response = await rawRequest(
    server.url,
    webHdfsTarget('/f', 'OPEN', { length: '2' }),
  );
  assert.match(
    response.headers.location ?? '',
    /\?op=OPEN&namenoderpcaddress=[^&]+&length=2&offset=0$/,
  );
});

test('a fileId survives a rename and is new for a replaced file', async (t) => {
  const { server } = await startTestServer(t);
  const create = (path: string, overwrite: string) =>
    twoStep(server.url, 'PUT', webHdfsTarget(path, 'CREATE', { overwrite }), 'x');
  await create('/a', 'false');
  const before = (await fileStatus(server.url, '/a')).fileId;

  await rawRequest(server.url, webHdfsTarget('/a', 'RENAME', { destination: '/b' }), {
    method: 'PUT',
  });
  assert.equal((await fileStatus(server.url, '/b')).fileId, before);

  await create('/b', 'true');
  assert.notEqual((await fileStatus(server.url, '/b')).fileId, before);
  assert.equal((await fileStatus(server.url, '/')).fileId, 16385, 'the root inode id');
});

test('an unknown op names the method it is not valid for', async (t) => {
  const { server } = await startTestServer(t);
  const response = await rawRequest(server.url, webHdfsTarget('/', 'getFileStatus'), {
    method: 'PUT',
  });
  assert.equal(response.status, 400);
  assert.equal(
    response.text,
    '{"RemoteException":{"exception":"IllegalArgumentException",' +
      '"javaClassName":"java.lang.IllegalArgumentException","message":' +
      '"Invalid value for webhdfs parameter \\"op\\": ' +
      'getFileStatus is not a valid PUT operation."}}',
  );
});
