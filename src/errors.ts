/**
 * Every error this package throws, rejects with or emits is an
 * {@link HdfsLogTransportError} with a stable `code`; subclasses carry the
 * context a caller needs to decide what to do (which option, which path, which
 * RemoteException). The codes are listed in README.md.
 */

/** Base class of every error of this package. */
export class HdfsLogTransportError extends Error {
  /** Stable machine-readable code, e.g. `ERR_WEBHDFS_REMOTE`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An option had a value that cannot be used. Thrown before any I/O. */
export class InvalidOptionError extends HdfsLogTransportError {
  readonly option: string;
  readonly expected: string;
  readonly received: unknown;

  constructor(option: string, expected: string, received: unknown) {
    super(
      'ERR_INVALID_OPTION',
      `option "${option}" must be ${expected}; received ${describeValue(received)}`,
    );
    this.option = option;
    this.expected = expected;
    this.received = received;
  }
}

/** A path breaks HDFS's naming rules; nothing was sent. */
export class InvalidHdfsPathError extends HdfsLogTransportError {
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(
      'ERR_HDFS_INVALID_PATH',
      `invalid HDFS path ${JSON.stringify(path)}: ${reason}`,
    );
    this.path = path;
    this.reason = reason;
  }
}

/** Shows a received value in an error message without dumping a large object. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return JSON.stringify(shown);
  }
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  ) {
    return String(value);
  }
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}

/** Where a WebHDFS request went: enough to act on, never a query string or token. */
export interface WebHdfsRequestContext {
  /** The WebHDFS operation, e.g. `CREATE`. */
  readonly op: string;
  /** The HDFS path the operation was about. */
  readonly path: string;
  /** Which step answered: the NameNode (or gateway) or the DataNode. */
  readonly role: 'namenode' | 'datanode';
  /** `host:port` of the server that answered or failed. */
  readonly endpoint: string;
}

function where(context: WebHdfsRequestContext): string {
  return `WebHDFS ${context.op} ${context.path} (${context.role} ${context.endpoint})`;
}

/** Base of every failure of a WebHDFS request. */
export class WebHdfsError extends HdfsLogTransportError {
  readonly op: string;
  readonly path: string;
  readonly role: 'namenode' | 'datanode';
  readonly endpoint: string;

