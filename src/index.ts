// The engine: log lines in, segments on HDFS out.
export { createShipper, Shipper, channels } from './shipper.js';
export type { ShipperEvents, ShipperStatus } from './shipper.js';
export type {
  BufferOptions,
  HdfsLogOptions,
  RotateOptions,
  UploadOptions,
  WebHdfsSettings,
} from './options.js';
export type { Duration } from './duration.js';
export type { Size } from './size.js';
export type { SealedSegment } from './segment/open-segment.js';
export type {
  AmbiguousEvent,
  CycleEvent,
  DroppedEvent,
  ErrorInfo,
  PublishingEvent,
  RecoveredEvent,
  RetryEvent,
  UploadedEvent,
  UploadErrorEvent,
} from './upload/uploader-events.js';
export type { UploaderStatus } from './upload/uploader-status.js';

// Copy jobs: other programs' log files, copied once complete.
export { createCopyManager, CopyManager } from './upload/copy-manager.js';
export type { CopyManagerOptions, StopCopyOptions } from './upload/copy-manager.js';
export { COPY_DEFAULTS } from './upload/copy-options.js';
export type { CopyJobOptions } from './upload/copy-options.js';
export type {
  CopyAmbiguousEvent,
  CopyCycleEvent,
  CopyEvents,
  CopyFailure,
  CopyJobStatus,
  CopyRetryEvent,
  CopySkippedEvent,
  CopyUploadedEvent,
} from './upload/copy-events.js';
export type { ProcCheck } from './upload/copy-open-files.js';

// Destinations: the two built in, and the interface to plug in another store.
export type {
  Destination,
  SegmentPlacement,
  StoreCallOptions,
  StoreEntry,
} from './upload/destination.js';
export { WebHdfsDestination } from './upload/webhdfs-destination.js';
export type { WebHdfsDestinationOptions } from './upload/webhdfs-destination.js';
export { FileDestination } from './upload/file-destination.js';
export type { FileDestinationOptions } from './upload/file-destination.js';

// Errors, every one with a stable code.
export * from './errors.js';

// The WebHDFS client and what comes with it.
export * from './hdfs/checksum.js';
export * from './hdfs/error-class.js';
export type { FileStatus } from './hdfs/file-status.js';
export * from './hdfs/hdfs-path.js';
export type { UploadBody } from './hdfs/http-exchange.js';
export * from './hdfs/verify-published.js';
export * from './hdfs/webhdfs-client.js';
export type { WebHdfsClientOptions } from './hdfs/webhdfs-client-options.js';
export type { WebHdfsTlsOptions, PemSource } from './hdfs/tls-options.js';
export type { WebHdfsKerberosOptions } from './hdfs/kerberos-options.js';
