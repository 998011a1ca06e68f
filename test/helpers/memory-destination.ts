import { readFile } from 'node:fs/promises';
import { VerificationError } from '../../src/errors.js';
import type {
  Destination,
  SegmentPlacement,
  StoreCallOptions,
  StoreEntry,
} from '../../src/upload/destination.js';

type Hook = (op: string, path: string) => void | Promise<void>;

/**
 * A destination in memory, for the publish protocol's unit tests: files are
 * strings, directories are implied by paths, and `before`/`after` hooks make
 * any call fail, or change the store, at the exact step a test needs.
 */
export class MemoryDestination implements Destination {
  readonly description = 'memory://test';
  readonly files = new Map<string, string>();
  readonly calls: string[] = [];
  before: Hook | undefined;
  after: Hook | undefined;

  directoryFor(segment: SegmentPlacement): string {
    return `/logs/${segment.name}`;
  }

  async upload(localPath: string, path: string, _options: StoreCallOptions) {
    await this.#step('upload', path, async () => {
      if (this.files.has(path)) throw new Error(`${path} exists`);
      this.files.set(path, await readFile(localPath, 'utf8'));
    });
  }

  async rename(
    from: string,
    to: string,
    options: StoreCallOptions & { overwrite: boolean },
  ) {
    await this.#step('rename', from, () => {
      const content = this.files.get(from);
      if (content === undefined) throw new Error(`${from} does not exist`);
      if (this.files.has(to) && !options.overwrite) throw new Error(`${to} exists`);
      this.files.delete(from);
      this.files.set(to, content);
    });
  }

  async stat(path: string, _options: StoreCallOptions): Promise<StoreEntry | undefined> {
    return this.#step('stat', path, () => {
      const content = this.files.get(path);
      if (content === undefined) return undefined;
      const name = path.slice(path.lastIndexOf('/') + 1);
      return {
        name,
        type: 'file',
        length: Buffer.byteLength(content),
        modificationTime: 0,
      };
    });
  }

  async list(directory: string, _options: StoreCallOptions): Promise<StoreEntry[]> {
    return this.#step('list', directory, () => []);
  }

  async delete(path: string, _options: StoreCallOptions): Promise<boolean> {
    return this.#step('delete', path, () => this.files.delete(path));
  }

  /** Compares the content itself, as a checksum would. */
  async verifyContent(
    localPath: string,
    path: string,
    _options: StoreCallOptions,
  ): Promise<'checksum'> {
    return this.#step('verify', path, async () => {
      const local = await readFile(localPath, 'utf8');
      const stored = this.files.get(path) ?? '';
      if (stored !== local) throw new VerificationError(path, 'content', local, stored);
      return 'checksum' as const;
    });
  }

  async #step<T>(op: string, path: string, action: () => T | Promise<T>): Promise<T> {
    this.calls.push(`${op} ${path}`);
    await this.before?.(op, path);
    const result = await action();
    await this.after?.(op, path);
    return result;
  }
}
