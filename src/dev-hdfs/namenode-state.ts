/**
 * The exceptions a NameNode raises because of its state rather than the
 * namespace: standby in an HA pair (webhdfs-reference.md section 4.2) and
 * safe mode.
 */
import { HadoopException } from './hadoop-exception.js';

export type HaState = 'active' | 'standby';

/** OperationCategory of a namesystem call. */
export type OperationCategory = 'READ' | 'WRITE';

/** StandbyState.checkOperation's exception, word for word. */
export function standbyException(category: OperationCategory): HadoopException {
  return new HadoopException(
    'StandbyException',
    `Operation category ${category} is not supported in state standby. ` +
      'Visit https://s.apache.org/sbnn-error',
  );
}

/**
 * FSNamesystem.checkNameNodeSafeMode's exception for safe mode entered by
 * hand. `refusal` is Hadoop's own prefix, e.g. "Cannot create directory /a";
 * for files Hadoop writes "Cannot create file/a", without the space.
 */
export function safeModeException(refusal: string, hostName: string): HadoopException {
  return new HadoopException(
    'SafeModeException',
    `${refusal}. Name node is in safe mode.\n` +
      'It was turned on manually. Use "hdfs dfsadmin -safemode leave" to turn safe ' +
      `mode off. NamenodeHostName:${hostName}`,
  );
}

/** The state a NameNode-side check needs. */
export interface NameNodeState {
  readonly haState: HaState;
  readonly safeMode: boolean;
  /** Host name the NameNode reports in safe-mode messages. */
  readonly hostName: string;
}

/** checkOperation: a standby refuses every namesystem call. */
export function checkOperation(state: NameNodeState, category: OperationCategory): void {
  if (state.haState === 'standby') throw standbyException(category);
}

/** checkOperation(WRITE), then checkNameNodeSafeMode. */
export function checkWritable(state: NameNodeState, refusal: string): void {
  checkOperation(state, 'WRITE');
  if (state.safeMode) throw safeModeException(refusal, state.hostName);
}
