/**
 * Reference cases: RENAME with `renameoptions` (§5.1, rename2), MKDIRS and
 * DELETE (§5.3).
 */
import { bool, type ReferenceCase } from './reference-case.js';

const RENAME2 = 'webhdfs-reference.md §5.1, "RENAME with renameoptions=OVERWRITE"';

export const rename2Cases: ReferenceCase[] = [
  {
    title: 'RENAME NONE to a free name answers an empty 200',
    cite: `${RENAME2}: answers 200 with an empty body`,
    setup: [{ file: '/o/a', content: 'a' }],
    request: {
      op: 'RENAME',
      path: '/o/a',
      params: { destination: '/o/b', renameoptions: 'NONE' },
    },
    expect: { status: 200 },
    after: { missing: ['/o/a'], content: { '/o/b': 'a' } },
  },
  {
    title: 'RENAME NONE onto an existing file is FileAlreadyExistsException',
    cite: `${RENAME2}: "destination exists and OVERWRITE not given"`,
    setup: [
      { file: '/o/a', content: 'a' },
      { file: '/o/b', content: 'b' },
    ],
    request: {
      op: 'RENAME',
      path: '/o/a',
      params: { destination: '/o/b', renameoptions: 'NONE' },
    },
    expect: { status: 403, exception: 'FileAlreadyExistsException' },
    after: { content: { '/o/a': 'a', '/o/b': 'b' } },
  },
  {
    title: 'RENAME NONE onto an existing directory is refused, never a move into it',
    cite: `${RENAME2}: "destination exists and OVERWRITE not given"; DESIGN.md §4 step 3`,
    setup: [{ file: '/o/a', content: 'a' }, { dir: '/o/d' }],
    request: {
      op: 'RENAME',
      path: '/o/a',
      params: { destination: '/o/d', renameoptions: 'NONE' },
    },
    expect: { status: 403 },
    after: { exists: ['/o/a', '/o/d'], missing: ['/o/d/a'] },
  },
  {
    title: 'RENAME OVERWRITE replaces an existing file',
    cite: `${RENAME2}: the only atomic replace-existing-file rename`,
    setup: [
      { file: '/o/a', content: 'new' },
      { file: '/o/b', content: 'old' },
    ],
    request: {
      op: 'RENAME',
      path: '/o/a',
      params: { destination: '/o/b', renameoptions: 'OVERWRITE' },
    },
    expect: { status: 200 },
    after: { missing: ['/o/a'], content: { '/o/b': 'new' } },
  },
  {
    title: 'RENAME OVERWRITE of a file onto a directory is an IOException',
    cite: `${RENAME2}: "file replacing a directory or the reverse"`,
    setup: [{ file: '/o/a', content: 'a' }, { dir: '/o/d' }],
    request: {
      op: 'RENAME',
      path: '/o/a',
      params: { destination: '/o/d', renameoptions: 'OVERWRITE' },
    },
    expect: { status: 403, exception: 'IOException' },
    after: { exists: ['/o/a', '/o/d'] },
  },
  {
    title: 'RENAME OVERWRITE of a directory onto a file is an IOException',
    cite: `${RENAME2}: "file replacing a directory or the reverse"`,
    setup: [{ dir: '/o/d' }, { file: '/o/f', content: 'f' }],
    request: {
      op: 'RENAME',
      path: '/o/d',
      params: { destination: '/o/f', renameoptions: 'OVERWRITE' },
    },
    expect: { status: 403, exception: 'IOException' },
    after: { exists: ['/o/d'], content: { '/o/f': 'f' } },
  },
  {
    title: 'RENAME OVERWRITE onto a non-empty directory is an IOException',
    cite: `${RENAME2}: "a non-empty destination directory"`,
    setup: [{ dir: '/o/s' }, { file: '/o/d/x', content: 'x' }],
    request: {
      op: 'RENAME',
      path: '/o/s',
      params: { destination: '/o/d', renameoptions: 'OVERWRITE' },
    },
    expect: { status: 403, exception: 'IOException' },
    after: { exists: ['/o/s'], content: { '/o/d/x': 'x' } },
  },
  {
    title: 'RENAME NONE of a missing source is FileNotFoundException',
    cite: `${RENAME2}: "source or destination parent missing"`,
    setup: [{ dir: '/o' }],
    request: {
      op: 'RENAME',
      path: '/o/nope',
      params: { destination: '/o/b', renameoptions: 'NONE' },
    },
    expect: { status: 404, exception: 'FileNotFoundException' },
  },
  {
    title: 'RENAME NONE to a missing parent is FileNotFoundException',
    cite: `${RENAME2}: "source or destination parent missing"`,
    setup: [{ file: '/o/a', content: 'a' }],
    request: {
      op: 'RENAME',
      path: '/o/a',
      params: { destination: '/o/x/b', renameoptions: 'NONE' },
    },
    expect: { status: 404, exception: 'FileNotFoundException' },
    after: { exists: ['/o/a'], missing: ['/o/x'] },
  },
  {
    title: 'RENAME NONE under a file is ParentNotDirectoryException',
    cite: `${RENAME2}: "destination parent is a file"`,
    setup: [
      { file: '/o/a', content: 'a' },
      { file: '/o/f', content: 'f' },
    ],
    request: {
      op: 'RENAME',
      path: '/o/a',
      params: { destination: '/o/f/b', renameoptions: 'NONE' },
    },
    expect: { status: 403, exception: 'ParentNotDirectoryException' },
    after: { exists: ['/o/a'] },
  },
];

