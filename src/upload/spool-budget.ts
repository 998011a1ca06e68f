import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SpoolLayout } from '../segment/spool-layout.js';
import { planDrops, type DropPlan } from './disk-budget.js';
import { measureSpool } from './spool-usage.js';
import type { DroppedEvent } from './uploader-events.js';

/**
 * Measures the spool and deletes what the disk budget says must go (retained
 * copies first, then the oldest waiting segments; never a segment in `busy`).
 * Each deletion is reported, a retained copy's as `retained` (it is on HDFS
 * already: nothing is lost); the writers keep accepting lines regardless.
 *
 * @returns the plan carried out: `satisfied` says whether the spool is
 *   within its bounds afterwards
 */
export async function enforceBudget(
  layout: SpoolLayout,
  limits: { readonly maxSpoolBytes: number; readonly minFreeBytes: number },
  busy: ReadonlySet<string>,
  report: (event: DroppedEvent) => void,
): Promise<DropPlan> {
  const usage = await measureSpool(layout);
  const plan = planDrops(usage.files, { ...limits, freeBytes: usage.freeBytes }, busy);
  for (const file of plan.drops) {
    await rm(file.path, { force: true });
    const reason = file.state === 'retained' ? 'retained' : 'disk-budget';
    report({ segment: basename(file.path), bytes: file.bytes, reason });
  }
  return plan;
}
