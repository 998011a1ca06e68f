/**
 * How a file under construction gets closed: by its writer when the upload
 * completes, or by lease recovery once the writer has been gone for the soft
 * limit, with whatever bytes it had received.
 */
import { HadoopException } from './hadoop-exception.js';
import type { Lease } from './lease-table.js';
import type { NamespaceCore } from './namespace-core.js';
import type { OpenFile } from './namespace-writes.js';

/**
 * Closes a file its writer finished. When the lease is no longer the
 * writer's (the file was deleted or overwritten meanwhile), HDFS's
 * completeFile fails, and so does this.
 */
export async function completeFile(core: NamespaceCore, file: OpenFile): Promise<void> {
  await core.exclusive(async () => {
    await file.handle.close();
    const lease = core.leases.get(file.key);
    if (lease?.holder !== file.holder) {
      throw new HadoopException(
        'FileNotFoundException',
        `File does not exist: ${file.path} (inode ${file.fileId}) ` +
          `Holder ${file.holder} does not have any open files.`,
      );
    }
    core.leases.remove(file.key);
  });
}

/**
 * The writer is gone: the file stays under construction, still leased to
 * it, until `softLimitMs` passes; then the lease is recovered and the file is
 * closed with the bytes it received.
 */
export async function abandonFile(
  core: NamespaceCore,
  file: OpenFile,
  softLimitMs: number,
  onRecovered: (lease: Lease) => void,
): Promise<void> {
  await core.exclusive(async () => {
    await file.handle.close();
    if (core.leases.get(file.key)?.holder !== file.holder) return;

    core.leases.scheduleRecovery(file.key, softLimitMs, () => {
      void core.exclusive(() => {
        const lease = core.leases.get(file.key);
        if (lease?.holder === file.holder) {
          core.leases.remove(file.key);
          onRecovered(lease);
        }
        return Promise.resolve();
      });
    });
  });
}
