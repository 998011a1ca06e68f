/**
 * Reference cases: the exception → status mapping (§4.1), parameter rules
 * (§2) and path rules (§9), plus the plain answers of §3 they are compared
 * with.
 */
import { bool, row, type ReferenceCase } from './reference-case.js';

const LONG_NAME = 'n'.repeat(256);
const LONG_PATH = `/p/${'d/'.repeat(4000)}f`;

export const errorCases: ReferenceCase[] = [
  {
    title: 'GETFILESTATUS of a missing path is FileNotFoundException',
    cite: row('4.1', '`FileNotFoundException` (missing path)'),
    setup: [],
    request: { op: 'GETFILESTATUS', path: '/e/nope' },
    expect: { status: 404, exception: 'FileNotFoundException' },
  },
  {
    title: 'LISTSTATUS of a missing directory is FileNotFoundException',
    cite: `${row('3', 'FileStatuses (LISTSTATUS)')}: a missing directory gives 404`,
    setup: [],
    request: { op: 'LISTSTATUS', path: '/e/nope' },
    expect: { status: 404, exception: 'FileNotFoundException' },
  },
  {
    title: 'OPEN of a missing file is FileNotFoundException at the NameNode',
    cite: 'webhdfs-reference.md §1.1: APPEND, OPEN and GETFILECHECKSUM call getFileInfo',
    setup: [],
    request: { op: 'OPEN', path: '/e/nope' },
    expect: { status: 404, exception: 'FileNotFoundException' },
  },
  {
    title: 'APPEND to a missing file is FileNotFoundException at the NameNode',
    cite: 'webhdfs-reference.md §1.1: APPEND, OPEN and GETFILECHECKSUM call getFileInfo',
    setup: [],
    request: { op: 'APPEND', path: '/e/nope', body: 'x' },
    expect: { status: 404, exception: 'FileNotFoundException' },
  },
  {
    title: 'APPEND adds to an existing file',
    cite: 'webhdfs-reference.md §1.2, row "APPEND success"',
    setup: [{ file: '/e/f', content: 'ab' }],
    request: { op: 'APPEND', path: '/e/f', body: 'cd' },
    expect: { status: 200 },
    after: { content: { '/e/f': 'abcd' } },
  },
  {
    title: 'OPEN at an offset past the end is an IOException',
    cite: row('9', 'OPEN range'),
    setup: [{ file: '/e/f', content: 'abc' }],
    request: { op: 'OPEN', path: '/e/f', params: { offset: '3' } },
    expect: { status: 403, exception: 'IOException' },
  },
  {
    title: 'GETFILESTATUS under a file is AccessControlException',
    cite: row('4.1', 'Non-create op on a path whose ancestor is a file'),
    setup: [{ file: '/e/f', content: 'f' }],
    request: { op: 'GETFILESTATUS', path: '/e/f/x' },
    expect: { status: 403, exception: 'AccessControlException' },
  },
  {
    title: 'An unknown op is IllegalArgumentException',
    cite: row('4.1', 'an unknown op'),
    setup: [],
    request: { op: 'FROBNICATE', path: '/e' },
    expect: { status: 400, exception: 'IllegalArgumentException' },
  },
  {
    title: 'A request without op is UnsupportedOperationException',
    cite: row('4.1', 'No `op` at all (op=NULL)'),
    setup: [],
    request: { op: '', path: '/e' },
    expect: { status: 400, exception: 'UnsupportedOperationException' },
  },
  {
    title: 'A boolean parameter that is not a boolean is IllegalArgumentException',
    cite: row('4.1', 'a bad value'),
    setup: [],
    request: { op: 'DELETE', path: '/e', params: { recursive: 'maybe' } },
    expect: { status: 400, exception: 'IllegalArgumentException' },
  },
  {
    title: 'RENAME without destination is IllegalArgumentException',
    cite: row('4.1', 'a missing required param'),
    setup: [{ file: '/e/f', content: 'f' }],
    request: { op: 'RENAME', path: '/e/f' },
    expect: { status: 400, exception: 'IllegalArgumentException' },
    after: { exists: ['/e/f'] },
  },
  {
    title: 'A user.name outside the allowed pattern is IllegalArgumentException',
    cite: row('2', '`user.name`'),
    setup: [],
    request: { op: 'GETFILESTATUS', path: '/', params: { 'user.name': '1bad name' } },
    expect: { status: 400, exception: 'IllegalArgumentException' },
  },
  {
    title: 'Op values and parameter names are case-insensitive at the NameNode',
    cite: row('9', 'Case sensitivity'),
    setup: [],
    request: { op: 'mkDIrs', path: '/e/case', params: { 'User.Name': 'alice' } },
    expect: { status: 200, json: bool(true) },
    after: { exists: ['/e/case'] },
  },
  {
    title: 'GETHOMEDIRECTORY answers /user/<name>',
    cite: row('3', 'Path (GETHOMEDIRECTORY)'),
    setup: [],
    request: { op: 'GETHOMEDIRECTORY', path: '/', params: { 'user.name': 'alice' } },
    expect: { status: 200, json: { Path: '/user/alice' } },
  },
];

