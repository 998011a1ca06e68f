import type { Readable } from 'node:stream';
import { WebHdfsProtocolError } from '../errors.js';
import type { HdfsFileChecksum } from './checksum.js';
import { parseFileStatus, type FileStatus } from './file-status.js';
import { validateHdfsPath } from './hdfs-path.js';
import type { ExchangeResponse, UploadBody } from './http-exchange.js';
import { isRecord, readJson } from './response-body.js';
import {
  resolveClientOptions,
  type WebHdfsClientOptions,
} from './webhdfs-client-options.js';
import {
  JSON_LIMIT,
  WebHdfsTransport,
  type CallSpec,
  type Method,
} from './webhdfs-transport.js';

export interface RequestOptions {
  /** Cancels the request; the promise rejects with an `AbortError`. */
  readonly signal?: AbortSignal | undefined;
}

export interface CreateOptions extends RequestOptions {
  /** Replace an existing file. @default false */
  readonly overwrite?: boolean;
  /** Octal permission string, e.g. `'644'`. @default the cluster's default */
  readonly permission?: string;
  /** Bytes per block (at least 1 MiB on HDFS). @default the cluster's dfs.blocksize */
  readonly blockSize?: number;
  /** @default the cluster's dfs.replication */
  readonly replication?: number;
  /** Create missing parent directories (`createparent`). @default true */
  readonly createParent?: boolean;
}

export interface OpenOptions extends RequestOptions {
  /** First byte to read. @default 0 */
  readonly offset?: number;
  /** Bytes to read. @default to the end of the file */
  readonly length?: number;
}

/**
 * A WebHDFS client for the operations a log shipper needs. Every failure is a
 * typed error (see `classifyError`); `{"boolean": false}` answers are returned as
 * `false`, never taken for success.
 */
export class WebHdfsClient {
  readonly #gateway: boolean;
  readonly #noRedirect: boolean;
  readonly #transport: WebHdfsTransport;
  #closing: Promise<void> | undefined;

  constructor(options: WebHdfsClientOptions) {
    const resolved = resolveClientOptions(options);
    this.#gateway = resolved.gateway;
    this.#noRedirect = resolved.noRedirect;
    this.#transport = new WebHdfsTransport(resolved);
  }

  /** The NameNode requests go to now (`host:port`). */
  get activeNameNode(): string {
    return this.#transport.activeNameNode.hostPort;
  }

  /** Writes a new file (two-step CREATE, or one step through a gateway). */
  async create(
    path: string,
    body: UploadBody,
    options: CreateOptions = {},
  ): Promise<void> {
    const params = {
      overwrite: options.overwrite ?? false,
      permission: options.permission,
      blocksize: options.blockSize,
      replication: options.replication,
      createparent: options.createParent,
    };
    const { signal } = options;
    await this.#write({ method: 'PUT', op: 'CREATE', path, params, body, signal }, 201);
  }

