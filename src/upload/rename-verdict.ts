/**
 * What a look at both names says about a RENAME that failed or whose answer
 * was lost (DESIGN.md section 4, step 3). Pure: the caller stats the final
 * and the temporary name, this decides.
 */
import { LocalStoreError } from '../errors.js';
import { isRemoteException } from '../hdfs/error-class.js';
import type { StoreEntry } from './destination.js';

/**
 * - `not-renamed`: the temporary file is still in place; RENAME again.
 * - `published`: the final name holds a file of the expected length, by this
 *   attempt or (`already-published`) an earlier one.
 * - `taken-away`: the RENAME happened and a consumer moved the file since.
 * - `conflict`: something else is at the final name; `detail` says what.
 */
export type RenameVerdict =
  | { readonly kind: 'not-renamed' }
  | { readonly kind: 'published'; readonly outcome: 'published' | 'already-published' }
  | { readonly kind: 'taken-away' }
  | { readonly kind: 'conflict'; readonly detail: string };

/**
 * Judges a RENAME from what is at the final and the temporary name now.
 *
 * Without `replace`, the final name decides first: a file of the expected
 * length there was published (an earlier attempt's leftover temporary file
 * does not change that), anything else there is someone else's.
 *
 * With `replace` (RENAME with OVERWRITE, see `JournalEntry.replace`), the
 * final name holds the earlier, shorter copy until the RENAME happens, so
 * the temporary file decides: still there, nothing happened (renaming again
 * replaces at worst a file of the same content); gone, the final name must
 * hold the new length.
 */
export function judgeRename(
  entry: { readonly bytes: number; readonly replace?: boolean },
  final: StoreEntry | undefined,
  temp: StoreEntry | undefined,
): RenameVerdict {
  const expected = final?.type === 'file' && final.length === entry.bytes;
  if (entry.replace === true) {
    if (temp !== undefined) return { kind: 'not-renamed' };
    if (final === undefined) return { kind: 'taken-away' };
    if (expected) return { kind: 'published', outcome: 'published' };
    return {
      kind: 'conflict',
      detail: `holds ${describe(final)} and the replacement is gone; expected ${entry.bytes} bytes`,
    };
  }

  if (final !== undefined) {
    if (expected) {
      const outcome = temp === undefined ? 'published' : 'already-published';
      return { kind: 'published', outcome };
    }
    return {
      kind: 'conflict',
      detail: `is already ${describe(final)}; the segment has ${entry.bytes} bytes`,
    };
  }
  return temp === undefined ? { kind: 'taken-away' } : { kind: 'not-renamed' };
}

/**
 * True when a RENAME was refused because its source does not exist: an
 * answer, not a lost one, so that RENAME certainly moved nothing. Every
 * built-in destination answers so (the destination contract checks it).
 */
export function refusedForMissingSource(error: unknown): boolean {
  if (isRemoteException(error, 'FileNotFoundException')) return true;
  return error instanceof LocalStoreError && error.syscallCode === 'ENOENT';
}

function describe(entry: StoreEntry): string {
  return entry.type === 'file' ? `a file of ${entry.length} bytes` : 'a directory';
}
