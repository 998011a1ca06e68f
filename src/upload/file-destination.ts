/**
 * The local directory destination, `file:///srv/published/{name}/{yyyy-MM-dd}`:
 * for tests, demos and file systems mounted from elsewhere (an NFS gateway,
 * FUSE). The URL's path is the template and a rendered path is the local
 * path itself. Names follow HDFS's rules, so a template that works here works
 * on HDFS. Every change is fsynced, and so is the directory holding it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  AbortError,
  InvalidOptionError,
  LocalStoreError,
  UploadSourceError,
  VerificationError,
} from '../errors.js';
import {
  confinePath,
  parseDestinationTemplate,
  renderDestination,
  type DestinationTemplate,
} from '../hdfs/destination-template.js';
import { validateTimeZone } from '../segment/rotation-policy.js';
import type {
  Destination,
  SegmentPlacement,
  StoreCallOptions,
  StoreEntry,
} from './destination.js';

export interface FileDestinationOptions {
  /** IANA zone the template's dates are written in. @default 'UTC' */
  readonly timeZone?: string;
  /** The option's name in error messages. @default 'destination' */
  readonly option?: string;
}

const EXPECTED = 'a URL such as "file:///srv/published/{name}/{yyyy-MM-dd}"';

/** Publishes segments into a local (or mounted) directory, durably and atomically. */
export class FileDestination implements Destination {
  readonly description: string;
  readonly #template: DestinationTemplate;
  readonly #timeZone: string;

  /**
   * Reads the URL; touches no file.
   *
   * @throws {@link InvalidOptionError} for a URL other than `file:///…` with an
   *   absolute template below at least one fixed directory, or a bad zone
   */
  constructor(url: string, options: FileDestinationOptions = {}) {
    const option = options.option ?? 'destination';
    const templatePath = readFileUrl(url, option);
    this.#template = parseDestinationTemplate(templatePath, option);
    if (this.#template.baseDirectory === '/') {
      // The template could then make directories anywhere on the machine.
      const expected = `${EXPECTED}, with a fixed directory before the first placeholder`;
      throw new InvalidOptionError(option, expected, url);
    }
    this.#timeZone = validateTimeZone(options.timeZone, 'timeZone');
    this.description = `file://${templatePath}`;
  }

