import type { DevHdfsFaults, DevHdfsOptions } from '../../src/dev-hdfs/index.js';
import type { ErrorClass } from '../../src/hdfs/error-class.js';

/**
 * The shape of a reference case: one row of a table of webhdfs-reference.md
 * (sections 4.1, 5 and 9) as data, naming the row it comes from. The cases
 * (reference-cases.ts) run twice: with raw HTTP against the dev server
 * (reference-raw.test.ts) and through the project's WebHDFS client, so that
 * server and client cannot agree on the same mistake.
 *
 * Conventions: `request.op` is the logical op (CREATE, APPEND and OPEN are
 * two-step; `expect.status` is the status of the last step taken); `setup`
 * is created on disk under the served root before the request; `faults` and
 * `server` are what the server starts with, in both runs; `user.name` and
 * `doas` in `request.params` become the client's `user` and `doAs`;
 * `expect.json` is the exact JSON body (a RemoteException's too);
 * `expect.exception` the RemoteException's simple class name; `after` is
 * checked on disk and in the namespace.
 */
export interface ReferenceCase {
  /** One behaviour, e.g. 'RENAME onto an existing file answers false'. */
  title: string;
  /** Where the expectation comes from, e.g. 'webhdfs-reference.md §5.1, row "…"'. */
  cite: string;
  setup: ({ dir: string } | { file: string; content?: string })[];
  /** Faults the server starts with, for rows only a fault can produce. */
  faults?: DevHdfsFaults;
  /** Other server settings the row needs: a standby NameNode, proxy users. */
  server?: Pick<DevHdfsOptions, 'haState' | 'proxyUsers'>;
  request: { op: string; path: string; params?: Record<string, string>; body?: string };
  expect: {
    status: number;
    json?: unknown;
    exception?: string;
    /** The exact body of an OPEN. */
    body?: string;
    /** An HTML page instead of a RemoteException, as a proxy answers. */
    html?: true;
    /** What classifyError makes of the client's error (client run). */
    errorClass?: ErrorClass;
    /**
     * The client refuses the path before sending anything: the same verdict,
     * earlier. Path-rule cases only.
     */
    clientRefuses?: true;
  };
  after?: {
    exists?: string[];
    missing?: string[];
    content?: Record<string, string>;
    /** The owner the namespace records, by path. */
    owners?: Record<string, string>;
  };
}

/** The JSON body of MKDIRS, RENAME and DELETE. */
export function bool(value: boolean): unknown {
  return { boolean: value };
}

/** A citation of one row of a table of the reference. */
export function row(section: string, name: string): string {
  return `webhdfs-reference.md §${section}, row "${name}"`;
}

const GET_OPS = [
  '',
  'OPEN',
  'GETFILESTATUS',
  'LISTSTATUS',
  'GETFILECHECKSUM',
  'GETHOMEDIRECTORY',
];

/**
 * The HTTP method a case's op is sent with (WebHDFS.md): reads are GET,
 * APPEND is POST, DELETE is DELETE, everything else (including an unknown
 * op) is PUT. A case without op is sent as GET.
 */
export function methodOf(op: string): 'GET' | 'PUT' | 'POST' | 'DELETE' {
  const upper = op.toUpperCase();
  if (GET_OPS.includes(upper)) return 'GET';
  if (upper === 'APPEND') return 'POST';
  if (upper === 'DELETE') return 'DELETE';
  return 'PUT';
}
