/**
 * The start-up check that a shared spool's budget holds every writer:
 * active segments are never dropped, so `maxSpoolBytes` must hold one per
 * live writer plus the segment just sealed, or the spool drops data while
 * HDFS is perfectly reachable. The options check at construction can only
 * count the writer being built (see `validateBudget`); this one counts the
 * writers announced in the spool, which takes a connection to each socket,
 * so it runs just after construction and reports instead of throwing.
 */
import { readdir } from 'node:fs/promises';
import { formatSize } from '../size.js';
import type { SpoolLayout } from '../segment/spool-layout.js';
import { isWriterAlive } from '../segment/writer-liveness.js';
import type { ErrorInfo } from './uploader-events.js';

/** `<writer id>.sock`, or `<writer id>.path` for a socket kept elsewhere. */
const ANNOUNCEMENT = /^([0-9a-z]{8})\.(?:sock|path)$/;

export interface WriterBudgetCheck {
  readonly layout: SpoolLayout;
  /** The writer doing the check, counted whether or not it is listed yet. */
  readonly writerId: string;
  readonly maxSpoolBytes: number;
  /** `rotate.size`: taken as every writer's largest active segment. */
  readonly rotateSize: number;
  /** @default isWriterAlive(layout.writers, id) */
  readonly isAlive?: (writerId: string) => Promise<boolean>;
}

/** The error to report when the budget cannot hold every live writer, else `undefined`. */
export async function checkWriterBudget(
  check: WriterBudgetCheck,
): Promise<ErrorInfo | undefined> {
  const { layout, writerId, maxSpoolBytes, rotateSize } = check;
  const isAlive = check.isAlive ?? ((id) => isWriterAlive(layout.writers, id));
  const others = new Set<string>();
  for (const entry of await readdir(layout.writers)) {
    const id = ANNOUNCEMENT.exec(entry)?.[1];
    if (id !== undefined && id !== writerId) others.add(id);
  }
  let live = 1;
  for (const id of others) if (await isAlive(id)) live++;

  const least = (live + 1) * rotateSize;
  if (maxSpoolBytes >= least) return undefined;
  return {
    name: 'Error',
    code: 'ERR_SPOOL_BUDGET',
    message:
      `maxSpoolBytes ${formatSize(maxSpoolBytes)} cannot hold the active segments of ` +
      `the ${live} writers sharing this spool and the one just sealed ` +
      `(${live + 1} × rotate.size = ${formatSize(least)}); the spool would drop ` +
      'data while HDFS is reachable: raise maxSpoolBytes or lower rotate.size',
    errorClass: 'permanent',
  };
}