  directoryFor(segment: SegmentPlacement): string {
    return renderDestination(this.#template, { ...segment, timeZone: this.#timeZone });
  }

  async upload(
    localPath: string,
    path: string,
    options: StoreCallOptions,
  ): Promise<void> {
    const target = this.#target(path, options.signal, 'upload');
    await fs.stat(localPath).catch((error: unknown) => {
      throw new UploadSourceError(localPath, error);
    });

    await local('upload', target, async () => {
      const created = await fs.mkdir(dirname(target), { recursive: true });
      if (created !== undefined) await syncNewDirectories(created, dirname(target));
      // COPYFILE_EXCL opens the target with O_CREAT | O_EXCL: EEXIST, never a
      // replaced file. The kernel copies, so an abort waits until it is done.
      await fs.copyFile(localPath, target, fs.constants.COPYFILE_EXCL);
      await syncPath(target, 'r+');
      await syncPath(dirname(target), 'r');
    });
  }

  async rename(
    from: string,
    to: string,
    options: StoreCallOptions & { overwrite: boolean },
  ): Promise<void> {
    const source = this.#target(from, options.signal, 'rename');
    const target = this.#target(to, options.signal, 'rename');

    await local('rename', target, async () => {
      if (options.overwrite) {
        await fs.rename(source, target);
      } else {
        // rename(2) replaces a file at `to`. link(2) fails with EEXIST when
        // any entry is there, atomically, and never links into a directory.
        // A crash between the two calls leaves both names: the protocol then
        // finds `to` published and sweeps `from` as a stale temporary file.
        await fs.link(source, target);
        await fs.unlink(source);
      }
      await syncPath(dirname(target), 'r');
      if (dirname(source) !== dirname(target)) await syncPath(dirname(source), 'r');
    });
  }

  async stat(path: string, options: StoreCallOptions): Promise<StoreEntry | undefined> {
    const target = this.#target(path, options.signal, 'stat');
    // Links are followed: a mounted base often links to other disks.
    const stats = await local('stat', target, () => fs.stat(target), {
      missing: undefined,
    });
    return stats && toEntry(baseName(target), stats);
  }

  async list(directory: string, options: StoreCallOptions): Promise<StoreEntry[]> {
    const target = this.#target(directory, options.signal, 'list');
    const names = await local('list', target, () => fs.readdir(target), { missing: [] });

    const entries: StoreEntry[] = [];
    for (const name of names) {
      const path = join(target, name);
      // A name gone since readdir (a consumer moved the file) is not listed.
      const stats = await local('list', path, () => fs.stat(path), {
        missing: undefined,
      });
      if (stats !== undefined) entries.push(toEntry(name, stats));
    }
    return entries;
  }

  async delete(path: string, options: StoreCallOptions): Promise<boolean> {
    const target = this.#target(path, options.signal, 'delete');
    const unlink = () => fs.unlink(target).then(() => true);
    const deleted = await local('delete', target, unlink, { missing: false });
    if (deleted) await local('delete', target, () => syncPath(dirname(target), 'r'));
    return deleted;
  }

  async verifyContent(
    localPath: string,
    path: string,
    options: StoreCallOptions,
  ): Promise<'checksum' | 'length'> {
    const target = this.#target(path, options.signal, 'verify');
    const [sent, stored] = await Promise.all([
      fingerprint(localPath, options.signal).catch((error: unknown) => {
        if (isAbort(error)) throw new AbortError(`file verify ${target}`, error);
        throw new UploadSourceError(localPath, error);
      }),
      local('verify', target, () => fingerprint(target, options.signal)),
    ]);

    for (const field of ['type', 'length', 'sha256'] as const) {
      if (sent[field] !== stored[field]) {
        throw new VerificationError(target, field, sent[field], stored[field]);
      }
    }
    return 'checksum';
  }

  /**
   * The local path for `path`, once it is known to be a clean absolute path
   * inside the base directory: a hostile name must not reach another one.
   */
  #target(path: string, signal: AbortSignal, op: string): string {
    confinePath(this.#template, path);
    checkSignal(signal, op, path);
    return path.endsWith('/') ? path.slice(0, -1) : path;
  }
}

/**
 * The decoded template of `file:///abs/dir` (or `file://localhost/abs/dir`).
 * The path is read from the text: `URL.pathname` would resolve `..` and turn
 * `\` into `/` without a word, where the template reader refuses them.
 */
function readFileUrl(value: string, option: string): string {
  const fail = (reason: string): never => {
    throw new InvalidOptionError(option, `${EXPECTED}, but ${reason}`, value);
  };
  const match = /^file:\/\/([^/?#]*)(.*)$/i.exec(value);
  if (match === null) return fail('it is not file:// followed by an absolute path');
  const [, host = '', rawPath = ''] = match;

  if (host !== '' && host.toLowerCase() !== 'localhost') {
    fail('it names a remote host; mount its file system and give the local path');
  }
  if (!rawPath.startsWith('/')) fail('it names no directory');
  if (/[?#]/.test(rawPath)) fail('it has a query or fragment');
  if (rawPath.includes('\\')) fail('it holds a backslash');
  // Decoded, an escaped slash would be a separator the user never wrote.
  if (/%2f/i.test(rawPath)) fail('it holds an escaped slash (%2F)');
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return fail('it holds a malformed percent-escape');
  }
}

/** fsync of a file, or of a directory so that a new or removed name survives a crash. */
async function syncPath(path: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await fs.open(path, flags);
  try {
    await handle.sync();
  } catch (error) {
    // Some FUSE and network file systems cannot fsync a directory (EINVAL);
    // the file's own data is synced, and there is nothing more to ask.
    const unsupported = ['EINVAL', 'ENOTSUP'].includes(codeOf(error) ?? '');
    if (flags === 'r+' || !unsupported) throw error;
  } finally {
    await handle.close();
  }
}

/** Syncs the parent of each directory `mkdir -p` made, `first` being the topmost. */
async function syncNewDirectories(first: string, last: string): Promise<void> {
  const made = [last];
  for (let dir = last; dir !== first && dirname(dir) !== dir;) {
    dir = dirname(dir);
    made.unshift(dir);
  }
  for (const dir of made) await syncPath(dirname(dir), 'r');
}

/** What content verification compares; the hash only for a regular file. */
async function fingerprint(path: string, signal: AbortSignal) {
  const stats = await fs.stat(path);
  if (!stats.isFile()) return { type: 'not a file', length: '', sha256: '' };

  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal }))
    hash.update(chunk as Buffer);
  return { type: 'file', length: `${stats.size}`, sha256: hash.digest('hex') };
}

/**
 * Runs a file system step and wraps what it throws in a
 * {@link LocalStoreError}; with `ifMissing`, ENOENT answers its value instead.
 */
async function local<T, M = never>(
  op: string,
  path: string,
  step: () => Promise<T>,
  ifMissing?: { readonly missing: M },
): Promise<T | M> {
  try {
    return await step();
  } catch (error) {
    if (ifMissing !== undefined && codeOf(error) === 'ENOENT') return ifMissing.missing;
    if (error instanceof AbortError) throw error;
    if (isAbort(error)) throw new AbortError(`file ${op} ${path}`, error);
    throw new LocalStoreError(op, path, error);
  }
}

function checkSignal(signal: AbortSignal, op: string, path: string): void {
  if (signal.aborted) throw new AbortError(`file ${op} ${path}`, signal.reason);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function toEntry(name: string, stats: Stats): StoreEntry {
  // As on HDFS, a directory's length is 0, not its size on disk.
  const directory = stats.isDirectory();
  return {
    name,
    type: directory ? 'directory' : 'file',
    length: directory ? 0 : stats.size,
    modificationTime: Math.floor(stats.mtimeMs),
  };
}

function baseName(path: string): string {
  return path.split('/').filter(Boolean).at(-1) ?? '';
}
