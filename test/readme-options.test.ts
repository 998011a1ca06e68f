/**
 * README's option tables must say what the option types say: the same
 * options, the same defaults (the `@default` of each option's TSDoc),
 * nothing missing, nothing extra. For the shipper that is src/options.ts,
 * whose `DEFAULTS` must hold the same defaults, and for copy jobs
 * src/upload/copy-options.ts, whose `COPY_DEFAULTS` must.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { DEFAULTS } from '../src/options.js';
import { COPY_DEFAULTS } from '../src/upload/copy-options.js';

const root = new URL('../../', import.meta.url);

/** The interfaces of src/options.ts whose members are options, with their prefix. */
const SHIPPER_GROUPS = [
  ['HdfsLogOptions', ''],
  ['RotateOptions', 'rotate.'],
  ['UploadOptions', 'upload.'],
  ['BufferOptions', 'buffer.'],
] as const;

/**
 * Option name → its `@default` text (`required` for a required option), for
 * the members of each `[interface, prefix]` group of a source file.
 */
async function optionsFromTypes(
  file: string,
  groups: ReadonlyArray<readonly [string, string]>,
): Promise<Map<string, string>> {
  const source = await readFile(new URL(file, root), 'utf8');
  const options = new Map<string, string>();
  for (const [name, prefix] of groups) {
    const body = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(
      source,
    )?.[1];
    assert.ok(body, `interface ${name} in ${file}`);
    const member = /(\/\*\*[\s\S]*?\*\/)?\s*readonly (\w+)(\??): ([^;]+);/g;
    for (const match of body.matchAll(member)) {
      const [, doc = '', option = '', optional, type = ''] = match;
      if (/Options$/.test(type.trim())) continue; // a group: its members are rows
      const fallback = /@default (.+?)(?:\s*\*\/|\n)/.exec(doc)?.[1]?.trim();
      const expected = optional === '?' ? fallback : 'required';
      assert.ok(expected, `${prefix}${option} has a @default in ${file}`);
      options.set(`${prefix}${option}`, expected);
    }
  }
  return options;
}

/**
 * Option name → default cell, from the tables of README's section `heading`.
 * A row may name several options (`` `a`, `b` ``); its default cell then
 * gives as many code spans, in the same order.
 */
async function optionsFromReadme(heading: string): Promise<Map<string, string>> {
  const readme = await readFile(new URL('README.md', root), 'utf8');
  const section = readme.split(`\n## ${heading}`)[1]?.split('\n## ')[0] ?? '';
  const options = new Map<string, string>();
  for (const line of section.split('\n')) {
    const row = /^\|\s*(`[\w.]+`(?:,\s*`[\w.]+`)*)\s*\|\s*(.+?)\s*\|/.exec(line);
    if (row?.[1] === undefined || row[2] === undefined) continue;
    const names = [...row[1].matchAll(/`([\w.]+)`/g)].map((match) => match[1] ?? '');
    const cells = names.length === 1 ? [row[2]] : row[2].split(/(?<=`),\s*(?=`)/);
    assert.equal(cells.length, names.length, `one default for each of ${row[1]}`);
    names.forEach((name, i) => options.set(name, cells[i] ?? ''));
  }
  return options;
}

/** The README cell for a documented default: backticks around it unless it has some. */
function cellFor(fallback: string): string {
  if (fallback === 'required' || fallback.includes('`')) return fallback;
  return `\`${fallback}\``;
}

test("README's options table lists every option with the default the types document", async () => {
  const types = await optionsFromTypes('src/options.ts', SHIPPER_GROUPS);
  const readme = await optionsFromReadme('Options\n');

  assert.deepEqual([...readme.keys()].sort(), [...types.keys()].sort());
  for (const [option, fallback] of types) {
    const cell = readme.get(option);
    const documented = fallback === 'required' ? 'required' : `\`${fallback}\``;
    // README escapes backticks inside a code span; the types do not.
    assert.equal(cell?.replaceAll('\\`', '`'), documented, option);
  }
});

test("README's copy job table lists every job option with its documented default", async () => {
  const types = await optionsFromTypes('src/upload/copy-options.ts', [
    ['CopyJobOptions', ''],
  ]);
  const readme = await optionsFromReadme('Copy jobs');

  assert.deepEqual([...readme.keys()].sort(), [...types.keys()].sort());
  for (const [option, fallback] of types) {
    assert.equal(readme.get(option), cellFor(fallback), option);
  }
});

test('COPY_DEFAULTS holds the defaults the copy job options document', async () => {
  const types = await optionsFromTypes('src/upload/copy-options.ts', [
    ['CopyJobOptions', ''],
  ]);

  for (const [option, value] of Object.entries(COPY_DEFAULTS)) {
    const written = typeof value === 'string' ? `'${value}'` : String(value);
    assert.equal(types.get(option), written, option);
  }
});

/** A default as the TSDoc writes it: `'5m'`, `2`, `false`. */
function asDocumented(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** `{ rotate: { size } }` → `rotate.size`, for the defaults of nested groups. */
function flatten(value: object, prefix = ''): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [key, entry] of Object.entries(value) as [string, unknown][]) {
    if (typeof entry === 'object' && entry !== null) {
      for (const [inner, leaf] of flatten(entry, `${prefix}${key}.`)) {
        flat.set(inner, leaf);
      }
    } else {
      flat.set(`${prefix}${key}`, entry);
    }
  }
  return flat;
}

test('DEFAULTS holds every default the shipper options document, and only those', async () => {
  const types = await optionsFromTypes('src/options.ts', SHIPPER_GROUPS);
  const defaults = flatten(DEFAULTS);

  for (const [option, value] of defaults) {
    assert.equal(asDocumented(value), types.get(option), option);
  }
  // Defaults that are values (not `[]`, `{}` or `undefined (…)`) are all in DEFAULTS.
  const documented = [...types]
    .filter(([, fallback]) => /^('.*'|\d+|true|false)$/.test(fallback))
    .map(([option]) => option);
  assert.deepEqual(documented.sort(), [...defaults.keys()].sort());
});
