export * from './errors.js';
export * from './hdfs/hdfs-path.js';
export * from './hdfs/checksum.js';
export * from './hdfs/error-class.js';
export type { FileStatus } from './hdfs/file-status.js';
export type { UploadBody } from './hdfs/http-exchange.js';
export * from './hdfs/webhdfs-client.js';
export type { WebHdfsClientOptions } from './hdfs/webhdfs-client-options.js';
export * from './hdfs/verify-published.js';
