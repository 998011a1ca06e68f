/**
 * Checking fault switches given as untyped data (the admin endpoint's JSON,
 * the CLI, plain JavaScript) before they reach the switchboard, with errors
 * that name the switch, what it expected and what it got.
 */
import { InvalidOptionError } from '../errors.js';
import type { DevHdfsFaults } from './faults.js';
import { isKnownException } from './hadoop-exception.js';

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
  'denyWrite',
  'nameNodeException',
];

/**
 * Checks faults given as untyped data. `null` (JSON's only way to say it) is
 * accepted like `undefined`: clear it.
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
    case 'denyWrite':
      return expect(
        Array.isArray(value) &&
          value.every((path) => typeof path === 'string' && path.startsWith('/')),
        where,
        'an array of absolute HDFS paths',
        value,
      );
    case 'resetUpload':
    case 'rejectAfterContinue':
      if (isSwitch(value)) return value;
      return checkUploadFault(name, value, where);
    case 'nameNodeException':
      return checkNameNodeException(value, where);
  }
}

function checkUploadFault(name: FaultName, value: unknown, where: string): unknown {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidOptionError(where, 'a boolean, a count or an object', value);
  }
  const { afterBytes, times, exception } = value as Record<string, unknown>;
  if (name === 'resetUpload' || afterBytes !== undefined) {
    expect(
      isCount(afterBytes),
      `${where}.afterBytes`,
      'a non-negative integer',
      afterBytes,
    );
  }
  checkTimes(times, where);
  if (exception !== undefined) checkExceptionName(exception, where);
  return value;
}

function checkNameNodeException(value: unknown, where: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(where, 'an object { exception, ops?, times? }', value);
  }
  const { exception, ops, times } = value as Record<string, unknown>;
  checkExceptionName(exception, where);
  if (ops !== undefined) {
    expect(
      Array.isArray(ops) && ops.every((op) => typeof op === 'string' && op !== ''),
      `${where}.ops`,
      'an array of WebHDFS op names',
      ops,
    );
  }
  checkTimes(times, where);
  return value;
}

function checkTimes(times: unknown, where: string): void {
  if (times !== undefined) expect(isCount(times), `${where}.times`, 'a count', times);
}

/** A class the server knows (so its FQCN and status are real), or any FQCN. */
function checkExceptionName(exception: unknown, where: string): void {
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

function expect(ok: boolean, where: string, expected: string, value: unknown): unknown {
  if (!ok) throw new InvalidOptionError(where, expected, value);
  return value;
}

/** A whole number of bytes, milliseconds or requests. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isSwitch(value: unknown): value is boolean | number {
  return typeof value === 'boolean' || isCount(value);
}
