/**
 * The WebHDFS destination: `webhdfs://nn1:9870/logs/{name}/dt={yyyy-MM-dd}`
 * (or `swebhdfs://` for TLS). The URL's host is the first NameNode; its path
 * is the directory template. Every call maps onto one client operation, and
 * the client's typed errors pass through unchanged for `classifyError`.
 */
import { AbortError, InvalidHdfsPathError, InvalidOptionError } from '../errors.js';
import {
  confinePath,
  parseDestinationTemplate,
  renderDestination,
  type DestinationTemplate,
} from '../hdfs/destination-template.js';
import { isRemoteException } from '../hdfs/error-class.js';
import type { FileStatus } from '../hdfs/file-status.js';
import { parseNameNodeUrl } from '../hdfs/namenode-url.js';
import { verifyPublished } from '../hdfs/verify-published.js';
import { WebHdfsClient } from '../hdfs/webhdfs-client.js';
import type { WebHdfsClientOptions } from '../hdfs/webhdfs-client-options.js';
import { validateTimeZone } from '../segment/rotation-policy.js';
import type {
  Destination,
  SegmentPlacement,
  StoreCallOptions,
  StoreEntry,
} from './destination.js';

/** Client settings a destination passes on; NameNodes and user have their own options. */
export type WebHdfsPassThrough = Partial<
  Omit<WebHdfsClientOptions, 'namenodes' | 'user'>
>;

export interface WebHdfsDestinationOptions {
  /**
   * More NameNodes of the cluster (HA), after the URL's host; duplicates of
   * it are dropped.
   * @default []
   */
  readonly namenodes?: readonly string[];
  /** `user.name` for clusters without Kerberos. @default undefined */
  readonly user?: string | undefined;
  /** IANA zone the template's dates are written in. @default 'UTC' */
  readonly timeZone?: string;
  /** Gateway, base path, DataNode rewrites, proxy user, token, timeouts. @default {} */
  readonly webhdfs?: WebHdfsPassThrough;
  /** The option's name in error messages. @default 'destination' */
  readonly option?: string;
}

const EXPECTED = 'a URL such as "webhdfs://nn1:9870/logs/{name}/dt={yyyy-MM-dd}"';

/** Publishes segments to HDFS through a {@link WebHdfsClient}. */
export class WebHdfsDestination implements Destination {
  readonly #scheme: string;
  readonly #template: DestinationTemplate;
  readonly #timeZone: string;
  readonly #client: WebHdfsClient;

  /**
   * Reads the URL and options and creates the client; no request is sent.
   *
   * @throws {@link InvalidOptionError} for a URL, template, zone or client
   *   option that cannot be used
   */
  constructor(url: string, options: WebHdfsDestinationOptions = {}) {
    const option = options.option ?? 'destination';
    const { scheme, nameNode, templatePath } = readWebHdfsUrl(url, option);
    this.#scheme = scheme;
    this.#template = parseDestinationTemplate(templatePath, option);
    this.#timeZone = validateTimeZone(options.timeZone, 'timeZone');
    this.#client = new WebHdfsClient({
      ...options.webhdfs,
      namenodes: listNameNodes(nameNode, options.namenodes ?? []),
      ...(options.user === undefined ? {} : { user: options.user }),
    });
  }

  /** `webhdfs://<active NameNode><template>`: never a user name or a token. */
  get description(): string {
    return `${this.#scheme}://${this.#client.activeNameNode}${this.#template.source}`;
  }

  directoryFor(segment: SegmentPlacement): string {
    return renderDestination(this.#template, { ...segment, timeZone: this.#timeZone });
  }

  async upload(local: string, path: string, options: StoreCallOptions): Promise<void> {
    const { signal } = options;
    // CREATE makes the missing parents itself (createparent defaults to true).
    const target = this.#check(path, signal);
    await this.#client.create(target, { path: local }, { overwrite: false, signal });
  }

  async rename(
    from: string,
    to: string,
    options: StoreCallOptions & { overwrite: boolean },
  ): Promise<void> {
    const { signal, overwrite } = options;
    const [source, target] = [this.#check(from, signal), this.#check(to, signal)];
    // rename2 (renameoptions): a target that exists, even a directory, is a
    // FileAlreadyExistsException or IOException, never a move into it.
    await this.#client.renameWithOptions(source, target, { overwrite, signal });
  }

  async stat(path: string, options: StoreCallOptions): Promise<StoreEntry | undefined> {
    const target = this.#check(path, options.signal);
    try {
      const status = await this.#client.getFileStatus(target, options);
      return toEntry(status, baseName(target));
    } catch (error) {
      if (isRemoteException(error, 'FileNotFoundException')) return undefined;
      throw error;
    }
  }

  async list(directory: string, options: StoreCallOptions): Promise<StoreEntry[]> {
    const target = this.#check(directory, options.signal);
    let statuses: FileStatus[];
    try {
      statuses = await this.#client.listStatus(target, options);
    } catch (error) {
      if (isRemoteException(error, 'FileNotFoundException')) return [];
      throw error;
    }
    // LISTSTATUS of a file answers the file itself, with an empty name.
    if (statuses.length === 1 && statuses[0]?.pathSuffix === '') {
      throw new InvalidHdfsPathError(target, 'it is a file, not a directory');
    }
    return statuses.map((status) => toEntry(status, status.pathSuffix));
  }

  async delete(path: string, options: StoreCallOptions): Promise<boolean> {
    return this.#client.delete(this.#check(path, options.signal), {
      recursive: false,
      signal: options.signal,
    });
  }

  async verifyContent(
    localPath: string,
    path: string,
    options: StoreCallOptions,
  ): Promise<'checksum' | 'length'> {
    return verifyPublished(this.#client, localPath, this.#check(path, options.signal), {
      checksum: true,
      signal: options.signal,
    });
  }

  /** Cancels the delegation token the client fetched, if any, and closes it. */
  close(): Promise<void> {
    return this.#client.close();
  }

  /**
   * Refuses a path that is not a clean absolute path inside the template's
   * base directory (a hostile segment name must not reach another
   * directory), and a call whose signal has already fired.
   */
  #check(path: string, signal: AbortSignal): string {
    confinePath(this.#template, path);
    // Checked here, not left to the client: given a signal that has already
    // fired, it destroys its request before listening for its errors.
    if (signal.aborted) throw new AbortError(`WebHDFS call on ${path}`, signal.reason);
    return path;
  }
}

