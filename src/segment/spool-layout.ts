import { mkdir, open } from 'node:fs/promises';
import { closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The directories of a spool (DESIGN.md section 5). A segment only ever moves
 * forward, by atomic rename: active → (sealed →) ready → gone or retained.
 */
export interface SpoolLayout {
  readonly root: string;
  /** Segments being written by a live writer: never uploaded. */
  readonly active: string;
  /** Sealed segments waiting to be gzip-compressed (only with `compress`). */
  readonly sealed: string;
  /** Sealed segments, the exact bytes to publish. */
  readonly ready: string;
  /** Published segments kept for `keepUploaded`. */
  readonly retained: string;
  /** One small record per segment being published (the publish journal). */
  readonly journal: string;
  /** One liveness socket (or pointer to one) per live writer. */
  readonly writers: string;
  /** Files being produced (gzip output) before their atomic rename. */
  readonly tmp: string;
}

export function spoolLayout(root: string): SpoolLayout {
  return {
    root,
    active: join(root, 'active'),
    sealed: join(root, 'sealed'),
    ready: join(root, 'ready'),
    retained: join(root, 'retained'),
    journal: join(root, 'journal'),
    writers: join(root, 'writers'),
    tmp: join(root, 'tmp'),
  };
}

function directories(layout: SpoolLayout): string[] {
  const { root, ...named } = layout;
  return Object.values(named);
}

/** Creates the spool's directories (and the spool itself) where missing. */
export async function ensureSpool(layout: SpoolLayout): Promise<void> {
  for (const dir of directories(layout)) await mkdir(dir, { recursive: true });
}

/** As {@link ensureSpool}, synchronously: for constructors that must be usable at once. */
export function ensureSpoolSync(layout: SpoolLayout): void {
  for (const dir of directories(layout)) mkdirSync(dir, { recursive: true });
}

/**
 * Makes a directory's entries durable (after a rename into or out of it): a
 * host crash then cannot bring back the old name or lose the new one.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function fsyncDirectorySync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
