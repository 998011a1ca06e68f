/**
 * Destination directory templates: the path part of `destination`, such as
 * `/logs/{name}/dt={yyyy-MM-dd}/hour={HH}`, evaluated once per segment.
 *
 * A placeholder is `{host}`, `{name}` or a luxon format evaluated at the
 * segment's start time in the rotation time zone, with the locale fixed to
 * `en-US`. Only date tokens that always give letters and digits are allowed
 * (`TIME_TOKENS` in template-time-format.ts): `{ZZ}` (`+01:00`), `{z}`
 * (`Europe/Berlin`) or `{D}` (`12/3/2026`) are refused when the template is
 * read. Literal text in a placeholder (`-`, `_`, `.`, quoted `'T'`) is
 * allowed without `/`, `:` or white space: slashes go outside the braces
 * (`{yyyy}/{MM}`). Braces cannot be written as literal text; HDFS names
 * rarely need them.
 *
 * A rendered path is always inside the template's base directory (the static
 * directories before the first placeholder): every rendered component is
 * checked with HDFS's rules, so a value that would make it empty, `.`, `..`,
 * or hold `/`, `:` or a control character (a hostile host name) is refused
 * with {@link InvalidHdfsPathError} instead of moving the file elsewhere.
 */
import { DateTime } from 'luxon';
import { InvalidHdfsPathError, InvalidOptionError } from '../errors.js';
import { findComponentProblem, findPathProblem } from './hdfs-path.js';
import { findControlCharacter, findTimeFormatProblem } from './template-time-format.js';

/** One part of a template component. */
export type TemplatePiece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'time'; readonly format: string }
  | { readonly kind: 'host' }
  | { readonly kind: 'name' };

/** A template read by {@link parseDestinationTemplate}. */
export interface DestinationTemplate {
  /** The template as written. */
  readonly source: string;
  /** The static directory every rendered path lies in (`/logs` for `/logs/{name}`). */
  readonly baseDirectory: string;
  /** The path components below `/`, each a sequence of pieces. */
  readonly components: ReadonlyArray<readonly TemplatePiece[]>;
}

/** What a template is evaluated with, for one segment. */
export interface DestinationValues {
  /** The segment's start time. */
  readonly start: Date | number;
  /** `rotate.timeZone`, an IANA zone. */
  readonly timeZone: string;
  /** For `{host}`. */
  readonly host: string;
  /** For `{name}`, the stream name. */
  readonly name: string;
}

const EXPECTED =
  'an absolute HDFS directory template such as "/logs/{name}/dt={yyyy-MM-dd}/hour={HH}"';

// Fixed so that a different default locale in the application (luxon's
// Settings.defaultLocale, the machine's language) cannot change the paths.
const FORMAT_OPTIONS = {
  locale: 'en-US',
  numberingSystem: 'latn',
  outputCalendar: 'gregory',
} as const;

/**
 * Reads a destination directory template (the decoded path of the
 * destination URL) and checks it before any I/O. A trailing `/` is ignored.
 *
 * @param option - the option's name, for the error message
 * @throws {@link InvalidOptionError} when the path is not absolute, has
 *   unbalanced braces, an unknown placeholder or token, or static parts that
 *   are not valid HDFS path components
 */
export function parseDestinationTemplate(
  path: string,
  option: string,
): DestinationTemplate {
  const fail = (reason: string): never => {
    throw new InvalidOptionError(option, `${EXPECTED}, but ${reason}`, path);
  };
  if (typeof path !== 'string' || !path.startsWith('/')) fail('it is not absolute');

  const components = splitComponents(path, fail).map((text) => readComponent(text, fail));
  const firstDynamic = components.findIndex((pieces) => !isStatic(pieces));
  const base = firstDynamic === -1 ? components : components.slice(0, firstDynamic);
  const template: DestinationTemplate = {
    source: path,
    baseDirectory: `/${base.map(staticText).join('/')}`,
    components,
  };

  // A trial render catches what only the whole path shows ("/.reserved", length).
  try {
    renderDestination(template, { start: 0, timeZone: 'UTC', host: 'host', name: 'app' });
  } catch (error) {
    if (!(error instanceof InvalidHdfsPathError)) throw error;
    fail(error.reason);
  }
  return template;
}

/**
 * Checks a path a destination is asked to touch: a clean absolute path
 * (no `.`/`..`, empty or control-character components) inside the
 * template's base directory, so that a hostile segment or file name can
 * never reach another directory. Returns it unchanged.
 *
 * @throws {@link InvalidHdfsPathError} naming what is wrong
 */
export function confinePath(template: DestinationTemplate, path: string): string {
  const problem = findPathProblem(path) ?? findControlCharacter(path);
  if (problem !== undefined) throw new InvalidHdfsPathError(path, problem);
  const base = template.baseDirectory;
  if (base !== '/' && path !== base && !path.startsWith(`${base}/`)) {
    throw new InvalidHdfsPathError(path, `it is outside ${base}`);
  }
  return path;
}

