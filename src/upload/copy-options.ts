/**
 * The options of a copy job (issue 5), typed in one place with their
 * documented defaults; `resolveCopyJob` checks them.
 */
import type { Duration } from '../duration.js';
import type { WebHdfsSettings } from '../options.js';
import type { Destination } from './destination.js';

/** A copy job: which files, where to, how often. Only `patterns` and `destination` are required. */
export interface CopyJobOptions {
  /**
   * Glob patterns (`/var/log/nginx/*.log`, `/srv/app/app.log.[0-9]`) or
   * plain paths of the files to copy. A relative pattern is taken from the
   * working directory when the job starts. Names starting with `.` match
   * only where the pattern spells the dot; a directory matches nothing.
   */
  readonly patterns: string | readonly string[];
  /**
   * Where files go, as for the shipper: `'webhdfs://nn1:9870/logs/{host}/{name}/dt={yyyy-MM-dd}'`,
   * `'file:///srv/published/{name}'` or a `Destination` object. `{name}` is
   * the job's name; dates are those of the file's last modification when it
   * is first copied (a file that grows later keeps its first directory).
   */
  readonly destination: string | Destination;
  /** How often the job looks for files. @default '1m' */
  readonly interval?: Duration;
  /**
   * How long a file must stay unchanged (size and modification time) before
   * it is copied.
   * @default twice `interval`
   */
  readonly quietPeriod?: Duration;
  /** Attempts per file within one run; the rest waits for the next run. @default 3 */
  readonly retries?: number;
  /** First backoff delay between attempts (full jitter, doubling). @default '5s' */
  readonly retryDelay?: Duration;
  /** Longest backoff delay. @default '1m' */
  readonly maxRetryDelay?: Duration;
  /**
   * `'preserve'`: a file keeps its path below its pattern's base (the
   * directories before the first wildcard); `'flatten'`: every file goes
   * into the destination directory itself. Two files that would take one
   * name never overwrite each other: the later one gets a short suffix.
   * @default 'preserve'
   */
  readonly layout?: 'preserve' | 'flatten';
  /** Compress copies with gzip; the published name ends in `.gz`. @default false */
  readonly compress?: 'gzip' | false;
  /**
   * How a published copy is checked: `'length'`, or `'checksum'` (content,
   * by HDFS's MD5-of-MD5-of-CRC32C).
   * @default 'length'
   */
  readonly verify?: 'length' | 'checksum';
  /**
   * `'delete'` removes the local file once its copy is published and
   * verified, if it did not change meanwhile.
   * @default 'keep'
   */
  readonly afterUpload?: 'keep' | 'delete';
  /** IANA time zone of the destination template's dates. @default 'UTC' */
  readonly timeZone?: string;
  /** More NameNodes of the same cluster (HA), besides the destination's host. @default [] */
  readonly namenodes?: readonly string[];
  /** `user.name` for clusters without Kerberos. @default undefined */
  readonly user?: string;
  /** Advanced WebHDFS settings, as for the shipper. @default {} */
  readonly webhdfs?: WebHdfsSettings;
  /**
   * The job's state file: what it has copied, so that nothing is copied
   * twice across restarts. Beside it, `<name>.work/` holds the job's publish
   * journal and the snapshots being published.
   * @default `<stateDir>/<name>.json`
   */
  readonly stateFile?: string;
}

/** The documented defaults of {@link CopyJobOptions}. */
export const COPY_DEFAULTS = {
  interval: '1m',
  retries: 3,
  retryDelay: '5s',
  maxRetryDelay: '1m',
  layout: 'preserve',
  compress: false,
  verify: 'length',
  afterUpload: 'keep',
  timeZone: 'UTC',
} as const;
