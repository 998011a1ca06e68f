/**
 * Turns the `destination` option into a {@link Destination}: a URL by its
 * scheme, or an object that already is one. Everything is checked here,
 * before any I/O, including a trial render of the template for this host and
 * stream name, so that a template that can never work fails at start rather
 * than on every segment.
 */
import { InvalidHdfsPathError, InvalidOptionError } from '../errors.js';
import type { WebHdfsClientOptions } from '../hdfs/webhdfs-client-options.js';
import type { Destination } from './destination.js';
import { FileDestination } from './file-destination.js';
import { WebHdfsDestination } from './webhdfs-destination.js';

/** What a destination is resolved with, besides the option's value. */
export interface DestinationContext {
  /** The option's name in error messages, e.g. `destination`. */
  readonly option: string;
  /** The stream name (`{name}`). */
  readonly name: string;
  /** The writer's host (`{host}`). */
  readonly host: string;
  /** `rotate.timeZone`: the zone of the template's dates. */
  readonly timeZone: string;
  /** More NameNodes of the cluster, after the URL's host (WebHDFS only). */
  readonly namenodes?: readonly string[];
  /** `user.name` (WebHDFS only). */
  readonly user?: string | undefined;
  /** Client settings passed on (WebHDFS only); NameNodes and user have their own options. */
  readonly webhdfs?: Partial<WebHdfsClientOptions>;
  /**
   * The `verify` option: `checksum` needs a destination that can compare
   * content, which a Destination object without `verifyContent` cannot.
   */
  readonly verify?: 'length' | 'checksum';
}

/** The methods every destination has; `verifyContent` and `close` are optional. */
const REQUIRED_METHODS = [
  'directoryFor',
  'upload',
  'rename',
  'stat',
  'list',
  'delete',
] as const;

const EXPECTED =
  'a URL such as "webhdfs://nn1:9870/logs/{name}/dt={yyyy-MM-dd}" or ' +
  '"file:///srv/published/{name}", or a Destination object';

/**
 * Resolves `value` (the `destination` option) into a destination:
 * - `webhdfs://host[:port]/template`, `swebhdfs://…` (TLS): WebHDFS;
 * - `file:///dir/template`: a local or mounted directory;
 * - an object with `description` and the methods of {@link Destination}:
 *   used as it is (its template, if any, is its own business).
 * `hdfs://` (the RPC protocol) and `http(s)://` URLs are refused with the
 * spelling to use instead: in an http URL the path could be the REST API's
 * prefix or the directory, and guessing would put files in the wrong place.
 *
 * @throws {@link InvalidOptionError} naming the option, what was expected and
 *   what was received
 */
export function resolveDestination(
  value: unknown,
  context: DestinationContext,
): Destination {
  const { option } = context;
  if (typeof value === 'object' && value !== null) {
    const destination = checkDestinationObject(value, option);
    if (context.verify === 'checksum' && destination.verifyContent === undefined) {
      throw new InvalidOptionError(
        'verify',
        `"length" for a Destination object without verifyContent (${option}: ` +
          `${destination.description}), or a destination that has it`,
        'checksum',
      );
    }
    return destination;
  }
  if (typeof value !== 'string') throw new InvalidOptionError(option, EXPECTED, value);

  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  let destination: Destination;
  switch (scheme) {
    case 'webhdfs':
    case 'swebhdfs':
      destination = new WebHdfsDestination(value, webHdfsOptions(context));
      break;
    case 'file':
      destination = new FileDestination(value, { timeZone: context.timeZone, option });
      break;
    case 'hdfs':
    case 'http':
    case 'https':
      throw new InvalidOptionError(option, suggestWebHdfs(value, scheme), value);
    default:
      throw new InvalidOptionError(option, EXPECTED, value);
  }

  tryRender(destination, context, value);
  return destination;
}

/**
 * What to write instead of an `hdfs://` or `http(s)://` URL, built from its
 * own host and path. An hdfs:// port is the RPC port, so it is not kept.
 */
function suggestWebHdfs(value: string, scheme: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const tls = scheme === 'https';
  const port = (scheme !== 'hdfs' && url?.port) || (tls ? '9871' : '9870');
  const host = `${url?.hostname || 'nn1'}:${port}`;
  // The raw path keeps the braces that URL.pathname would percent-encode.
  const rawPath = value.replace(/^[^:]+:\/\/[^/?#]*/, '').replace(/[?#].*$/, '');
  const api = rawPath.indexOf('/webhdfs/v1/');
  const prefix = api === -1 ? '' : rawPath.slice(0, api + '/webhdfs/v1'.length);
  const path = rawPath.slice(prefix.length) || '/logs/{name}';
  const example = `"${tls ? 'swebhdfs' : 'webhdfs'}://${host}${path}"`;
  if (scheme === 'hdfs') {
    return (
      `a WebHDFS URL such as ${example}: hdfs:// is Hadoop's RPC protocol, which ` +
      'this package does not speak; WebHDFS is on the NameNode HTTP port'
    );
  }
  const basePath = prefix === '' || prefix === '/webhdfs/v1' ? '' : prefix;
  return basePath === ''
    ? `a URL such as ${example}, whose path is only the directory template ` +
        '(a gateway prefix such as "/gateway/prod/webhdfs/v1" goes in webhdfs.basePath)'
    : `a URL such as ${example} with webhdfs.basePath "${basePath}": the URL's ` +
        'path is only the directory template';
}

function webHdfsOptions(context: DestinationContext) {
  const { namenodes, user, webhdfs = {}, timeZone, option } = context;
  // One place for each setting: a second list of NameNodes would be ambiguous.
  for (const key of ['namenodes', 'user'] as const) {
    if (webhdfs[key] !== undefined) {
      throw new InvalidOptionError(`webhdfs.${key}`, `unset; use "${key}"`, webhdfs[key]);
    }
  }
  return { namenodes: namenodes ?? [], user, webhdfs, timeZone, option };
}

/**
 * Renders the template once for this host and stream name: a host name that
 * cannot be a path component would otherwise fail every segment, one by one.
 */
function tryRender(destination: Destination, context: DestinationContext, url: string) {
  const { option, name, host } = context;
  try {
    destination.directoryFor({ name, host, start: Date.now() });
  } catch (error) {
    if (!(error instanceof InvalidHdfsPathError)) throw error;
    // Built just now, it sent nothing: its close has no token to cancel.
    void destination.close?.();
    throw new InvalidOptionError(
      option,
      `a template that gives a valid path for name ${JSON.stringify(name)} and host ` +
        `${JSON.stringify(host)}, but ${error.reason}`,
      url,
    );
  }
}

function checkDestinationObject(value: object, option: string): Destination {
  const candidate = value as Record<string, unknown>;
  const missing: string[] = REQUIRED_METHODS.filter(
    (method) => typeof candidate[method] !== 'function',
  );
  if (typeof candidate.description !== 'string') missing.push('description (a string)');
  for (const method of ['verifyContent', 'close']) {
    const given = candidate[method];
    if (given !== undefined && typeof given !== 'function') {
      missing.push(`${method} (a function when given)`);
    }
  }
  if (missing.length > 0) {
    throw new InvalidOptionError(
      option,
      `a Destination object; missing or wrong: ${missing.join(', ')}`,
      value,
    );
  }
  return value as Destination;
}
