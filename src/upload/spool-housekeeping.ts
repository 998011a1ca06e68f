import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpoolLayout } from '../segment/spool-layout.js';
import type { Destination } from './destination.js';
import { toErrorInfo } from './error-info.js';
import type { PublishJournal } from './publish-journal.js';
import { removeTemporaryFiles } from './publish-segment.js';
import { enforceBudget } from './spool-budget.js';
import { recordDrops } from './spool-stats.js';
import type { DroppedEvent, UploaderEvents } from './uploader-events.js';

/** How housekeeping reports: the uploader's `emit`. */
export type HousekeepingEmit = <K extends 'error' | 'dropped'>(
  event: K,
  payload: UploaderEvents[K][0],
) => void;

/**
 * Forgets journal entries whose local file is gone: published ones whose
 * local delete had happened, and (reported) any removed from the spool by
 * hand before they were published.
 */
export async function settleJournal(
  layout: SpoolLayout,
  journal: PublishJournal,
  emit: HousekeepingEmit,
): Promise<void> {
  const waiting = new Set(await readdir(layout.ready));
  for (const entry of [...journal.entries.values()]) {
    if (waiting.has(entry.segment)) continue;
    if (entry.state !== 'done') {
      const message = `${entry.segment} left the spool before it was published`;
      emit('error', {
        segment: entry.segment,
        error: {
          name: 'Error',
          code: 'ERR_SEGMENT_VANISHED',
          message,
          errorClass: 'permanent',
        },
      });
    }
    await journal.forget(entry.segment);
  }
}

/**
 * Drops what the disk budget says must go. Cycles never overlap, so no
 * segment is being published now; what the budget must spare is a segment
 * whose RENAME may have happened (journal: rename sent, or done): it may be
 * on HDFS already. A segment whose attempts only began (a hidden temporary
 * file at most) is waiting like any other. Every failed attempt leaves such
 * an entry, so sparing those too would keep the oldest segments forever
 * while permanent failures (quota, permissions) pile up new ones, and the
 * spool would outgrow its bound. A dropped segment's entry is forgotten:
 * the drop is its report.
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
  },
): Promise<void> {
  const { layout } = config;
  const busy = new Set(
    [...journal.entries.values()]
      .filter((entry) => entry.state !== 'begun')
      .map((entry) => join(layout.ready, entry.segment)),
  );
  const dropped: DroppedEvent[] = [];
  await enforceBudget(layout, config, busy, (event) => {
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
    // Its attempts' hidden temporary files would otherwise stay on HDFS.
    await removeTemporaryFiles(entry, context);
    await journal.forget(entry.segment);
  }
}
