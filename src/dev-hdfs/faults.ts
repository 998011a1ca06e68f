/**
 * Fault injection switches, settable at start and while running. A "count"
 * switch is `true` (every matching request) or a number n (the next n
 * matching requests, after which it clears itself).
 */
import { InvalidOptionError } from '../errors.js';
import { isKnownException } from './hadoop-exception.js';

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
}

type FaultName = keyof DevHdfsFaults;
const FAULT_NAMES: readonly FaultName[] = [
  'refuse',
  'resetUpload',
  'rejectAfterContinue',
  'delayMs',
  'unavailable',
  'safeMode',
  'quotaBytes',
  'holdLease',
];

/**
 * Checks faults given as untyped data (the admin endpoint's JSON, the CLI).
 * `null` (JSON's only way to say it) is accepted like `undefined`: clear it.
 */
export function validateFaults(value: unknown, option = 'faults'): DevHdfsFaults {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(option, 'an object of fault switches', value);
  }
  const faults: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(value)) {
    const where = `${option}.${name}`;
    if (!(FAULT_NAMES as readonly string[]).includes(name)) {
      throw new InvalidOptionError(where, `one of ${FAULT_NAMES.join(', ')}`, name);
    }
    faults[name] =
      raw === null || raw === undefined
        ? undefined
        : checkFault(name as FaultName, raw, where);
  }
  return faults;
}

function checkFault(name: FaultName, value: unknown, where: string): unknown {
  switch (name) {
    case 'refuse':
    case 'safeMode':
      return expect(typeof value === 'boolean', where, 'a boolean', value);
    case 'delayMs':
    case 'quotaBytes':
      return expect(isCount(value), where, 'a non-negative integer', value);
    case 'unavailable':
      return expect(isSwitch(value), where, 'a boolean or a count', value);
    case 'holdLease':
      return expect(
        Array.isArray(value) && value.every((path) => typeof path === 'string'),
        where,
        'an array of HDFS paths',
        value,
      );
    case 'resetUpload':
    case 'rejectAfterContinue':
      if (isSwitch(value)) return value;
      return checkUploadFault(name, value, where);
  }
}

function checkUploadFault(name: FaultName, value: unknown, where: string): unknown {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidOptionError(where, 'a boolean, a count or an object', value);
  }
  const fault = value as Record<string, unknown>;
  const { afterBytes, times, exception } = fault;
  if (name === 'resetUpload' || afterBytes !== undefined) {
    expect(
      isCount(afterBytes),
      `${where}.afterBytes`,
      'a non-negative integer',
      afterBytes,
    );
  }
  if (times !== undefined) expect(isCount(times), `${where}.times`, 'a count', times);
  if (exception !== undefined) {
    const usable =
      typeof exception === 'string' &&
      (isKnownException(exception) || exception.includes('.'));
    expect(
      usable,
      `${where}.exception`,
      'a known or fully-qualified class name',
      exception,
    );
  }
  return value;
}

function expect(ok: boolean, where: string, expected: string, value: unknown): unknown {
  if (!ok) throw new InvalidOptionError(where, expected, value);
  return value;
}

function isOff(value: unknown): boolean {
  if (value === undefined || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  return (
    typeof value === 'object' && value !== null && 'times' in value && value.times === 0
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isSwitch(value: unknown): value is CountSwitch {
  return typeof value === 'boolean' || isCount(value);
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

  /** Returns a count switch's value if it fires, counting it down. */
  #take<K extends 'unavailable' | 'resetUpload' | 'rejectAfterContinue'>(
    name: K,
  ): DevHdfsFaults[K] {
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
