export * from './errors.js';
export * from './hdfs/hdfs-path.js';
