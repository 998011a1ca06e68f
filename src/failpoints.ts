/**
 * Named crash points for the crash tests (issue 3, "Proof"): a test starts a
 * child process with `HLT_FAILPOINT=<name>` (or `<name>:<count>`) and the
 * child kills itself with SIGKILL the moment it reaches that point, exactly
 * as a power cut or an OOM kill would stop it there. The restart that follows
 * must then lose nothing and duplicate nothing.
 *
 * The variable is read once, when this module loads. Without it every
 * {@link failpoint} call is a single boolean check, so the points can stay in
 * the production code paths they guard.
 */
import { InvalidOptionError } from './errors.js';

/** Every crash point, in the order a segment meets them. */
export const FAILPOINT_NAMES = [
  /** A segment writer is between two writes of one segment. */
  'mid-write',
  /** A seal is between the fsync of the segment and its rename out of `active/`. */
  'mid-seal',
  /** The gzip output is complete and fsynced in `tmp/`, not yet renamed into `ready/`. */
  'mid-gzip',
  /** Start-up recovery cut an abandoned segment but has not renamed it yet. */
  'mid-recovery',
  /** The journal says an attempt begins; nothing was sent to HDFS yet. */
  'after-begin-journal',
  /** CREATE of the hidden temporary file on HDFS succeeded. */
  'after-create',
  /** The journal says RENAME was sent; the RENAME itself was not. */
  'after-rename-journal',
  /** RENAME to the final name succeeded; the journal does not know yet. */
  'after-rename',
  /** The segment is published and journaled; the local file is still there. */
  'before-local-delete',
] as const;

/** The name of a crash point, see {@link FAILPOINT_NAMES}. */
export type FailpointName = (typeof FAILPOINT_NAMES)[number];

/** The environment variable that arms a crash point. */
export const FAILPOINT_VARIABLE = 'HLT_FAILPOINT';

/** What `HLT_FAILPOINT` asks for. */
export interface FailpointSetting {
  readonly name: FailpointName;
  /** Crash the `count`-th time the point is reached (from 1). */
  readonly count: number;
}

const SETTING = /^([a-z-]+)(?::(\d+))?$/;
const EXPECTED =
  `"<name>" or "<name>:<count>" with a count from 1 and a name among ` +
  FAILPOINT_NAMES.join(', ');

/**
 * Reads the value of `HLT_FAILPOINT`: `undefined` or `''` arm nothing.
 *
 * @throws {@link InvalidOptionError} for an unknown name or a bad count: a
 *   crash test with a misspelt point would otherwise run to the end and
 *   prove nothing
 */
export function parseFailpointSetting(
  value: string | undefined,
): FailpointSetting | undefined {
  if (value === undefined || value === '') return undefined;

  const match = SETTING.exec(value);
  const name = match?.[1] ?? '';
  const count = match?.[2] === undefined ? 1 : Number(match[2]);
  if (!isFailpointName(name) || !Number.isSafeInteger(count) || count < 1) {
    throw new InvalidOptionError(FAILPOINT_VARIABLE, EXPECTED, value);
  }
  return { name, count };
}

function isFailpointName(name: string): name is FailpointName {
  return (FAILPOINT_NAMES as readonly string[]).includes(name);
}

const setting = parseFailpointSetting(process.env[FAILPOINT_VARIABLE]);
const armed = setting !== undefined;
// Counted per thread: each worker thread loads its own copy of this module.
let reached = 0;

/**
 * Marks a crash point. Does nothing unless `HLT_FAILPOINT` names this point;
 * then, the `count`-th time it is reached, kills the whole process at once
 * with SIGKILL (from a worker thread too): no exit handler, no `finally`, no
 * buffered write gets a chance to run, as in a real crash.
 */
export function failpoint(name: FailpointName): void {
  if (!armed) return;
  if (name !== setting.name) return;

  reached += 1;
  if (reached !== setting.count) return;
  process.kill(process.pid, 'SIGKILL');
  // The signal ends the process before this line; never carry on past the point.
  throw new Error(`failpoint ${name}: SIGKILL did not stop the process`);
}
