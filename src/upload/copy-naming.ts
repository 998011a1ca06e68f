/**
 * Where a file's copy goes on the destination. A copy never takes a name
 * that holds another file's copy, or that the job's state gives to another
 * file (whose later, grown version would replace it there): it gets a short
 * tag instead. Only a grown file's new copy goes where its earlier one is.
 */
import { createHash } from 'node:crypto';
import { PublishConflictError } from '../errors.js';
import { joinHdfsPath } from '../hdfs/hdfs-path.js';
import type { ResolvedCopyJob } from './resolve-copy-job.js';
import { destinationName, fitCopyName, withTag } from './copy-names.js';
import type { CopyCandidate } from './copy-scan.js';
import type { CopyState } from './copy-state.js';

/** Where a copy goes, and how. */
export interface CopyPlacement {
  readonly path: string;
  /** The time the destination template was rendered with (epoch ms). */
  readonly placedAt: number;
  /** RENAME with OVERWRITE: the earlier copy of the same, shorter content is there. */
  readonly replace: boolean;
}

/** Names tried before giving up: the tag makes a second clash a near impossibility. */
const MAX_NAMES = 20;

/**
 * Places a candidate. A grown file keeps its earlier copy's path (and so its
 * directory, even if the template's date has moved on). Any other gets the
 * directory of the template rendered at the file's modification time, and
 * its name; if that is taken, the name with a tag made from the file's
 * identity and first bytes (`app-3fa2b1c0.log.1`), then numbered variants.
 * Taken means: the state gives it to another copy, or the destination has
 * anything there (a copy whose state was lost, another host's file).
 *
 * @throws what `stat` on the destination throws; a
 *   {@link PublishConflictError} when every name tried is taken
 */
export async function placeCopy(
  candidate: CopyCandidate,
  job: ResolvedCopyJob,
  state: CopyState,
  signal: AbortSignal,
): Promise<CopyPlacement> {
  const copied = state.files.get(candidate.identity);
  if (candidate.relation === 'grown' && copied !== undefined) {
    return { path: copied.path, placedAt: copied.placedAt, replace: true };
  }

  const placedAt = Math.floor(candidate.version.mtimeMs);
  const directory = job.destination.directoryFor({
    name: job.name,
    host: job.host,
    start: placedAt,
  });
  const suffix = job.compress ? '.gz' : '';
  const name = `${destinationName(candidate.pattern, candidate.file, job.layout)}${suffix}`;
  const tag = createHash('sha256')
    .update(`${candidate.identity}:${candidate.version.headHash}`)
    .digest('hex')
    .slice(0, 8);

  let path = joinHdfsPath(directory, fitCopyName(name));
  for (let round = 1; round <= MAX_NAMES; round++) {
    const free =
      state.ownerOf(path) === undefined &&
      (await job.destination.stat(path, { signal })) === undefined;
    if (free) return { path, placedAt, replace: false };
    const tagged = withTag(name, round === 1 ? tag : `${tag}-${round}`);
    path = joinHdfsPath(directory, fitCopyName(tagged));
  }
  throw new PublishConflictError(
    candidate.file,
    joinHdfsPath(directory, name),
    `and ${MAX_NAMES - 1} tagged variants are all taken`,
  );
}
