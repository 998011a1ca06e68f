/**
 * Where segments are published. The package has two (WebHDFS and a local
 * directory, `file://`); an object with these methods plugs in another store.
 *
 * The publish protocol needs little from a store, but it needs it exactly:
 * - `upload` creates a new file and never replaces one;
 * - `rename` is atomic and, without `overwrite`, never replaces the target nor
 *   moves the source into a directory of that name;
 * - `stat` answers `undefined` for a missing path (and only then).
 * Any other failure may be thrown as is: errors of this package are classified
 * by `classifyError` (retry, fail over, lease, permanent), anything else is
 * retried with backoff.
 */
export interface Destination {
  /** For messages and status, e.g. `webhdfs://nn1:9870/logs/app`; never holds a secret. */
  readonly description: string;

  /**
   * The directory a segment is published into (absolute, `/`-separated), from
   * its stream name, host and start time. Must always be inside the
   * destination's base directory.
   */
  directoryFor(segment: SegmentPlacement): string;

  /**
   * Creates the file `path` (and missing parents) with the content of the
   * local file `localPath`. Fails if `path` exists. The file need not be
   * complete until `upload` resolves: it is a hidden temporary name.
   */
  upload(localPath: string, path: string, options: StoreCallOptions): Promise<void>;

  /**
   * Renames `from` to `to` atomically. Without `overwrite` it fails when `to`
   * exists (as any kind of entry); with `overwrite` it replaces a file at `to`.
   */
  rename(
    from: string,
    to: string,
    options: StoreCallOptions & { overwrite: boolean },
  ): Promise<void>;

  /** The entry at `path`, or `undefined` when there is none. */
  stat(path: string, options: StoreCallOptions): Promise<StoreEntry | undefined>;

  /** The entries of a directory; `[]` when the directory does not exist. */
  list(directory: string, options: StoreCallOptions): Promise<StoreEntry[]>;

  /** Deletes a file; `false` when there was nothing to delete. */
  delete(path: string, options: StoreCallOptions): Promise<boolean>;

  /**
   * Checks that `path` holds exactly the content of `localPath`, as far as the
   * store can tell: `'checksum'` when content was compared, `'length'` when
   * only the length could be. Rejects when they differ. Optional: without it,
   * `verify: 'checksum'` falls back to comparing lengths.
   */
  verifyContent?(
    localPath: string,
    path: string,
    options: StoreCallOptions,
  ): Promise<'checksum' | 'length'>;

  /**
   * Releases connections; called once the uploader stops. May return a
   * promise (WebHDFS first cancels the delegation token it fetched): it is
   * waited for, and a rejection is reported as an `error` event.
   */
  close?(): void | Promise<void>;
}

/** What decides where a segment goes. */
export interface SegmentPlacement {
  /** The stream name (`name` option). */
  readonly name: string;
  /** The writer's host, as in the segment name. */
  readonly host: string;
  /** When the segment was opened, epoch milliseconds. */
  readonly start: number;
}

export interface StoreCallOptions {
  readonly signal: AbortSignal;
}

export interface StoreEntry {
  /** Last path component. */
  readonly name: string;
  readonly type: 'file' | 'directory';
  readonly length: number;
  /** Epoch milliseconds. */
  readonly modificationTime: number;
}
