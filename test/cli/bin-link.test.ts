/**
 * `npx hdfs-log-transport` in a checkout runs node_modules/.bin's link, which
 * `npm ci` makes through the `prepare` script (scripts/link-bin.mjs): the
 * command a newcomer types first must work there.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CLI } from '../helpers/cli.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const link = `${root}node_modules/.bin/hdfs-log-transport`;

test('the bin link leads to the built command line, which prints its help', async () => {
  assert.equal(await realpath(link), await realpath(CLI));

  const { stdout } = await run(link, ['--help'], { timeout: 30_000 });

  assert.match(stdout, /^Usage: hdfs-log-transport <command>/);
  for (const command of ['ship', 'flush', 'status', 'dev-hdfs', 'demo']) {
    assert.match(stdout, new RegExp(`\\n\\s+${command}\\b`), command);
  }
});