  constructor(
    code: string,
    context: WebHdfsRequestContext,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${where(context)}: ${detail}`, options);
    this.op = context.op;
    this.path = context.path;
    this.role = context.role;
    this.endpoint = context.endpoint;
  }
}

/**
 * The server answered with a Hadoop RemoteException. `exception` is the simple
 * class name (`StandbyException`); callers classify by it, never by message text.
 */
export class WebHdfsRemoteError extends WebHdfsError {
  readonly status: number;
  readonly exception: string;
  readonly javaClassName: string;
  readonly remoteMessage: string;

  constructor(
    context: WebHdfsRequestContext,
    status: number,
    remote: { exception: string; javaClassName: string; message: string },
  ) {
    super(
      'ERR_WEBHDFS_REMOTE',
      context,
      `${remote.exception}: ${remote.message} (HTTP ${status})`,
    );
    this.status = status;
    this.exception = remote.exception;
    this.javaClassName = remote.javaClassName;
    this.remoteMessage = remote.message;
  }
}

/** An HTTP error answer that is not a RemoteException (a proxy, a gateway, a 503). */
export class WebHdfsHttpError extends WebHdfsError {
  readonly status: number;
  /** The first bytes of the body, for diagnosis. */
  readonly body: string;

  constructor(context: WebHdfsRequestContext, status: number, body: string) {
    const shown = body.replace(/\s+/g, ' ').trim().slice(0, 200);
    super('ERR_WEBHDFS_HTTP', context, `HTTP ${status}${shown ? `: ${shown}` : ''}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * The connection failed. `requestSent` says whether the request may have
 * reached the server: when it is true, a non-idempotent operation (RENAME) may
 * have taken effect and the caller must look before repeating it.
 */
export class WebHdfsNetworkError extends WebHdfsError {
  /** The system error code, e.g. `ECONNREFUSED`, or `ECLOSED` for a hang-up. */
  readonly syscallCode: string;
  readonly requestSent: boolean;

  constructor(
    context: WebHdfsRequestContext,
    syscallCode: string,
    requestSent: boolean,
    cause: unknown,
  ) {
    super('ERR_WEBHDFS_NETWORK', context, `network error ${syscallCode}`, { cause });
    this.syscallCode = syscallCode;
    this.requestSent = requestSent;
  }
}

/** One of the client's timeouts expired. */
export class WebHdfsTimeoutError extends WebHdfsError {
  readonly timeout: 'connect' | 'request' | 'stall';
  readonly ms: number;
  readonly requestSent: boolean;

  constructor(
    context: WebHdfsRequestContext,
    timeout: 'connect' | 'request' | 'stall',
    ms: number,
    requestSent: boolean,
  ) {
    super('ERR_WEBHDFS_TIMEOUT', context, `${timeout} timeout after ${ms} ms`);
    this.timeout = timeout;
    this.ms = ms;
    this.requestSent = requestSent;
  }
}

/** The server answered something WebHDFS never answers (no Location, bad JSON). */
export class WebHdfsProtocolError extends WebHdfsError {
  readonly status: number;

  constructor(context: WebHdfsRequestContext, status: number, detail: string) {
    super(
      'ERR_WEBHDFS_PROTOCOL',
      context,
      `unexpected answer (HTTP ${status}): ${detail}`,
    );
    this.status = status;
  }
}

/**
 * The NameNode was reached over https and sent the data to a plain http URL:
 * its redirect did, or the `dataNodeRewrite` target that replaced it. Refused
 * before anything is sent there, because the file's data and the delegation
 * token in the URL would travel unencrypted. Retrying cannot help until the
 * cluster or the rewrite changes.
 */
export class WebHdfsDowngradeError extends WebHdfsError {
  /** Where the data would have gone, `http://host:port` (never the URL's query). */
  readonly target: string;
  /** The `dataNodeRewrite` key whose target this is, when a rewrite made it. */
  readonly rewrite: string | undefined;

  constructor(context: WebHdfsRequestContext, target: string, rewrite?: string) {
    const source =
      rewrite === undefined
        ? 'the NameNode redirected to'
        : `dataNodeRewrite[${JSON.stringify(rewrite)}] leads to`;
    super(
      'ERR_WEBHDFS_DOWNGRADE',
      context,
      `refused: ${source} ${target}, plain http from an https NameNode; ` +
        'the data and the delegation token would travel unencrypted',
    );
    this.target = target;
    this.rewrite = rewrite;
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortError extends HdfsLogTransportError {
  constructor(what: string, cause?: unknown) {
    super('ERR_ABORTED', `${what} was aborted`, { cause });
  }
}

/** Reading the data to upload failed (a local file or the caller's stream). */
export class UploadSourceError extends HdfsLogTransportError {
  constructor(what: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('ERR_UPLOAD_SOURCE', `reading the data for ${what} failed: ${detail}`, {
      cause,
    });
  }
}

/**
 * The local disk refused an operation on the spool (ENOSPC, EIO, EACCES…). It is
 * reported as an event, never thrown into the application; the lines involved
 * are kept for the next segment or counted as dropped.
 */
export class SpoolWriteError extends HdfsLogTransportError {
  readonly action: 'open' | 'write' | 'seal';
  readonly file: string;
  /** The system error code, e.g. `ENOSPC`. */
  readonly syscallCode: string;

  constructor(
    action: 'open' | 'write' | 'seal',
    file: string,
    cause: NodeJS.ErrnoException,
  ) {
    const code = cause.code ?? 'EUNKNOWN';
    super(
      'ERR_SPOOL_WRITE',
      `spool ${action} failed for ${file || 'a segment'}: ${code}`,
      {
        cause,
      },
    );
    this.action = action;
    this.file = file;
    this.syscallCode = code;
  }
}

/** A published file is not what was sent: wrong type, length or checksum. */
export class VerificationError extends HdfsLogTransportError {
  readonly path: string;
  readonly expected: string;
  readonly actual: string;

  constructor(path: string, what: string, expected: string, actual: string) {
    super(
      'ERR_VERIFY_MISMATCH',
      `${path} on HDFS does not match what was sent: ${what} is ${actual}, expected ${expected}`,
    );
    this.path = path;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * The destination already holds another file at a segment's final name (other
 * length or type): publishing would overwrite someone's data. The segment is
 * kept locally and the conflict reported; it is not retried until it changes.
 */
export class PublishConflictError extends HdfsLogTransportError {
  readonly segment: string;
  readonly path: string;

  constructor(segment: string, path: string, detail: string, cause?: unknown) {
    super('ERR_PUBLISH_CONFLICT', `cannot publish ${segment}: ${path} ${detail}`, {
      cause,
    });
    this.segment = segment;
    this.path = path;
  }
}

/**
 * A segment's hidden temporary file vanished before its RENAME (removed by
 * someone else, e.g. a retention job clearing the directory): the RENAME was
 * refused, so nothing was published, and the segment is uploaded again.
 */
export class TemporaryFileLostError extends HdfsLogTransportError {
  readonly segment: string;
  readonly path: string;

  constructor(segment: string, path: string, cause?: unknown) {
    super(
      'ERR_TEMPORARY_FILE_LOST',
      `cannot publish ${segment} yet: its temporary file ${path} was removed before ` +
        'the RENAME; it will be uploaded again',
      { cause },
    );
    this.segment = segment;
    this.path = path;
  }
}

/**
 * A local file system refused an operation of the `file://` destination
 * (EACCES, ENOSPC, EEXIST…). `syscallCode` says which; `classifyError`
 * tells a retry from a permanent failure.
 */
export class LocalStoreError extends HdfsLogTransportError {
  /** The destination operation, e.g. `upload` or `rename`. */
  readonly op: string;
  /** The destination path the operation was about. */
  readonly path: string;
  /** The system error code, e.g. `EEXIST`, or `EUNKNOWN`. */
  readonly syscallCode: string;

  constructor(op: string, path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'EUNKNOWN';
    super('ERR_LOCAL_STORE', `local store ${op} ${path} failed: ${code}`, { cause });
    this.op = op;
    this.path = path;
    this.syscallCode = code;
  }
}

/**
 * A failure of the uploader, as the shipper reports it: rebuilt from plain
 * data when it comes from the uploader's worker thread. `code` is the original
 * error's code (e.g. `ERR_WEBHDFS_REMOTE`).
 */
export class UploadError extends HdfsLogTransportError {
  /** What retrying can do: `retry`, `failover`, `lease` or `permanent`. */
  readonly errorClass: 'retry' | 'failover' | 'lease' | 'permanent';
  /** The segment concerned, when there is one. */
  readonly segment: string | undefined;
  /** The RemoteException's simple class name, for WebHDFS errors. */
  readonly exception: string | undefined;
  readonly status: number | undefined;

  constructor(info: {
    readonly name: string;
    readonly code: string;
    readonly message: string;
    readonly errorClass: 'retry' | 'failover' | 'lease' | 'permanent';
    readonly exception?: string;
    readonly status?: number;
    readonly segment?: string;
  }) {
    super(
      info.code,
      info.segment === undefined ? info.message : `${info.segment}: ${info.message}`,
    );
    this.name = info.name;
    this.errorClass = info.errorClass;
    this.segment = info.segment;
    this.exception = info.exception;
    this.status = info.status;
  }
}

/** `flush()` could not publish everything: `pendingSegments` still wait. */
export class FlushError extends HdfsLogTransportError {
  readonly pendingSegments: number;
  readonly failures: readonly UploadError[];

  constructor(
    message: string,
    pendingSegments: number,
    failures: readonly UploadError[],
  ) {
    super(
      'ERR_FLUSH_INCOMPLETE',
      message,
      failures[0] ? { cause: failures[0] } : undefined,
    );
    this.pendingSegments = pendingSegments;
    this.failures = failures;
  }
}

/**
 * A copy job was used against its rules (a name that is running was started
 * again, a name never started was stopped), or cannot run: another process
 * holds its lock, or a run failed in an unforeseen way (`cause` says how).
 */
export class CopyJobError extends HdfsLogTransportError {
  /** The job's name. */
  readonly job: string;

  constructor(job: string, message: string, options?: { cause?: unknown }) {
    super('ERR_COPY_JOB', `copy job ${JSON.stringify(job)}: ${message}`, options);
    this.job = job;
  }
}

/**
 * A copy job's state file could not be read or written. The job fails
 * rather than start from nothing: without its state it would upload every
 * file it had already published once more.
 */
export class CopyStateError extends HdfsLogTransportError {
  readonly job: string;
  /** The state file. */
  readonly file: string;

  constructor(job: string, file: string, detail: string, cause?: unknown) {
    const message = `copy job ${JSON.stringify(job)}: state file ${file} ${detail}`;
    super('ERR_COPY_STATE', message, { cause });
    this.job = job;
    this.file = file;
  }
}

/**
 * A copy job could not publish a file, as its `error` event reports it:
 * `code` and `errorClass` are those of the original failure.
 */
export class CopyUploadError extends UploadError {
  readonly job: string;
  /** The local file concerned, when there is one. */
  readonly file: string | undefined;

  constructor(
    job: string,
    file: string | undefined,
    info: ConstructorParameters<typeof UploadError>[0],
  ) {
    super({ ...info, ...(file === undefined ? {} : { segment: file }) });
    this.job = job;
    this.file = file;
  }
}

/**
 * The TLS handshake failed: the server's certificate is not trusted or does
 * not name the host, the server wants a client certificate, or the server
 * does not speak TLS. Retrying cannot help until the configuration changes.
 */
export class WebHdfsTlsError extends WebHdfsError {
  /** Node's or OpenSSL's code, e.g. `SELF_SIGNED_CERT_IN_CHAIN`. */
  readonly tlsCode: string;

  constructor(
    context: WebHdfsRequestContext,
    tlsCode: string,
    hint: string,
    cause: unknown,
  ) {
    super('ERR_WEBHDFS_TLS', context, `TLS failed (${tlsCode}): ${hint}`, { cause });
    this.tlsCode = tlsCode;
  }
}

/**
 * The server asked for credentials this client cannot give (a 401 without
 * Kerberos or a gateway login configured) or refused the ones it gave.
 */
export class WebHdfsAuthError extends WebHdfsError {
  readonly status: number;

  constructor(context: WebHdfsRequestContext, status: number, detail: string) {
    super('ERR_WEBHDFS_AUTH', context, `HTTP ${status}: ${detail}`);
    this.status = status;
  }
}

/**
 * Kerberos could not produce credentials: the optional `kerberos` package or
 * the system's GSSAPI library is missing (`unavailable`), or there is no
 * usable ticket, key or principal (`credentials`). Never carries a secret.
 */
export class KerberosError extends HdfsLogTransportError {
  readonly reason: 'unavailable' | 'credentials';

  constructor(reason: 'unavailable' | 'credentials', message: string) {
    super('ERR_KERBEROS', message);
    this.reason = reason;
  }
}
