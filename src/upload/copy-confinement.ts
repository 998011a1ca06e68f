/**
 * Keeps a copy job's reading inside its patterns' bases. Symbolic links are
 * followed (a log directory often links to another disk), but only to files
 * whose real path is below the real path of the pattern's base: a link that
 * leads out would let anyone who can write in a log directory have this
 * process publish any file it can read (a key, `/etc/shadow`).
 *
 * The real path is the kernel's name of the file once it is open
 * (`/proc/self/fd`), and the caller copies only that file (device and
 * inode), so a link swapped in between the check and the copy is no way
 * around it. Where `/proc` cannot be read, the path is resolved instead.
 */
import { constants } from 'node:fs';
import { open, readlink, realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { identityKey } from './copy-identity.js';
import type { CopyPattern } from './copy-patterns.js';
import type { ErrorInfo } from './uploader-events.js';

/** One scan's checks; the bases' real paths are looked up once per scan. */
export class SourceConfinement {
  readonly #bases = new Map<string, Promise<string>>();

  /**
   * Why `file` must not be copied, if it must not (a message that goes
   * after the file's name); `'gone'` when it went away or is no longer the
   * file `identity` (`dev:ino`) the scan saw: the next scan looks again.
   *
   * @throws what `realpath` throws for the base, or `open` for the file
   *   other than its absence
   */
  async check(
    file: string,
    identity: string,
    pattern: CopyPattern,
  ): Promise<ErrorInfo | 'gone' | undefined> {
    let base = this.#bases.get(pattern.base);
    if (base === undefined)
      this.#bases.set(pattern.base, (base = realpath(pattern.base)));
    // Together, so that a failure of either always has a listener.
    const [inside, opened] = await Promise.all([base, openedRealPath(file)]);
    if (opened === undefined || opened.identity !== identity) return 'gone';
    if (opened.real.startsWith(inside === sep ? sep : `${inside}${sep}`))
      return undefined;
    return {
      name: 'Error',
      code: 'ERR_COPY_OUTSIDE_BASE',
      message:
        `its real path ${opened.real} is outside ${inside}, the base of pattern ` +
        `${JSON.stringify(pattern.source)}: a link leads out of it, so it is not copied`,
      errorClass: 'permanent',
    };
  }
}

/** The file `path` opens: its `dev:ino` and real path; `undefined` when it is gone. */
async function openedRealPath(path: string) {
  let handle;
  try {
    // O_NONBLOCK: a FIFO swapped in for the file must not hang the open.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  try {
    const identity = identityKey(await handle.stat());
    const real = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => realpath(path));
    return { identity, real };
  } finally {
    await handle.close();
  }
}
