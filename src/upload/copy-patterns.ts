/**
 * The `patterns` of a copy job: each is split into its base (the static
 * directories before the first wildcard) and a glob below it, and matched
 * with tinyglobby from that base, so that a pattern never makes the crawl
 * start higher than it must, and `layout: 'preserve'` knows what a file's
 * path is relative to.
 */
import { isAbsolute, join, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { InvalidOptionError } from '../errors.js';

/** One pattern of a job, read by {@link parsePattern}. */
export interface CopyPattern {
  /** As written. */
  readonly source: string;
  /** The absolute directory before the first wildcard. */
  readonly base: string;
  /** The rest, relative to `base`, `/`-separated. */
  readonly glob: string;
}

const EXPECTED = 'a glob pattern or path of files, such as "/var/log/nginx/*.log"';

/**
 * Reads a pattern. A relative one is taken from `cwd`. A plain path is a
 * pattern whose last component matches only itself.
 *
 * @throws {@link InvalidOptionError} for a value that is not a non-empty
 *   string, holds a NUL, ends in `/`, or has `..` after its first wildcard
 */
export function parsePattern(value: unknown, option: string, cwd: string): CopyPattern {
  const fail = (reason: string): never => {
    throw new InvalidOptionError(option, `${EXPECTED}, but ${reason}`, value);
  };
  if (typeof value !== 'string' || value === '') {
    throw new InvalidOptionError(option, EXPECTED, value);
  }
  if (value.includes('\0')) fail('it holds a NUL character');
  if (value.endsWith('/')) fail('it names a directory; add "/*" for its files');

  // Joined, not resolved: path.resolve would fold ".." inside braces or globs.
  const absolute = isAbsolute(value) ? value : `${cwd}${sep}${value}`;
  const components = absolute.split('/');
  const firstDynamic = components.findIndex(
    (component, index) => index > 0 && isDynamicPattern(component),
  );
  const split = firstDynamic === -1 ? components.length - 1 : firstDynamic;
  const rest = components.slice(split);
  if (rest.some((component) => component === '..' || component === '.')) {
    fail('it has "." or ".." after its first wildcard');
  }
  if (rest.some((component) => component === ''))
    fail('it has an empty component ("//")');
  // The static part may be written with "..": resolving it is safe there.
  const base = join('/', ...components.slice(0, split));
  return { source: value, base, glob: rest.join('/') };
}

/**
 * The files the patterns match now, each once (the first pattern that
 * matches it claims it), absolute. Directories that cannot be read are
 * skipped, as `find` would with its errors silenced: a log directory that
 * disappears mid-crawl is normal. Symbolic links are followed (the scan
 * refuses those that lead out of the base).
 */
export async function matchFiles(
  patterns: readonly CopyPattern[],
  signal?: AbortSignal,
): Promise<Map<string, CopyPattern>> {
  const matched = new Map<string, CopyPattern>();
  for (const pattern of patterns) {
    const files = await glob(matchableGlob(pattern.glob), {
      cwd: pattern.base,
      absolute: true,
      onlyFiles: true,
      // A plain directory name must not copy the whole tree below it.
      expandDirectories: false,
      ...(signal === undefined ? {} : { signal }),
    });
    for (const file of files) if (!matched.has(file)) matched.set(file, pattern);
  }
  return matched;
}

/**
 * The glob as given to tinyglobby. Its matcher (picomatch) writes `**` as a
 * regular expression `.`, which stops at a line break, where `*` does not:
 * a trailing `**` would miss a file named "a\nb". With `/*` added it matches
 * the same files (`**` may match no directory), their names through `*`. A
 * `**` before a `/` still misses a directory whose name holds a line break
 * (README, Limitations).
 */
export function matchableGlob(glob: string): string {
  return glob === '**' || glob.endsWith('/**') ? `${glob}/*` : glob;
}