  /** Appends to an existing file. */
  async append(
    path: string,
    body: UploadBody,
    options: RequestOptions = {},
  ): Promise<void> {
    await this.#write(
      { method: 'POST', op: 'APPEND', path, body, signal: options.signal },
      200,
    );
  }

  /** Streams a file's content. The caller must read or destroy the stream. */
  async open(path: string, options: OpenOptions = {}): Promise<Readable> {
    const params = { offset: options.offset, length: options.length };
    const res = await this.#viaDataNode({
      method: 'GET',
      op: 'OPEN',
      path,
      params,
      ...options,
    });
    return res.body;
  }

  /** Creates a directory and its parents; `true` also when it already exists. */
  async mkdirs(path: string, options: RequestOptions & { permission?: string } = {}) {
    const params = { permission: options.permission };
    return this.#boolean({
      method: 'PUT',
      op: 'MKDIRS',
      path,
      params,
      signal: options.signal,
    });
  }

  /**
   * RENAME without options: `false` when HDFS declines (source missing,
   * destination exists, parent missing…). When `destination` is a directory the
   * source is moved into it, as HDFS does: prefer `renameWithOptions`.
   */
  async rename(source: string, destination: string, options: RequestOptions = {}) {
    const params = { destination: validateHdfsPath(destination) };
    const { signal } = options;
    return this.#boolean({ method: 'PUT', op: 'RENAME', path: source, params, signal });
  }

  /**
   * RENAME with `renameoptions` NONE or OVERWRITE: every refusal is a typed
   * error (FileAlreadyExistsException, FileNotFoundException…), never `false`,
   * and a directory at `destination` is never moved into.
   */
  async renameWithOptions(
    source: string,
    destination: string,
    options: RequestOptions & { overwrite?: boolean } = {},
  ): Promise<void> {
    const params = {
      destination: validateHdfsPath(destination),
      renameoptions: options.overwrite === true ? 'OVERWRITE' : 'NONE',
    };
    const { signal } = options;
    const res = await this.#transport.nameNode({
      method: 'PUT',
      op: 'RENAME',
      path: source,
      params,
      signal,
    });
    res.body.resume();
  }

  /** Deletes a path; `false` when there was nothing to delete. */
  async delete(path: string, options: RequestOptions & { recursive?: boolean } = {}) {
    const params = { recursive: options.recursive ?? false };
    return this.#boolean({
      method: 'DELETE',
      op: 'DELETE',
      path,
      params,
      signal: options.signal,
    });
  }

  /** The status of one path; a missing path rejects with FileNotFoundException. */
  async getFileStatus(path: string, options: RequestOptions = {}): Promise<FileStatus> {
    const json = await this.#json({
      method: 'GET',
      op: 'GETFILESTATUS',
      path,
      ...options,
    });
    const status = isRecord(json) ? parseFileStatus(json.FileStatus) : undefined;
    return status ?? this.#shapeError('GETFILESTATUS', path, 'no FileStatus');
  }

  /** The entries of a directory (or the file itself, for a file). */
  async listStatus(path: string, options: RequestOptions = {}): Promise<FileStatus[]> {
    const json = await this.#json({ method: 'GET', op: 'LISTSTATUS', path, ...options });
    const statuses = isRecord(json) ? json.FileStatuses : undefined;
    const list = isRecord(statuses) ? statuses.FileStatus : undefined;
    if (!Array.isArray(list))
      return this.#shapeError('LISTSTATUS', path, 'no FileStatuses');
    return list.map(
      (entry) =>
        parseFileStatus(entry) ?? this.#shapeError('LISTSTATUS', path, 'bad entry'),
    );
  }

  /** HDFS's MD5-of-MD5-of-CRC32C of a file (compare with `computeHdfsChecksum`). */
  async getFileChecksum(
    path: string,
    options: RequestOptions = {},
  ): Promise<HdfsFileChecksum> {
    const call = { method: 'GET', op: 'GETFILECHECKSUM', path, ...options } as const;
    const res = await this.#viaDataNode(call);
    const json = await readJson(res.body, res.context, JSON_LIMIT);
    const value = isRecord(json) ? json.FileChecksum : undefined;
    const { algorithm, bytes, length } = isRecord(value) ? value : {};
    if (
      typeof algorithm !== 'string' ||
      typeof bytes !== 'string' ||
      typeof length !== 'number'
    ) {
      return this.#shapeError('GETFILECHECKSUM', path, 'no FileChecksum');
    }
    return { algorithm, bytes, length };
  }

  /** The user's home directory, e.g. `/user/alice`. */
  async getHomeDirectory(options: RequestOptions = {}): Promise<string> {
    const json = await this.#json({
      method: 'GET',
      op: 'GETHOMEDIRECTORY',
      path: '/',
      ...options,
    });
    if (!isRecord(json) || typeof json.Path !== 'string') {
      return this.#shapeError('GETHOMEDIRECTORY', '/', 'no Path');
    }
    return json.Path;
  }

  /**
   * Cancels the delegation token the client fetched itself (with Kerberos;
   * never a `delegationToken` given to it), as Hadoop's client does, then
   * closes idle connections. Call it once requests have ended: one still in
   * flight may lose its token. The cancel is best effort, given a few
   * seconds at most; the client is closed either way, and the promise then
   * rejects with the cancel's error (the token lives on until it expires).
   * Later calls return the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#transport.close();
    return this.#closing;
  }

  async #write(call: CallSpec & { method: Method; body: UploadBody }, success: number) {
    let res: ExchangeResponse;
    if (this.#gateway) {
      // HttpFS takes the data on the endpoint itself when data=true.
      const params = { ...call.params, data: true };
      res = await this.#transport.nameNode({ ...call, params, accepted: [success] });
    } else {
      const step1 = { ...call, body: undefined };
      const located = await this.#transport.nameNode(this.#withRedirect(step1));
      const target = await this.#transport.redirectTarget(located);
      res = await this.#transport.dataNode(target, { ...call, accepted: [success] });
    }
    res.body.resume();
  }

  /** OPEN and GETFILECHECKSUM: a redirect to a DataNode, or the answer itself (gateways). */
  async #viaDataNode(call: CallSpec): Promise<ExchangeResponse> {
    const first = await this.#transport.nameNode(this.#withRedirect(call));
    if (first.status === 200 && !this.#noRedirect) return first;
    const target = await this.#transport.redirectTarget(first);
    return this.#transport.dataNode(target, { ...call, accepted: [200] });
  }

  #withRedirect(call: CallSpec): CallSpec {
    return this.#noRedirect
      ? { ...call, params: { ...call.params, noredirect: true } }
      : call;
  }

  async #boolean(call: CallSpec): Promise<boolean> {
    const json = await this.#json(call);
    if (!isRecord(json) || typeof json.boolean !== 'boolean') {
      return this.#shapeError(call.op, call.path, 'no {"boolean": …}');
    }
    return json.boolean;
  }

  async #json(call: CallSpec): Promise<unknown> {
    const res = await this.#transport.nameNode(call);
    return readJson(res.body, res.context, JSON_LIMIT);
  }

  #shapeError(op: string, path: string, detail: string): never {
    const endpoint = this.#transport.activeNameNode.hostPort;
    throw new WebHdfsProtocolError({ op, path, role: 'namenode', endpoint }, 200, detail);
  }
}
