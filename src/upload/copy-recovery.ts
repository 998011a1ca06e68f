/**
 * A copy job's start-up repair, after a crash or a stop that aborted an
 * upload: the state file is the truth about snapshots, and the journal and
 * the staged directory are brought in line with it.
 *
 * - a snapshot file without a record (a crash before the state was saved):
 *   deleted;
 * - a record with its snapshot file (not published yet, or not known to
 *   be: a crash, an abort, an outage): published by the next run, where
 *   the journal resumes or confirms what was done;
 * - a record without its snapshot file (removed by hand): forgotten and
 *   reported; the file is looked at again;
 * - a journal entry without a record (published and recorded, not yet
 *   forgotten by the journal): its temporary files deleted, then forgotten.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedCopyJob } from './resolve-copy-job.js';
import type { CopyReporter } from './copy-reporter.js';
import type { CopyState } from './copy-state.js';
import type { PublishJournal } from './publish-journal.js';
import { removeTemporaryFiles } from './publish-segment.js';

/** Runs the repairs listed above; saves the state when it changed. */
export async function settleCopyJob(
  job: ResolvedCopyJob,
  state: CopyState,
  journal: PublishJournal,
  reporter: CopyReporter,
  signal: AbortSignal,
): Promise<void> {
  const files = new Set(await readdir(job.files.stagedDir));
  for (const name of files) {
    if (!state.staged.has(name))
      await rm(join(job.files.stagedDir, name), { force: true });
  }

  let changed = false;
  for (const staged of [...state.staged.values()]) {
    if (files.has(staged.key)) continue;
    state.staged.delete(staged.key);
    changed = true;
    reporter.failure(staged.source, {
      name: 'Error',
      code: 'ERR_COPY_SNAPSHOT_MISSING',
      message:
        `the snapshot of ${staged.source} left ${job.files.stagedDir} before it ` +
        'was published; the file will be looked at again',
      errorClass: 'permanent',
    });
  }
  if (changed) await state.save();

  const context = { destination: job.destination, journal, signal };
  for (const entry of [...journal.entries.values()]) {
    if (state.staged.has(entry.segment)) continue;
    // Hidden clutter at worst when the destination cannot be reached now.
    await removeTemporaryFiles(entry, context);
    await journal.forget(entry.segment);
  }
}
