import type { ResolvedOptions } from '../resolve-options.js';
import { spoolLayout } from '../segment/spool-layout.js';
import type { Destination } from './destination.js';
import { resolveDestination } from './resolve-destination.js';
import type { UploaderConfig } from './uploader.js';

/** Builds the destination the options name (no I/O: connections open on first use). */
export function destinationOf(options: ResolvedOptions): Destination {
  return resolveDestination(options.destination, {
    option: 'destination',
    name: options.name,
    host: options.host,
    timeZone: options.rotate.timeZone,
    namenodes: options.namenodes,
    ...(options.user === undefined ? {} : { user: options.user }),
    webhdfs: options.webhdfs,
    verify: options.verify,
  });
}

/** The uploader's settings, from the shipper's resolved options. */
export function uploaderConfigOf(
  options: ResolvedOptions,
  destination: Destination,
): UploaderConfig {
  const { upload } = options;
  return {
    layout: spoolLayout(options.spoolDir),
    destination,
    interval: upload.interval,
    concurrency: upload.concurrency,
    retries: upload.retries,
    retryDelay: upload.retryDelay,
    maxRetryDelay: upload.maxRetryDelay,
    verify: options.verify,
    keepUploaded: options.keepUploaded,
    maxSpoolBytes: options.maxSpoolBytes,
    minFreeBytes: options.minFreeBytes,
    compress: options.compress === 'gzip',
  };
}
