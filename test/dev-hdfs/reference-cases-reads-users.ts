/**
 * Reference cases: what OPEN (§1.2, §9), GETFILECHECKSUM (§7) and
 * GETHOMEDIRECTORY (§3) answer, and whom a request acts as with security
 * off: `user.name`, `dr.who`, or a `doas` user once ProxyUsers allows it
 * (§8, §4.1).
 */
import { bool, row, type ReferenceCase } from './reference-case.js';

const DATA15 = '12345678901234\n';
const SECURITY_OFF = 'webhdfs-reference.md §8, "Security off"';
const PROXY_USERS = { proxyUsers: { svc: ['carol'] } };
const REFUSED_DOAS = row(
  '4.1',
  '`SecurityException` (UGI/auth failure, a `doas` that is not allowed, bad token; …)',
);

export const readCases: ReferenceCase[] = [
  {
    title: 'OPEN streams the whole file from the DataNode',
    cite: row('1.2', 'DN OPEN answer'),
    setup: [{ file: '/o/f', content: 'hello world' }],
    request: { op: 'OPEN', path: '/o/f' },
    expect: { status: 200, body: 'hello world' },
  },
  {
    title: 'OPEN from an offset sends the rest of the file',
    cite: row('1.2', 'DN OPEN answer'),
    setup: [{ file: '/o/f', content: 'hello world' }],
    request: { op: 'OPEN', path: '/o/f', params: { offset: '6' } },
    expect: { status: 200, body: 'world' },
  },
  {
    title: 'OPEN with a length past the end is clamped',
    cite: row('9', 'OPEN range'),
    setup: [{ file: '/o/f', content: 'hello world' }],
    request: { op: 'OPEN', path: '/o/f', params: { offset: '6', length: '100' } },
    expect: { status: 200, body: 'world' },
  },
  {
    title: 'OPEN with a length sends that many bytes',
    cite: row('1.2', 'DN OPEN answer'),
    setup: [{ file: '/o/f', content: 'hello world' }],
    request: { op: 'OPEN', path: '/o/f', params: { length: '5' } },
    expect: { status: 200, body: 'hello' },
  },
  {
    title: 'GETFILECHECKSUM of data15bytes is the value Hadoop publishes',
    cite: 'webhdfs-reference.md §7, "Published test vectors", data15bytes',
    setup: [{ file: '/o/data15bytes', content: DATA15 }],
    request: { op: 'GETFILECHECKSUM', path: '/o/data15bytes' },
    expect: {
      status: 200,
      json: {
        FileChecksum: {
          algorithm: 'MD5-of-0MD5-of-512CRC32C',
          bytes: '0000020000000000000000007267e9528002723a30939aefc238d665',
          length: 28,
        },
      },
    },
  },
  {
    title: 'GETFILECHECKSUM of an empty file is MD5-of-0MD5-of-0CRC32',
    cite: row('7', 'An empty file gives `MD5-of-0MD5-of-0CRC32`'),
    setup: [{ file: '/o/empty', content: '' }],
    request: { op: 'GETFILECHECKSUM', path: '/o/empty' },
    expect: {
      status: 200,
      json: {
        FileChecksum: {
          algorithm: 'MD5-of-0MD5-of-0CRC32',
          bytes: '00000000000000000000000070bc8f4b72a86921468bf8e8441dce51',
          length: 28,
        },
      },
    },
  },
  {
    title: 'GETFILECHECKSUM of a missing file is FileNotFoundException at the NameNode',
    cite: 'webhdfs-reference.md §1.1: APPEND, OPEN and GETFILECHECKSUM call getFileInfo',
    setup: [],
    request: { op: 'GETFILECHECKSUM', path: '/o/nope' },
    expect: { status: 404, exception: 'FileNotFoundException' },
  },
];

export const userCases: ReferenceCase[] = [
  {
    title: 'Without user.name the user is dr.who',
    cite: SECURITY_OFF,
    setup: [],
    request: { op: 'GETHOMEDIRECTORY', path: '/' },
    expect: { status: 200, json: { Path: '/user/dr.who' } },
  },
  {
    title: 'MKDIRS records user.name as the owner',
    cite: SECURITY_OFF,
    setup: [],
    request: { op: 'MKDIRS', path: '/u/d', params: { 'user.name': 'alice' } },
    expect: { status: 200, json: bool(true) },
    after: { owners: { '/u/d': 'alice' } },
  },
  {
    title: 'GETHOMEDIRECTORY with doas is the proxied user’s home',
    cite: `${SECURITY_OFF}; ${row('3', 'Path (GETHOMEDIRECTORY)')}`,
    setup: [],
    server: PROXY_USERS,
    request: {
      op: 'GETHOMEDIRECTORY',
      path: '/',
      params: { 'user.name': 'svc', doas: 'carol' },
    },
    expect: { status: 200, json: { Path: '/user/carol' } },
  },
  {
    title: 'MKDIRS with doas records the proxied user as the owner',
    cite: SECURITY_OFF,
    setup: [],
    server: PROXY_USERS,
    request: {
      op: 'MKDIRS',
      path: '/u/d',
      params: { 'user.name': 'svc', doas: 'carol' },
    },
    expect: { status: 200, json: bool(true) },
    after: { owners: { '/u': 'carol', '/u/d': 'carol' } },
  },
  {
    title: 'CREATE with doas records the proxied user as the owner, at the DataNode',
    cite: `${SECURITY_OFF}; §1.1: the redirect carries doas and user.name`,
    setup: [],
    server: PROXY_USERS,
    request: {
      op: 'CREATE',
      path: '/u/f',
      params: { 'user.name': 'svc', doas: 'carol' },
      body: 'data',
    },
    expect: { status: 201 },
    after: { content: { '/u/f': 'data' }, owners: { '/u/f': 'carol' } },
  },
  {
    title: 'A doas the proxy user may not act as is SecurityException',
    cite: REFUSED_DOAS,
    setup: [],
    server: PROXY_USERS,
    request: {
      op: 'MKDIRS',
      path: '/u/d',
      params: { 'user.name': 'svc', doas: 'mallory' },
    },
    expect: { status: 403, exception: 'SecurityException', errorClass: 'permanent' },
    after: { missing: ['/u'] },
  },
  {
    title: 'A doas from a user that is no proxy user is SecurityException',
    cite: REFUSED_DOAS,
    setup: [],
    server: PROXY_USERS,
    request: {
      op: 'GETHOMEDIRECTORY',
      path: '/',
      params: { 'user.name': 'bob', doas: 'carol' },
    },
    expect: {
      status: 403,
      json: {
        RemoteException: {
          exception: 'SecurityException',
          javaClassName: 'java.lang.SecurityException',
          message:
            'Failed to obtain user group information: ' +
            'org.apache.hadoop.security.authorize.AuthorizationException: ' +
            'User: bob is not allowed to impersonate carol',
        },
      },
      errorClass: 'permanent',
    },
  },
];
