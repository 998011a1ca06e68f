/**
 * What landed on HDFS, seen through WebHDFS as any reader would see it
 * (LISTSTATUS and OPEN), not by peeking at the dev server's directory.
 */
import { text } from 'node:stream/consumers';
import { WebHdfsRemoteError } from '../errors.js';
import type { WebHdfsClient } from '../hdfs/webhdfs-client.js';
import { formatSize } from '../size.js';
import { formatCount, formatTable } from './progress-format.js';

/** A file or directory under the listed base. */
export interface PublishedEntry {
  /** The HDFS path. */
  readonly path: string;
  /** Levels below the base: 0 for its children. */
  readonly depth: number;
  readonly type: 'FILE' | 'DIRECTORY';
  readonly length: number;
  /**
   * A name that starts with `.` or `_`: Hive, Spark and MapReduce skip it.
   * The uploader writes under such a name before its RENAME; none should
   * be left once everything is published.
   */
  readonly hidden: boolean;
}

/** A published file and what it holds. */
export interface PublishedFile {
  readonly path: string;
  readonly content: string;
}

/**
 * Lists everything under `base`, depth first, each directory before its
 * contents, names in order. An absent base lists nothing.
 */
export async function listPublished(
  client: WebHdfsClient,
  base: string,
  depth = 0,
): Promise<PublishedEntry[]> {
  const statuses = await client.listStatus(base).catch((error: unknown) => {
    const absent =
      error instanceof WebHdfsRemoteError && error.exception === 'FileNotFoundException';
    if (absent) return [];
    throw error;
  });
  const sorted = [...statuses].sort((a, b) => a.pathSuffix.localeCompare(b.pathSuffix));

  const entries: PublishedEntry[] = [];
  for (const status of sorted) {
    if (status.type === 'SYMLINK') continue;
    const path = `${base}/${status.pathSuffix}`;
    const hidden = /^[._]/.test(status.pathSuffix);
    entries.push({ path, depth, type: status.type, length: status.length, hidden });
    if (status.type === 'DIRECTORY') {
      entries.push(...(await listPublished(client, path, depth + 1)));
    }
  }
  return entries;
}

/** Reads every file of the listing. */
export async function readPublished(
  client: WebHdfsClient,
  entries: readonly PublishedEntry[],
): Promise<PublishedFile[]> {
  const files = entries.filter((entry) => entry.type === 'FILE');
  return Promise.all(
    files.map(async ({ path }) => ({
      path,
      content: await text(await client.open(path)),
    })),
  );
}

/**
 * Draws the listing as an indented tree: directories end with `/`; files
 * show their size and, when known, their number of lines.
 */
export function renderTree(
  base: string,
  entries: readonly PublishedEntry[],
  lineCounts: ReadonlyMap<string, number>,
): string {
  const rows = entries.map((entry) => {
    const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
    const label = `${'  '.repeat(entry.depth + 1)}${name}`;
    if (entry.type === 'DIRECTORY') return [`${label}/`, '', ''];
    const lines = lineCounts.get(entry.path);
    return [
      label,
      formatSize(entry.length),
      lines === undefined ? '' : `${formatCount(lines)} lines`,
    ];
  });
  return [`${base}/`, formatTable(rows)].filter((part) => part !== '').join('\n');
}
