/**
 * The disk-space quota fault, counted as HDFS counts it: a closed file uses
 * its length times its replication; a file under construction uses whole
 * blocks (its last block is charged at the full block size until it is
 * closed); and the check is made when a block is allocated, so one byte more
 * needs a whole block of headroom.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HadoopException } from './hadoop-exception.js';
import { inodeKey } from './inode-table.js';
import type { NamespaceCore } from './namespace-core.js';

/** Disk space the whole namespace consumes, in bytes (all replicas). */
export async function diskSpaceConsumed(core: NamespaceCore): Promise<number> {
  return core.exclusive(() => consumedUnder(core, core.root));
}

async function consumedUnder(core: NamespaceCore, local: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(local, { withFileTypes: true })) {
    const child = join(local, entry.name);
    if (entry.isDirectory()) {
      total += await consumedUnder(core, child);
      continue;
    }
    const found = await stat(child);
    const meta = core.inodes.describe(found);
    const underConstruction = core.leases.get(inodeKey(found)) !== undefined;
    const charged = underConstruction
      ? Math.ceil(found.size / meta.blockSize) * meta.blockSize
      : found.size;
    total += charged * meta.replication;
  }
  return total;
}

/**
 * Raises DSQuotaExceededException when allocating one more block of
 * `blockSize` × `replication` would take the namespace past `quotaBytes`.
 */
export async function checkBlockAllocation(
  core: NamespaceCore,
  quotaBytes: number,
  block: { blockSize: number; replication: number },
): Promise<void> {
  const consumed = (await diskSpaceConsumed(core)) + block.blockSize * block.replication;
  if (consumed <= quotaBytes) return;
  throw new HadoopException(
    'DSQuotaExceededException',
    `The DiskSpace quota of / is exceeded: quota = ${quotaBytes} B = ` +
      `${formatBytes(quotaBytes)} but diskspace consumed = ${consumed} B = ` +
      formatBytes(consumed),
  );
}

const PREFIXES = ['K', 'M', 'G', 'T', 'P', 'E'];

/** StringUtils.TraditionalBinaryPrefix.long2String(n, "B", 2): `384 MB`, `1.46 KB`. */
function formatBytes(bytes: number): string {
  let unit = '';
  let scaled = bytes;
  for (const prefix of PREFIXES) {
    if (scaled < 1024) break;
    scaled /= 1024;
    unit = prefix;
  }
  const shown = Number.isInteger(scaled) ? String(scaled) : scaled.toFixed(2);
  return `${shown} ${unit}B`;
}
