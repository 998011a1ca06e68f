import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpoolLayout } from '../segment/spool-layout.js';
import type { Destination } from './destination.js';
import { toErrorInfo } from './error-info.js';
import type { PublishJournal } from './publish-journal.js';
import { removeTemporaryFiles } from './publish-segment.js';
import { formatSize } from '../size.js';
import type { DropPlan } from './disk-budget.js';
import { enforceBudget } from './spool-budget.js';
import { recordDrops } from './spool-stats.js';
import type { DroppedEvent, ErrorInfo, UploaderEvents } from './uploader-events.js';

/** How housekeeping reports: the uploader's `emit`. */
export type HousekeepingEmit = <K extends 'error' | 'dropped'>(
  event: K,
  payload: UploaderEvents[K][0],
) => void;

/** What {@link settleJournal} needs of the uploader running it. */
export interface SettleRun {
  readonly destination: Destination;
  readonly signal: AbortSignal;
  readonly emit: HousekeepingEmit;
  /** Vanished segments already reported by this uploader: each is reported once. */
  readonly vanished: Set<string>;
}

/**
 * Forgets journal entries whose local file is gone: published ones whose
 * local delete had happened, and (reported) any removed from the spool by
 * hand before they were published. Runs at every cycle, before publishing:
 * an entry is forgotten only once the temporary files it lists are deleted
 * (DESIGN.md section 3.3: stale temporary files are swept), so a DELETE that
 * failed (HDFS down at that moment) is tried again at the next run rather
 * than leaving a hidden file on HDFS for ever.
 */
export async function settleJournal(
  layout: SpoolLayout,
  journal: PublishJournal,
  run: SettleRun,
): Promise<void> {
  const waiting = new Set(await readdir(layout.ready));
  for (const entry of [...journal.entries.values()]) {
    if (waiting.has(entry.segment)) continue;
    if (entry.state !== 'done' && !run.vanished.has(entry.segment)) {
      run.vanished.add(entry.segment);
      const message = `${entry.segment} left the spool before it was published`;
      run.emit('error', {
        segment: entry.segment,
        error: {
          name: 'Error',
          code: 'ERR_SEGMENT_VANISHED',
          message,
          errorClass: 'permanent',
        },
      });
    }
    const leftovers = await removeTemporaryFiles(entry, { ...run, journal });
    if (leftovers.length > 0) continue;
    await journal.forget(entry.segment);
    run.vanished.delete(entry.segment);
  }
}

/**
 * Drops what the disk budget says must go. Cycles never overlap, so no
 * segment is being published now, and the caller keeps compression out of
 * the way, so no segment of `sealed/` is being gzipped; what the budget must
 * spare is a segment whose RENAME may have happened (journal: rename sent,
 * or done): it may be on HDFS already. A segment whose attempts only began
 * (a hidden temporary file at most) is waiting like any other. Every failed
 * attempt leaves such an entry, so sparing those too would keep the oldest
 * segments forever while permanent failures (quota, permissions) pile up
 * new ones, and the spool would outgrow its bound. A dropped segment's
 * entry is forgotten once its temporary files are deleted: the drop is its
 * report, so it is marked as reported for {@link settleJournal}.
 *
 * @returns whether the spool is within its bounds now, and if not, why
 */
export async function keepBudget(
  config: {
    readonly layout: SpoolLayout;
    readonly destination: Destination;
    readonly maxSpoolBytes: number;
    readonly minFreeBytes: number;
  },
  journal: PublishJournal,
  run: {
    readonly signal: AbortSignal;
    readonly now: number;
    readonly emit: HousekeepingEmit;
    readonly vanished: Set<string>;
  },
): Promise<ErrorInfo | undefined> {
  const { layout } = config;
  const busy = new Set(
    [...journal.entries.values()]
      .filter((entry) => entry.state !== 'begun')
      .map((entry) => join(layout.ready, entry.segment)),
  );
  const dropped: DroppedEvent[] = [];
  const plan = await enforceBudget(layout, config, busy, (event) => {
    dropped.push(event);
    run.emit('dropped', event);
  });
  // Counted in the spool for `status`; a failure to count must not stop publishing.
  await recordDrops(layout.root, dropped, run.now).catch((error: unknown) => {
    run.emit('error', { error: toErrorInfo(error) });
  });
  const context = { destination: config.destination, journal, signal: run.signal };
  for (const { segment } of dropped) {
    const entry = segment === undefined ? undefined : journal.entries.get(segment);
    if (entry === undefined) continue;
    run.vanished.add(entry.segment);
    // Its attempts' hidden temporary files would otherwise stay on HDFS.
    const leftovers = await removeTemporaryFiles(entry, context);
    if (leftovers.length === 0) await journal.forget(entry.segment);
  }
  return plan.satisfied ? undefined : budgetError(plan, config);
}

/** Why the spool stays outside its bounds with nothing left that may be dropped. */
function budgetError(
  plan: DropPlan,
  limits: { readonly maxSpoolBytes: number; readonly minFreeBytes: number },
): ErrorInfo {
  const over: string[] = [];
  if (plan.usedBytesAfter > limits.maxSpoolBytes) {
    const used = formatSize(plan.usedBytesAfter);
    over.push(`holds ${used}, above maxSpoolBytes ${formatSize(limits.maxSpoolBytes)}`);
  }
  if (plan.freeBytesAfter < limits.minFreeBytes) {
    const free = formatSize(plan.freeBytesAfter);
    over.push(
      `leaves ${free} free, below minFreeBytes ${formatSize(limits.minFreeBytes)}`,
    );
  }
  return {
    name: 'Error',
    code: 'ERR_SPOOL_BUDGET',
    message:
      `the spool ${over.join(' and ')} with nothing left it may drop ` +
      '(active segments, segments being published, the journal)',
    errorClass: 'permanent',
  };
}
