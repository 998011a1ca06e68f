import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The text of every segment sealed in a spool's `ready/`, in name order. */
export async function sealedTexts(spoolDir: string): Promise<string[]> {
  const dir = join(spoolDir, 'ready');
  const names = (await readdir(dir)).sort();
  return Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
}

/** Every line sealed in a spool's `ready/`. */
export async function sealedLines(spoolDir: string): Promise<string[]> {
  return (await sealedTexts(spoolDir)).join('').split('\n').filter(Boolean);
}

/** The `id` of every JSON line sealed in a spool's `ready/`. */
export async function sealedIds(spoolDir: string): Promise<number[]> {
  return (await sealedLines(spoolDir)).map(
    (line) => (JSON.parse(line) as { id: number }).id,
  );
}
