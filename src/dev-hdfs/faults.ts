/**
 * Fault injection switches, settable at start and while running. A "count"
 * switch is `true` (every matching request) or a number n (the next n
 * matching requests, after which it clears itself).
 */
import { validateFaults } from './fault-validation.js';

export { validateFaults } from './fault-validation.js';

export type CountSwitch = boolean | number;

export interface ResetUploadFault {
  /** Bytes of the body received before the connection is reset. */
  afterBytes: number;
  /** How many uploads to reset; every one until cleared when absent. */
  times?: number;
}

export interface RejectAfterContinueFault {
  /** Simple or fully-qualified class name. @default 'AccessControlException' */
  exception?: string;
  /** Bytes of the body received before the answer. @default 1 */
  afterBytes?: number;
  /** How many uploads to reject; every one until cleared when absent. */
  times?: number;
}

export interface NameNodeExceptionFault {
  /** Simple or fully-qualified class name, e.g. 'RetriableException'. */
  exception: string;
  /** Only requests with these ops (upper case); every NameNode request when absent. */
  ops?: string[];
  /** How many requests to fail; every one until cleared when absent. */
  times?: number;
}

export interface DevHdfsFaults {
  /** NameNode and DataNode stop listening (ECONNREFUSED); open sockets are destroyed. */
  refuse?: boolean;
  /** The DataNode resets the connection in the middle of an upload body. */
  resetUpload?: CountSwitch | ResetUploadFault;
  /** The DataNode answers a 403 RemoteException after `100 Continue`, mid-body. */
  rejectAfterContinue?: CountSwitch | RejectAfterContinueFault;
  /** Every NameNode and DataNode request waits this long first. */
  delayMs?: number;
  /** The NameNode answers 503 with an HTML body, as a proxy would. */
  unavailable?: CountSwitch;
  /** Write operations fail with SafeModeException. */
  safeMode?: boolean;
  /** Disk-space quota on `/` (bytes, all replicas): DSQuotaExceededException. */
  quotaBytes?: number;
  /** CREATE and APPEND of these paths fail with AlreadyBeingCreatedException. */
  holdLease?: string[];
  /**
   * Writes (CREATE, APPEND, MKDIRS, RENAME, DELETE) at or under these paths
   * fail with AccessControlException, as for a user without write permission.
   */
  denyWrite?: string[];
  /**
   * NameNode requests answer this exception, with the status Hadoop gives its
   * class: 500 for a RuntimeException such as NullPointerException.
   */
  nameNodeException?: NameNodeExceptionFault;
}

type FaultName = keyof DevHdfsFaults;

function isOff(value: unknown): boolean {
  if (value === undefined || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  return (
    typeof value === 'object' && value !== null && 'times' in value && value.times === 0
  );
}

/** The current faults, consumed by the requests they match. */
export class FaultSwitchboard {
  #faults: DevHdfsFaults = {};

  /** A snapshot of the switches that are on. */
  get current(): Readonly<DevHdfsFaults> {
    return Object.freeze(structuredClone(this.#faults));
  }

  /** The value of one switch, undefined when it is off. */
  get<K extends FaultName>(name: K): Readonly<DevHdfsFaults[K]> {
    return this.#faults[name];
  }

  /**
   * Merges `faults` in; a switch given as undefined, false, 0, an empty list
   * or `times: 0` is cleared.
   */
  merge(faults: DevHdfsFaults): void {
    const next = new Map<string, unknown>(Object.entries(this.#faults));
    for (const [name, value] of Object.entries(validateFaults(faults))) {
      if (isOff(value)) next.delete(name);
      else next.set(name, structuredClone(value));
    }
    this.#faults = Object.fromEntries(next);
  }

  clear(): void {
    this.#faults = {};
  }

  /** Consumes one `unavailable` if it is on. */
  takeUnavailable(): boolean {
    return this.#take('unavailable') !== undefined;
  }

  /** Consumes one `resetUpload`: the byte count after which to reset. */
  takeResetUpload(): { afterBytes: number } | undefined {
    const fault = this.#take('resetUpload');
    if (fault === undefined) return undefined;
    return { afterBytes: typeof fault === 'object' ? fault.afterBytes : 1 };
  }

  /** Consumes one `rejectAfterContinue`: what to answer and when. */
  takeRejectAfterContinue(): { afterBytes: number; exception: string } | undefined {
    const fault = this.#take('rejectAfterContinue');
    if (fault === undefined) return undefined;
    const options = typeof fault === 'object' ? fault : {};
    return {
      afterBytes: options.afterBytes ?? 1,
      exception: options.exception ?? 'AccessControlException',
    };
  }

  /** Consumes one `nameNodeException` if it applies to `op`: the class to throw. */
  takeNameNodeException(op: string): string | undefined {
    const ops = this.#faults.nameNodeException?.ops;
    if (ops !== undefined && !ops.some((name) => name.toUpperCase() === op)) {
      return undefined;
    }
    return this.#take('nameNodeException')?.exception;
  }

  /** Returns a count switch's value if it fires, counting it down. */
  #take<
    K extends 'unavailable' | 'resetUpload' | 'rejectAfterContinue' | 'nameNodeException',
  >(name: K): DevHdfsFaults[K] {
    const value = this.#faults[name];
    if (value === undefined || value === false) return undefined;
    if (typeof value === 'number') {
      this.merge({ [name]: value - 1 });
    } else if (typeof value === 'object' && value.times !== undefined) {
      this.merge({
        [name]: value.times > 1 ? { ...value, times: value.times - 1 } : undefined,
      });
    }
    return value;
  }
}
