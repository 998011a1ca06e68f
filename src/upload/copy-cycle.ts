/**
 * One run of a copy job: publish the snapshots an earlier run left, scan,
 * then for each complete file in turn: place it, snapshot it, record the
 * snapshot in the state file, publish it with the segment protocol (same
 * journal, retries, backoff and once-only reports as the uploader), and
 * record the copy. A file is snapshotted only when the one before it is
 * published, so a backlog never fills the disk with snapshots.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toErrorInfo } from './error-info.js';
import type { CopyReporter } from './copy-reporter.js';
import type { ResolvedCopyJob } from './resolve-copy-job.js';
import type { OpenFileOptions, ProcCheck } from './copy-open-files.js';
import { placeCopy } from './copy-naming.js';
import { publishStaged, type BatchOutcome } from './copy-publish.js';
import { scanFiles, type CopyCandidate, type QuietWatch } from './copy-scan.js';
import { stageSnapshot } from './copy-staging.js';
import type { CopyState, StagedCopy } from './copy-state.js';
import type { PublishJournal } from './publish-journal.js';

/** What a run works with; the job owns it across runs. */
export interface CycleContext {
  readonly job: ResolvedCopyJob;
  readonly state: CopyState;
  readonly journal: PublishJournal;
  readonly watch: QuietWatch;
  readonly reporter: CopyReporter;
  readonly now: () => number;
  readonly signal: AbortSignal;
  readonly random?: () => number;
  readonly openFiles?: OpenFileOptions;
}

/** What a run did. */
export interface CycleOutcome {
  readonly matched: number;
  readonly uploaded: number;
  readonly failed: number;
  readonly skipped: number;
  readonly pending: number;
  readonly procCheck: ProcCheck | undefined;
}

/** Runs once; rejects only when the state file cannot be written. */
export async function runCopyCycle(context: CycleContext): Promise<CycleOutcome> {
  const { state, reporter } = context;
  const earlier = await publishStaged([...state.staged.values()], context);

  // Scanned even when the destination keeps failing, so that `pending`
  // counts what waits during an outage; nothing new is staged then.
  const scan = await scanFiles({ ...context, now: context.now() });
  for (const skip of scan.skipped) reporter.skipped(skip);
  for (const { file, error } of scan.failures) reporter.failure(file, toErrorInfo(error));
  for (const { file, info } of scan.refused) reporter.refused(file, info);

  let uploaded = earlier.published;
  // A refused file counts once, in the run that reports it; it waits for nothing.
  let failed = earlier.failed + scan.failures.length + scan.refused.length;
  let skipped = scan.skipped.length;
  // Candidates left without a snapshot: not reached, or failed before one was made.
  let unstaged = 0;
  let halted = earlier.halted;
  for (const candidate of scan.candidates) {
    if (halted || context.signal.aborted) {
      unstaged += 1;
      continue;
    }
    const done = await copyOne(candidate, context);
    if (done.step === 'skipped') {
      skipped += 1;
    } else if (done.step === 'unstaged') {
      unstaged += 1;
      failed += 1;
      halted = done.halted;
    } else {
      uploaded += done.published;
      failed += done.failed;
      halted = done.halted;
    }
  }

  state.forgetUnseen(context.now());
  await state.saveIfChanged();
  return {
    matched: scan.matched,
    uploaded,
    failed,
    skipped,
    // A snapshot that failed to publish stays staged, so it is counted once.
    pending: state.staged.size + unstaged + skipped + scan.failures.length,
    procCheck: scan.procCheck,
  };
}

/** What {@link copyOne} did with a candidate. */
type CopyOneOutcome =
  | { readonly step: 'skipped' }
  /** No snapshot was made (aborted, or placing or snapshotting failed). */
  | { readonly step: 'unstaged'; readonly halted: boolean }
  | ({ readonly step: 'published' } & BatchOutcome);

/** Places, snapshots and publishes one file. */
async function copyOne(
  candidate: CopyCandidate,
  context: CycleContext,
): Promise<CopyOneOutcome> {
  const { job, state, reporter, signal } = context;
  let staged: StagedCopy;
  try {
    const placement = await placeCopy(candidate, job, state, signal);
    const key = `${candidate.identity.replace(':', '-')}-${randomBytes(4).toString('hex')}`;
    const target = join(job.files.stagedDir, key);
    const result = await stageSnapshot(candidate.file, candidate.version, target, {
      compress: job.compress,
      signal,
    });
    if (!result.staged) {
      reporter.skipped({
        file: candidate.file,
        reason: 'changed-while-copying',
        detail: result.why,
      });
      return { step: 'skipped' };
    }
    staged = {
      key,
      identity: candidate.identity,
      version: candidate.version,
      source: candidate.file,
      bytes: result.bytes,
      ...placement,
    };
    state.staged.set(key, staged);
    await saveOrForget(state, staged, target);
  } catch (error) {
    if (signal.aborted) return { step: 'unstaged', halted: true };
    const info = toErrorInfo(error);
    reporter.failure(candidate.file, info);
    // An unreachable destination (its stat) or a full local disk fails every
    // file alike: wait for the next run, as the publish queue does.
    return { step: 'unstaged', halted: info.errorClass !== 'permanent' };
  }
  return { step: 'published', ...(await publishStaged([staged], context)) };
}

/** Saves the state with the new snapshot; without a record, the snapshot must go. */
async function saveOrForget(state: CopyState, staged: StagedCopy, target: string) {
  try {
    await state.save();
  } catch (error) {
    state.staged.delete(staged.key);
    await rm(target, { force: true });
    throw error;
  }
}
