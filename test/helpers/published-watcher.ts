/**
 * A reader that keeps listing the dev server's root while uploads run, as a
 * Hive or Spark job listing a partition would, and remembers what it saw, so
 * that the test can prove afterwards that no file was ever visible at a
 * final name before it was complete (DESIGN.md section 3.3).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** What the reader saw of one visible file. */
interface VisibleSighting {
  /** Every length it was seen with. */
  readonly lengths: Set<number>;
  /** Digest of the content read the first time it was seen. */
  readonly firstDigest: string;
}

export interface WatchReport {
  readonly scans: number;
  /** Hidden files, by path, with every length they were seen with. */
  readonly temporary: ReadonlyMap<string, ReadonlySet<number>>;
  /** Files at final names (no leading `.` or `_`), by path. */
  readonly visible: ReadonlyMap<string, VisibleSighting>;
}

export interface PublishedWatcher {
  /** Stops polling; rejects if the reader itself failed. */
  stop(): Promise<WatchReport>;
}

/** Starts polling `root` every `everyMs` until stopped. */
export function watchPublished(root: string, everyMs = 2): PublishedWatcher {
  const temporary = new Map<string, Set<number>>();
  const visible = new Map<string, VisibleSighting>();
  let scans = 0;
  let stopped = false;

  const scan = async (): Promise<void> => {
    for (const path of await listFiles(root)) {
      const name = path.slice(path.lastIndexOf('/') + 1);
      const full = join(root, path);
      const length = await lengthOf(full);
      if (length === undefined) continue;
      if (/^[._]/.test(name)) {
        temporary.set(path, (temporary.get(path) ?? new Set()).add(length));
        continue;
      }
      const seen = visible.get(path);
      if (seen !== undefined) {
        seen.lengths.add(length);
        continue;
      }
      const content = await contentOf(full);
      if (content === undefined) continue;
      visible.set(path, {
        lengths: new Set([length, content.length]),
        firstDigest: digest(content),
      });
    }
    scans += 1;
  };
  let failure: Error | undefined;
  const loop = (async () => {
    while (!stopped) {
      await scan();
      await delay(everyMs);
    }
  })().catch((error: unknown) => {
    failure = error instanceof Error ? error : new Error(String(error));
  });

  return {
    async stop() {
      stopped = true;
      await loop;
      if (failure !== undefined) throw failure;
      // One look at the end, so every published file is in the report.
      await scan();
      return { scans, temporary, visible };
    },
  };
}

/**
 * Compares what the reader saw with the files as they are now: a file seen
 * at a final name with another length or content than it ends with was
 * visible before it was complete. Returns one line per problem.
 */
export async function findEarlySightings(
  root: string,
  report: WatchReport,
): Promise<string[]> {
  const problems: string[] = [];
  for (const [path, sighting] of report.visible) {
    const final = await contentOf(join(root, path));
    if (final === undefined) {
      problems.push(`${path} was visible and then vanished`);
      continue;
    }
    const early = [...sighting.lengths].filter((length) => length !== final.length);
    if (early.length > 0) {
      problems.push(`${path} was seen at ${early.join(', ')} of ${final.length} bytes`);
    }
    if (sighting.firstDigest !== digest(final)) {
      problems.push(`${path} was first seen with other content than it ends with`);
    }
  }
  return problems;
}

/** Files under `root`, relative, with `/`; an empty list while it changes under us. */
async function listFiles(root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)))
      .map((path) => path.split('\\').join('/'));
  } catch (error) {
    if (isGone(error)) return [];
    throw error;
  }
}

async function lengthOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

async function contentOf(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

function digest(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Renamed or deleted between the listing and the look: not there any more. */
function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