/**
 * Evaluates a template for one segment and returns the absolute HDFS
 * directory to publish it in, always inside `template.baseDirectory`.
 *
 * @throws {@link InvalidHdfsPathError} when a value makes a component that
 *   HDFS would refuse or that would leave the base directory (empty, `.`,
 *   `..`, holding `/`, `:` or a control character)
 * @throws {@link InvalidOptionError} for a start time or zone luxon cannot use
 */
export function renderDestination(
  template: DestinationTemplate,
  values: DestinationValues,
): string {
  const millis = values.start instanceof Date ? values.start.getTime() : values.start;
  if (!Number.isFinite(millis)) {
    throw new InvalidOptionError('start', 'a valid time', values.start);
  }
  const time = DateTime.fromMillis(millis, { zone: values.timeZone, ...FORMAT_OPTIONS });
  if (!time.isValid) {
    throw new InvalidOptionError('timeZone', 'an IANA time zone', values.timeZone);
  }

  const components = template.components.map((pieces) =>
    pieces.map((piece) => renderPiece(piece, time, values)).join(''),
  );
  const path = `/${components.join('/')}`;

  // Per component, before anything else: "a/.." in a value must fail here,
  // not pass as two harmless-looking components of the joined path.
  for (const component of components) {
    const problem = findComponentProblem(component) ?? findControlCharacter(component);
    if (problem !== undefined) {
      throw new InvalidHdfsPathError(
        path,
        `component ${JSON.stringify(component)} ${problem}`,
      );
    }
  }
  const problem = findPathProblem(path);
  if (problem !== undefined) throw new InvalidHdfsPathError(path, problem);
  if (!isInside(path, template.baseDirectory)) {
    throw new InvalidHdfsPathError(path, `it is outside ${template.baseDirectory}`);
  }
  return path;
}

function renderPiece(piece: TemplatePiece, time: DateTime, values: DestinationValues) {
  switch (piece.kind) {
    case 'text':
      return piece.text;
    case 'time':
      return time.toFormat(piece.format);
    case 'host':
      return values.host;
    case 'name':
      return values.name;
  }
}

type Fail = (reason: string) => never;

/** The components of the template's path, split at slashes outside braces. */
function splitComponents(path: string, fail: Fail): string[] {
  let open = false;
  for (const char of path) {
    if (char === '{') {
      if (open) fail('a placeholder holds "{"');
      open = true;
    } else if (char === '}') {
      if (!open) fail('a "}" has no "{"');
      open = false;
    } else if (char === '/' && open) {
      fail('a placeholder holds "/"; put slashes outside braces, as in {yyyy}/{MM}');
    }
  }
  if (open) fail('a "{" is not closed');

  const body = path.endsWith('/') ? path.slice(1, -1) : path.slice(1);
  if (body === '') return [];
  const components = body.split('/');
  if (components.includes('')) fail('it has an empty component ("//")');
  return components;
}

/** The pieces of one component, each placeholder and literal checked. */
function readComponent(text: string, fail: Fail): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let last = 0;
  for (const match of text.matchAll(/\{([^{}]*)\}/g)) {
    pieces.push(...readText(text.slice(last, match.index), fail));
    pieces.push(readPlaceholder(match[1] ?? '', fail));
    last = match.index + match[0].length;
  }
  pieces.push(...readText(text.slice(last), fail));

  if (isStatic(pieces)) {
    const problem = findComponentProblem(text) ?? findControlCharacter(text);
    if (problem !== undefined) fail(`component ${JSON.stringify(text)} ${problem}`);
  }
  return pieces;
}

function readText(text: string, fail: Fail): TemplatePiece[] {
  if (text === '') return [];
  if (/%7[bd]/i.test(text)) {
    fail('it holds "%7B" or "%7D"; decode the URL path before reading it as a template');
  }
  const problem =
    findControlCharacter(text) ?? (text.includes(':') ? 'holds ":"' : undefined);
  if (problem !== undefined) fail(`${JSON.stringify(text)} ${problem}`);
  return [{ kind: 'text', text }];
}

function readPlaceholder(inner: string, fail: Fail): TemplatePiece {
  if (inner === 'host' || inner === 'name') return { kind: inner };
  if (inner === '') fail('a placeholder is empty ("{}")');
  const lower = inner.toLowerCase();
  if (lower === 'host' || lower === 'name')
    fail(`it is written {${lower}}, in lower case`);

  const problem = findTimeFormatProblem(inner);
  if (problem !== undefined) fail(`in "{${inner}}", ${problem}`);
  return { kind: 'time', format: inner };
}

function isStatic(pieces: readonly TemplatePiece[]): boolean {
  return pieces.every((piece) => piece.kind === 'text');
}

function staticText(pieces: readonly TemplatePiece[]): string {
  return pieces.map((piece) => (piece.kind === 'text' ? piece.text : '')).join('');
}

function isInside(path: string, directory: string): boolean {
  return directory === '/' || path === directory || path.startsWith(`${directory}/`);
}
