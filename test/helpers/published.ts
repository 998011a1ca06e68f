import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** A file under the dev server's root, as HDFS would show it. */
export interface PublishedFile {
  /** Path relative to the root, with `/`. */
  readonly path: string;
  readonly hidden: boolean;
  readonly content: string;
}

/** Every file under `root` (recursively), content decompressed for `.gz`. */
export async function readPublished(root: string): Promise<PublishedFile[]> {
  const files: PublishedFile[] = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const raw = await readFile(full);
    const content = entry.name.endsWith('.gz')
      ? gunzipSync(raw).toString()
      : raw.toString();
    const path = relative(root, full).split('\\').join('/');
    files.push({ path, hidden: /^[._]/.test(entry.name), content });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The `id` of every JSON line of the visible files, in file order. */
export function publishedIds(files: readonly PublishedFile[]): number[] {
  return files
    .filter((file) => !file.hidden)
    .flatMap((file) => file.content.split('\n'))
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { id: number }).id);
}

/** Checks that ids 0..count-1 each appear exactly once; returns a message or undefined. */
export function exactlyOnce(ids: readonly number[], count: number): string | undefined {
  const seen = new Map<number, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  const duplicated = [...seen].filter(([, times]) => times > 1).map(([id]) => id);
  const missing: number[] = [];
  for (let id = 0; id < count; id++) if (!seen.has(id)) missing.push(id);
  if (duplicated.length === 0 && missing.length === 0 && ids.length === count)
    return undefined;
  return `missing ${missing.length} (first ${missing.slice(0, 5).join(',')}), duplicated ${
    duplicated.length
  } (first ${duplicated.slice(0, 5).join(',')}), ${ids.length} lines for ${count} ids`;
}
