/**
 * The uploader's thread yields the CPU to the application's: publishing,
 * checksums and gzip are background work, and on a busy host they should
 * not delay a log call. Linux schedules threads, and a thread's nice value
 * is its own, so raising it here leaves the application's threads as they
 * are. A higher nice value is a smaller share under contention, never
 * starvation (nice 10 still gets about a tenth of a core beside a busy one),
 * and costs nothing when the CPU is idle.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value the uploader's thread runs at. */
export const UPLOADER_NICE = 10;

/**
 * Raises the calling thread's nice value to `nice` (never lowers it).
 * Returns the thread's nice value afterwards, or `undefined` where threads
 * cannot be told apart (not Linux, no `/proc`) or the change was refused:
 * the thread then runs as it was, which is only slower to yield.
 */
export function yieldThreadPriority(nice: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    // `<pid>/task/<tid>`: the kernel's id of this very thread.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (!Number.isInteger(tid) || tid <= 0) return undefined;
    if (getPriority(tid) < nice) setPriority(tid, nice);
    return getPriority(tid);
  } catch {
    return undefined;
  }
}