/** The scheme, NameNode (`webhdfs://host:port`) and decoded template of the URL. */
function readWebHdfsUrl(value: string, option: string) {
  const fail = (reason: string): never => {
    throw new InvalidOptionError(option, `${EXPECTED}, but ${reason}`, value);
  };
  const match = /^(s?webhdfs):\/\/([^/?#]*)(.*)$/i.exec(value);
  if (match === null) return fail('it is not a webhdfs:// or swebhdfs:// URL');
  const [, schemeText = '', authority = '', rawPath = ''] = match;
  const scheme = schemeText.toLowerCase();

  if (authority === '') fail('it names no NameNode host');
  if (authority.includes('@')) fail('it holds credentials; use the `user` option');
  let url: URL;
  try {
    url = new URL(`${scheme}://${authority}/`);
  } catch {
    return fail('its host or port is not valid');
  }
  if (rawPath === '') fail('it names no directory');

  return {
    scheme,
    nameNode: `${scheme}://${url.host}`,
    templatePath: decodeUrlPath(rawPath, fail),
  };
}

/**
 * Percent-decodes the path as written. It is taken from the text rather than
 * from `URL.pathname`, which would quietly resolve `..` and `%2e%2e`; the
 * template reader refuses those instead.
 */
function decodeUrlPath(rawPath: string, fail: (reason: string) => never): string {
  if (/[?#]/.test(rawPath)) fail('it has a query or fragment');
  // Decoded, an escaped slash would look like a separator the user never wrote.
  if (/%2f/i.test(rawPath)) fail('it holds an escaped slash (%2F)');
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return fail('it holds a malformed percent-escape');
  }
}

/** The URL's NameNode first, then the others, each once (by address). */
function listNameNodes(first: string, more: readonly string[]): string[] {
  const seen = new Set<string>();
  const list: string[] = [];
  for (const [index, url] of [first, ...more].entries()) {
    const option = index === 0 ? 'destination' : `namenodes[${index - 1}]`;
    const endpoint = parseNameNodeUrl(url, option);
    const key = `${endpoint.origin}${endpoint.basePath}`;
    if (seen.has(key)) continue;
    seen.add(key);
    list.push(url);
  }
  return list;
}

function toEntry(status: FileStatus, name: string): StoreEntry {
  return {
    name,
    // HDFS symlinks are disabled since Hadoop 2; one is reported as a file.
    type: status.type === 'DIRECTORY' ? 'directory' : 'file',
    length: status.length,
    modificationTime: status.modificationTime,
  };
}

function baseName(path: string): string {
  return path.split('/').filter(Boolean).at(-1) ?? '';
}