/** Path rules: the client checks them too, and refuses before sending (`clientRefuses`). */
export const pathRuleCases: ReferenceCase[] = [
  {
    title: 'A relative RENAME destination is IllegalArgumentException',
    cite: row('2', '`destination`'),
    setup: [{ file: '/e/f', content: 'f' }],
    request: { op: 'RENAME', path: '/e/f', params: { destination: 'g' } },
    expect: { status: 400, exception: 'IllegalArgumentException', clientRefuses: true },
    after: { exists: ['/e/f'] },
  },
  {
    title: 'A ":" in a name is InvalidPathException',
    cite: row('9', 'Valid names'),
    setup: [],
    request: { op: 'MKDIRS', path: '/p/a:b' },
    expect: { status: 400, exception: 'InvalidPathException', clientRefuses: true },
    after: { missing: ['/p'] },
  },
  {
    title: 'A ".." component is InvalidPathException',
    cite: row('9', 'Valid names'),
    setup: [{ dir: '/p/a' }],
    request: { op: 'MKDIRS', path: '/p/a/../b' },
    expect: { status: 400, exception: 'InvalidPathException', clientRefuses: true },
    after: { missing: ['/p/b'] },
  },
  {
    title: 'A "." component is InvalidPathException',
    cite: row('9', 'Valid names'),
    setup: [],
    request: { op: 'MKDIRS', path: '/p/./b' },
    expect: { status: 400, exception: 'InvalidPathException', clientRefuses: true },
  },
  {
    title: 'CREATE with "//" inside the path is InvalidPathException at the NameNode',
    cite: 'webhdfs-reference.md §1.1, "A path that fails DFSUtil.isValidName gives 400"',
    setup: [],
    request: { op: 'CREATE', path: '/p/a//b', body: 'x' },
    expect: { status: 400, exception: 'InvalidPathException', clientRefuses: true },
    after: { missing: ['/p'] },
  },
  {
    title: 'A trailing "/" is allowed',
    cite: row('9', 'Valid names'),
    setup: [],
    request: { op: 'MKDIRS', path: '/p/t/' },
    expect: { status: 200, json: bool(true) },
    after: { exists: ['/p/t'] },
  },
  {
    title: 'A name over 255 UTF-8 bytes is PathComponentTooLongException',
    cite: row('9', 'Component length'),
    setup: [],
    request: { op: 'MKDIRS', path: `/p/${LONG_NAME}` },
    expect: {
      status: 403,
      exception: 'PathComponentTooLongException',
      clientRefuses: true,
    },
    after: { missing: ['/p'] },
  },
  {
    title: 'A path over 8000 characters is an IOException',
    cite: row('9', 'Path length'),
    setup: [],
    request: { op: 'MKDIRS', path: LONG_PATH },
    expect: { status: 403, exception: 'IOException', clientRefuses: true },
    after: { missing: ['/p'] },
  },
  {
    title: 'A ".snapshot" component is HadoopIllegalArgumentException',
    cite: row('9', 'Reserved names'),
    setup: [],
    request: { op: 'MKDIRS', path: '/p/.snapshot' },
    expect: {
      status: 400,
      exception: 'HadoopIllegalArgumentException',
      clientRefuses: true,
    },
  },
];
