import type { Duration } from './duration.js';
import type { WebHdfsClientOptions } from './hdfs/webhdfs-client-options.js';
import type { Size } from './size.js';
import type { Destination } from './upload/destination.js';

/**
 * Options of the shipper and of both front doors (winston and pino). Only
 * `destination` and `spoolDir` are required. Durations take milliseconds or
 * strings such as `'30s'`, `'5m'`, `'1h'`; sizes take bytes or strings such
 * as `'64MiB'`, `'1GB'` (every unit a power of 1024).
 */
export interface HdfsLogOptions {
  /**
   * Where segments are published: a directory template URL such as
   * `'webhdfs://nn1:9870/logs/{name}/dt={yyyy-MM-dd}/hour={HH}'` (`swebhdfs://`
   * for TLS), `'file:///var/spool/published/{name}'`, or an object implementing
   * `Destination`. `{…}` holds a luxon date format of the segment's start time
   * in `rotate.timeZone`; `{host}` and `{name}` are the host and stream name.
   */
  readonly destination: string | Destination;
  /**
   * Local directory for segments (created if missing). Use a persistent local
   * disk: what is in it has not reached HDFS yet.
   */
  readonly spoolDir: string;
  /**
   * Stream name: the first part of every segment name and `{name}` in the
   * destination. Letters, digits, `_` and `-`.
   * @default 'app'
   */
  readonly name?: string;
  /**
   * More NameNodes of the same cluster (HA), besides the destination's host.
   * @default []
   */
  readonly namenodes?: readonly string[];
  /** `user.name` for clusters without Kerberos. @default undefined (HDFS uses `dr.who`) */
  readonly user?: string;
  readonly rotate?: RotateOptions;
  readonly upload?: UploadOptions;
  /**
   * Compress sealed segments with gzip (off the application's thread); the
   * published file is then `<segment>.log.gz`.
   * @default false
   */
  readonly compress?: 'gzip' | false;
  /**
   * The most disk the spool may use, everything counted (active, sealed,
   * waiting, retained and temporary files). Over it, retained copies are
   * deleted first, then the oldest waiting segments; each drop is reported.
   * At least twice `rotate.size`, and one `rotate.size` more for each other
   * live writer of a shared spool (reported at start as `ERR_SPOOL_BUDGET`).
   * @default '1GiB'
   */
  readonly maxSpoolBytes?: Size;
  /**
   * Free space to leave on the spool's file system; below it, segments are
   * dropped as for `maxSpoolBytes`.
   * @default '100MiB'
   */
  readonly minFreeBytes?: Size;
  /**
   * Keep published segments locally for this long (in `retained/`), or
   * `false` to delete them once published.
   * @default false
   */
  readonly keepUploaded?: Duration | false;
  /**
   * How a published file is checked: `'length'` (type and length), or
   * `'checksum'` (also content, by HDFS's MD5-of-MD5-of-CRC32C).
   * @default 'length'
   */
  readonly verify?: 'length' | 'checksum';
  readonly buffer?: BufferOptions;
  /**
   * Advanced WebHDFS settings: TLS (`tls`), Kerberos (`kerberos`), a
   * gateway's name and password (`basicAuth`), delegation token, gateways,
   * DataNode rewrites, timeouts, proxy user. See docs/secure-clusters.md.
   * @default {}
   */
  readonly webhdfs?: WebHdfsSettings;
}

export interface RotateOptions {
  /** A segment is sealed once it would grow past this size. @default '64MiB' */
  readonly size?: Size;
  /**
   * A segment is sealed when this period of the clock ends: whole seconds
   * that divide a day (`'1m'`, `'5m'`, `'15m'`, `'1h'`, `'1d'`…), or `'1w'`
   * (weeks start on Monday).
   * @default '5m'
   */
  readonly every?: Duration;
  /** IANA time zone of period boundaries and destination templates. @default 'UTC' */
  readonly timeZone?: string;
}

export interface UploadOptions {
  /** How often sealed segments are published. @default '1m' */
  readonly interval?: Duration;
  /**
   * Segments whose bytes are sent at the same time; as many more may be in
   * their closing steps (RENAME, length check) meanwhile. @default 2
   */
  readonly concurrency?: number;
  /** Attempts per segment within one interval; the rest waits for the next. @default 3 */
  readonly retries?: number;
  /** First backoff delay between attempts (full jitter, doubling). @default '5s' */
  readonly retryDelay?: Duration;
  /** Longest backoff delay. @default '1m' */
  readonly maxRetryDelay?: Duration;
  /**
   * On `close()`, make a last attempt to publish, bounded by `closeTimeout`.
   * Off, what is left is published by the next start.
   * @default false
   */
  readonly onClose?: boolean;
  /** Bound of the last attempt on `close()`. @default '10s' */
  readonly closeTimeout?: Duration;
}

export interface BufferOptions {
  /**
   * Bytes of log lines held in memory before they are written to the local
   * segment. A process crash can lose up to twice this: a full buffer, and
   * the write the disk is still carrying out (taken from the buffer).
   * @default '1MiB'
   */
  readonly size?: Size;
  /**
   * When the buffer is full: `'write'` writes synchronously to the local disk
   * (never the network), `'drop'` drops the lines that do not fit and counts
   * them.
   * @default 'write'
   */
  readonly onFull?: 'write' | 'drop';
}

/** The keys of {@link WebHdfsSettings}, for validation. */
export const WEBHDFS_SETTING_KEYS = [
  'basePath',
  'doAs',
  'delegationToken',
  'tls',
  'kerberos',
  'basicAuth',
  'gateway',
  'noRedirect',
  'dataNodeRewrite',
  'connectTimeout',
  'requestTimeout',
  'stallTimeout',
] as const satisfies ReadonlyArray<keyof WebHdfsClientOptions>;

/** The WebHDFS client settings a destination passes on. */
export type WebHdfsSettings = Partial<
  Pick<WebHdfsClientOptions, (typeof WEBHDFS_SETTING_KEYS)[number]>
>;

/** The documented defaults, in one place. */
export const DEFAULTS = {
  name: 'app',
  rotate: { size: '64MiB', every: '5m', timeZone: 'UTC' },
  upload: {
    interval: '1m',
    concurrency: 2,
    retries: 3,
    retryDelay: '5s',
    maxRetryDelay: '1m',
    onClose: false,
    closeTimeout: '10s',
  },
  compress: false,
  maxSpoolBytes: '1GiB',
  minFreeBytes: '100MiB',
  keepUploaded: false,
  verify: 'length',
  buffer: { size: '1MiB', onFull: 'write' },
} as const;
