/**
 * README's options table must say what src/options.ts says: the same options,
 * the same defaults (the `@default` of each option's TSDoc), nothing missing,
 * nothing extra.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);

/** Option name → its `@default` text (`required` for a required option). */
async function optionsFromTypes(): Promise<Map<string, string>> {
  const source = await readFile(new URL('src/options.ts', root), 'utf8');
  const groups: Array<[string, string]> = [
    ['HdfsLogOptions', ''],
    ['RotateOptions', 'rotate.'],
    ['UploadOptions', 'upload.'],
    ['BufferOptions', 'buffer.'],
  ];
  const options = new Map<string, string>();
  for (const [name, prefix] of groups) {
    const body = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(
      source,
    )?.[1];
    assert.ok(body, `interface ${name} in src/options.ts`);
    const member = /(\/\*\*[\s\S]*?\*\/)?\s*readonly (\w+)(\??): ([^;]+);/g;
    for (const match of body.matchAll(member)) {
      const [, doc = '', option = '', optional, type = ''] = match;
      if (/Options$/.test(type.trim())) continue; // a group: its members are rows
      const fallback = /@default (.+?)(?:\s*\*\/|\n)/.exec(doc)?.[1]?.trim();
      const expected = optional === '?' ? fallback : 'required';
      assert.ok(expected, `${prefix}${option} has a @default in src/options.ts`);
      options.set(`${prefix}${option}`, expected);
    }
  }
  return options;
}

/** Option name → default cell, from README's table under "## Options". */
async function optionsFromReadme(): Promise<Map<string, string>> {
  const readme = await readFile(new URL('README.md', root), 'utf8');
  const section = readme.split('\n## Options\n')[1]?.split('\n## ')[0] ?? '';
  const options = new Map<string, string>();
  for (const line of section.split('\n')) {
    const row = /^\|\s*`([\w.]+)`\s*\|\s*(.+?)\s*\|/.exec(line);
    if (row?.[1] !== undefined && row[2] !== undefined) options.set(row[1], row[2]);
  }
  return options;
}

test("README's options table lists every option with the default the types document", async () => {
  const types = await optionsFromTypes();
  const readme = await optionsFromReadme();

  assert.deepEqual([...readme.keys()].sort(), [...types.keys()].sort());
  for (const [option, fallback] of types) {
    const cell = readme.get(option);
    const documented = fallback === 'required' ? 'required' : `\`${fallback}\``;
    // README escapes backticks inside a code span; the types do not.
    assert.equal(cell?.replaceAll('\\`', '`'), documented, option);
  }
});
