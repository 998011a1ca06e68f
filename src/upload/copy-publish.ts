/**
 * Publishes a copy job's snapshots with the engine the uploader uses:
 * `publishQueue` (attempts, backoff, halting when the destination keeps
 * failing, permanent errors reported once) around `publishSegment` (hidden
 * temporary name, journal, RENAME, verification). A grown file's snapshot
 * is published with RENAME OVERWRITE onto its earlier copy, which readers
 * therefore see whole, old or new, never in between.
 */
import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CycleContext } from './copy-cycle.js';
import { hasCopiedStats, identityKey, readFileVersion } from './copy-identity.js';
import type { StagedCopy } from './copy-state.js';
import { toErrorInfo } from './error-info.js';
import { publishQueue } from './publish-queue.js';
import { publishSegment, type PublishableSegment } from './publish-segment.js';
import type { UploaderEvents } from './uploader-events.js';

/** What publishing a batch did. */
export interface BatchOutcome {
  readonly published: number;
  readonly failed: number;
  /** The destination kept failing: the rest waits for the next run. */
  readonly halted: boolean;
}

/** Publishes staged snapshots one at a time; see the module comment. */
export async function publishStaged(
  batch: readonly StagedCopy[],
  context: CycleContext,
): Promise<BatchOutcome> {
  if (batch.length === 0) return { published: 0, failed: 0, halted: false };
  const { job, journal, reporter, signal } = context;
  const byKey = new Map(batch.map((staged) => [staged.key, staged]));
  const stagedOf = (segment: PublishableSegment) => byKey.get(segment.name) as StagedCopy;
  const target = { destination: job.destination, journal, verify: job.verify, signal };

  const outcome = await publishQueue(
    batch.map((staged) => segmentOf(staged, context)),
    {
      concurrency: 1,
      retries: job.retries,
      backoff: { base: job.retryDelay, max: job.maxRetryDelay },
      signal,
      ...(context.random === undefined ? {} : { random: context.random }),
      now: context.now,
      reported: reporter.reported,
      publish: (segment, transfers) => publishSegment(segment, { ...target, transfers }),
      finishLocal: (segment) => finishCopy(stagedOf(segment), context),
      emit: <K extends keyof UploaderEvents>(event: K, ...args: UploaderEvents[K]) => {
        const [payload] = args;
        const key = 'segment' in payload ? payload.segment : undefined;
        reporter.relay(key === undefined ? undefined : byKey.get(key), event, payload);
      },
    },
  );
  return {
    published: outcome.published,
    failed: outcome.failures.size,
    halted: outcome.halted,
  };
}

/** The snapshot as the publish protocol sees a segment. */
function segmentOf(staged: StagedCopy, context: CycleContext): PublishableSegment {
  const { job } = context;
  return {
    name: staged.key,
    localPath: join(job.files.stagedDir, staged.key),
    bytes: staged.bytes,
    placement: { name: job.name, host: job.host, start: staged.placedAt },
    path: staged.path,
    replace: staged.replace,
  };
}

/**
 * Records the copy (state first: once it says published, nothing sends the
 * file again), then lets go of the journal entry and the snapshot, then
 * deletes the source when asked.
 */
async function finishCopy(staged: StagedCopy, context: CycleContext): Promise<void> {
  const { job, state, journal } = context;
  state.markPublished(staged.key, context.now());
  await state.save();
  await journal.forget(staged.key);
  await rm(join(job.files.stagedDir, staged.key), { force: true });
  if (job.afterUpload === 'delete') await deleteIfUnchanged(staged, context);
}

/**
 * Deletes the source if it is still exactly the version published (same
 * file, length, modification time and hashed edges: a rewrite may put the
 * time back, see copy-identity). A file that changed since keeps its new
 * lines: the next run copies it again. A failure is reported; the copy still
 * counts as published.
 */
async function deleteIfUnchanged(staged: StagedCopy, context: CycleContext) {
  const { version, source } = staged;
  try {
    const read = await readFileVersion(source, version);
    const same =
      read !== undefined &&
      identityKey(read.version) === identityKey(version) &&
      hasCopiedStats(version, read.version) &&
      read.relation === 'unchanged';
    if (same) await unlink(source);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    context.reporter.failure(source, toErrorInfo(error));
  }
}
