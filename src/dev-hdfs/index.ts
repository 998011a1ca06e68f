/**
 * The dev WebHDFS server's public API, for tests, the demo and the
 * `dev-hdfs` CLI command.
 */
export {
  DevHdfsServer,
  type DevHdfsOptions,
  type DevHdfsRequestEvent,
  type DevHdfsServerEvents,
} from './dev-hdfs-server.js';
export type { DevHdfsKerberosOptions, DevHdfsTlsOptions } from './dev-hdfs-options.js';
export {
  DevNamespace,
  type DevNamespaceEvents,
  type DevNamespaceOptions,
} from './dev-namespace.js';
export {
  validateFaults,
  type CountSwitch,
  type DevHdfsFaults,
  type NameNodeExceptionFault,
  type RejectAfterContinueFault,
  type ResetUploadFault,
} from './faults.js';
export {
  startDevHdfsHaPair,
  type DevHdfsHaPair,
  type DevHdfsHaPairOptions,
} from './ha-pair.js';
export { HadoopException, type RemoteExceptionBody } from './hadoop-exception.js';
export type { InodeStatus } from './json-shapes.js';
export type { HaState } from './namenode-state.js';
export type { ProxyUsersOption } from './proxy-users.js';
