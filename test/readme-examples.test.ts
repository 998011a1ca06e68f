/**
 * The README's winston, pino and copy jobs examples run as written: the code
 * blocks are taken from README.md itself, with only the NameNode address and
 * the local directories pointed at a dev server and a temporary directory.
 * Each example runs in its own process and simply ends; the loggers' lines
 * must then be in the spool, and reach "HDFS" once the spool is flushed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createShipper } from '../src/shipper.js';
import { startTestServer } from './dev-hdfs/fixture.js';
import { readPublished } from './helpers/published.js';
import { makeTempDir } from './helpers/temp-dir.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url);
/** Inside the package, so that the example's imports resolve as in an application. */
const scratch = fileURLToPath(new URL('dist/readme-examples/', root));

async function example(heading: string): Promise<string> {
  const readme = await readFile(new URL('README.md', root), 'utf8');
  const block = readme.split(`**${heading}**`)[1]?.split('```js\n')[1]?.split('```')[0];
  assert.ok(block, `README.md has a **${heading}** example`);
  return block;
}

for (const heading of ['winston', 'pino']) {
  test(`README's ${heading} example runs as written`, async (t) => {
    const code = await example(heading);
    assert.ok(code.trim().split('\n').length <= 15, 'at most 15 lines');
    const { server, root: hdfsRoot } = await startTestServer(t);
    const spoolDir = await makeTempDir(t, 'spool-');
    const runnable = code
      .replaceAll('webhdfs://namenode:9870', `webhdfs://${new URL(server.url).host}`)
      .replaceAll('/var/spool/my-app', spoolDir);
    assert.notEqual(runnable, code, 'the example names a NameNode and a spool');
    await mkdir(scratch, { recursive: true });
    const file = join(scratch, `${heading}-${process.pid}.mjs`);
    t.after(() => rm(file, { force: true }));
    await writeFile(file, runnable);

    await run(process.execPath, [file], { timeout: 30_000 });

    const shipper = createShipper({
      destination: runnable.match(/destination: '([^']+)'/)?.[1] ?? '',
      spoolDir,
    });
    await shipper.flush();
    await shipper.close();
    const lines = (await readPublished(hdfsRoot)).flatMap((published) =>
      published.content.split('\n').filter(Boolean),
    );
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /"orderId":42/);
    assert.match(lines[0] ?? '', /hello HDFS/);
  });
}

test("README's copy jobs example runs as written", async (t) => {
  const readme = await readFile(new URL('README.md', root), 'utf8');
  const code = readme.split('\n## Copy jobs')[1]?.split('```js\n')[1]?.split('```')[0];
  assert.ok(code, 'README.md has a copy jobs example');
  const { server } = await startTestServer(t);
  const dir = await makeTempDir(t, 'copy-example-');
  const runnable = code
    .replaceAll('webhdfs://nn1:9870', `webhdfs://${new URL(server.url).host}`)
    .replaceAll('/var/log/nginx', join(dir, 'nginx'))
    .replaceAll('/srv/app', join(dir, 'app'));
  assert.notEqual(runnable, code, 'the example names a NameNode and log directories');
  await mkdir(scratch, { recursive: true });
  const file = join(scratch, `copy-jobs-${process.pid}.mjs`);
  t.after(() => rm(file, { force: true }));
  await writeFile(file, runnable);

  // Its state goes where XDG says, here inside the test's directory.
  const env = { ...process.env, XDG_STATE_HOME: join(dir, 'state') };
  const { stdout } = await run(process.execPath, [file], { timeout: 30_000, env });

  assert.match(stdout, /'nginx'.*'running'/);
  assert.match(stdout, /'errors'.*'running'/);
});