export const mkdirsCases: ReferenceCase[] = [
  {
    title: 'MKDIRS creates the missing parents',
    cite: 'webhdfs-reference.md §5.3, MKDIRS "always creates parents"',
    setup: [],
    request: { op: 'MKDIRS', path: '/m/a/b/c' },
    expect: { status: 200, json: bool(true) },
    after: { exists: ['/m/a/b/c'] },
  },
  {
    title: 'MKDIRS of an existing directory answers true',
    cite: 'webhdfs-reference.md §5.3, MKDIRS "an existing directory gives true"',
    setup: [{ dir: '/m/d' }],
    request: { op: 'MKDIRS', path: '/m/d' },
    expect: { status: 200, json: bool(true) },
  },
  {
    title: 'MKDIRS where a file is is FileAlreadyExistsException',
    cite: 'webhdfs-reference.md §5.3, MKDIRS "if the path is a file"',
    setup: [{ file: '/m/f', content: 'f' }],
    request: { op: 'MKDIRS', path: '/m/f' },
    expect: { status: 403, exception: 'FileAlreadyExistsException' },
    after: { content: { '/m/f': 'f' } },
  },
  {
    title: 'MKDIRS under a file is ParentNotDirectoryException',
    cite: 'webhdfs-reference.md §5.3, MKDIRS "if an ancestor is a file"',
    setup: [{ file: '/m/f', content: 'f' }],
    request: { op: 'MKDIRS', path: '/m/f/d' },
    expect: { status: 403, exception: 'ParentNotDirectoryException' },
  },
];

export const deleteCases: ReferenceCase[] = [
  {
    title: 'DELETE of a missing path answers false',
    cite: 'webhdfs-reference.md §5.3, DELETE "a missing path … gives false"',
    setup: [{ dir: '/x' }],
    request: { op: 'DELETE', path: '/x/nope' },
    expect: { status: 200, json: bool(false) },
  },
  {
    title: 'DELETE of the root answers false',
    cite: 'webhdfs-reference.md §5.3, DELETE "… or / gives false"',
    setup: [{ file: '/x/f', content: 'f' }],
    request: { op: 'DELETE', path: '/', params: { recursive: 'true' } },
    expect: { status: 200, json: bool(false) },
    after: { content: { '/x/f': 'f' } },
  },
  {
    title: 'DELETE of a non-empty directory without recursive is refused',
    cite: 'webhdfs-reference.md §5.3, DELETE "a non-empty directory with recursive=false"',
    setup: [{ file: '/x/d/f', content: 'f' }],
    request: { op: 'DELETE', path: '/x/d', params: { recursive: 'false' } },
    expect: { status: 403, exception: 'PathIsNotEmptyDirectoryException' },
    after: { content: { '/x/d/f': 'f' } },
  },
  {
    title: 'DELETE with recursive removes a non-empty directory',
    cite: 'webhdfs-reference.md §5.3, DELETE (recursive, NWHM:1650)',
    setup: [{ file: '/x/d/e/f', content: 'f' }],
    request: { op: 'DELETE', path: '/x/d', params: { recursive: 'true' } },
    expect: { status: 200, json: bool(true) },
    after: { exists: ['/x'], missing: ['/x/d'] },
  },
  {
    title: 'DELETE of a file answers true',
    cite: 'webhdfs-reference.md §3, row "boolean (MKDIRS, RENAME, DELETE …)"',
    setup: [{ file: '/x/f', content: 'f' }],
    request: { op: 'DELETE', path: '/x/f' },
    expect: { status: 200, json: bool(true) },
    after: { missing: ['/x/f'] },
  },
  {
    title: 'DELETE of an empty directory needs no recursive',
    cite: 'webhdfs-reference.md §5.3, DELETE (only a non-empty directory needs recursive)',
    setup: [{ dir: '/x/e' }],
    request: { op: 'DELETE', path: '/x/e' },
    expect: { status: 200, json: bool(true) },
    after: { missing: ['/x/e'] },
  },
];
