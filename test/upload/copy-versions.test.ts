/**
 * Versions of one file against the dev server: a file that grew replaces
 * its copy atomically (a reader polling the final name only ever sees a
 * whole version), a file rewritten in place (copytruncate, or with its
 * length and time kept) gets a new copy beside the earlier one, a file
 * renamed by rotation is not copied again, and the gzip and delete options
 * (a file that changed meanwhile is not deleted).
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, utimesSync, writeFileSync } from 'node:fs';
import {
  appendFile,
  copyFile,
  readFile,
  rename,
  stat,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { startThrottleProxy } from '../helpers/throttle-proxy.js';
import type { CopyManager } from '../../src/upload/copy-manager.js';
import type { CopyJobOptions } from '../../src/upload/copy-options.js';
import {
  lines,
  readCopies,
  startCopyRig,
  waitForCopyEvents,
  waitForSettledCycle,
  whenNextUploadStarts,
  type CopyRig,
} from './copy-rig.js';

/** Reads `path` every 2 ms until stopped; returns every distinct content seen. */
function pollFile(path: string) {
  const seen = new Set<string>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        seen.add(await readFile(path, 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      await delay(2);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return seen;
    },
  };
}

test('a file that grew replaces its copy atomically, never seen partial', async (t) => {
  const rig = await startCopyRig(t);
  // Slow uploads, so that the new version is in flight for many looks.
  const proxy = await startThrottleProxy(t, rig.server.dataNodeUrl, 4 * 1024 * 1024);
  const dataNode = new URL(rig.server.dataNodeUrl).host;
  const path = join(rig.logs, 'app.log');
  const first = lines(0, 1000);
  await writeFile(path, first);
  rig.manager.startCopy(
    'app',
    rig.job({ patterns: path, webhdfs: { dataNodeRewrite: { [dataNode]: proxy.url } } }),
  );
  await waitForCopyEvents(rig.manager, 'uploaded', 'the first version');
  const reader = pollFile(join(rig.root, 'logs', 'app', 'app.log'));

  const grown = first + lines(1000, 40_000);
  await appendFile(path, lines(1000, 40_000));
  const [event] = await waitForCopyEvents(rig.manager, 'uploaded', 'the grown version');
  const seen = await reader.stop();

  assert.equal(event?.replaced, true);
  assert.equal(event.path, '/logs/app/app.log');
  assert.deepEqual([...(await readCopies(rig.root, 'app'))], [['app.log', grown]]);
  assert.ok(seen.has(first) && seen.has(grown), 'the reader saw both versions');
  assert.equal(seen.size, 2, 'and nothing in between');
});

test('copytruncate: the rewritten file gets a new copy, the earlier one stays', async (t) => {
  const { manager, logs, root, job } = await startCopyRig(t);
  const path = join(logs, 'app.log');
  await writeFile(path, lines(0, 50));
  manager.startCopy('app', job({ patterns: path }));
  await waitForCopyEvents(manager, 'uploaded', 'the first content');
  const inode = (await stat(path)).ino;

  // logrotate copytruncate: copy elsewhere, truncate in place, the program writes on.
  await copyFile(path, join(logs, 'app.log.1-not-matched'));
  await truncate(path, 0);
  await appendFile(path, lines(50, 80, 'after'));
  const [event] = await waitForCopyEvents(manager, 'uploaded', 'the new content');

  assert.equal((await stat(path)).ino, inode, 'the same inode');
  assert.equal(event?.replaced, false);
  const copies = await readCopies(root, 'app');
  assert.equal(copies.get('app.log'), lines(0, 50), 'the earlier copy is untouched');
  const [name] = [...copies.keys()].filter((key) => key !== 'app.log');
  assert.match(name ?? '', /^app-[0-9a-f]{8}\.log$/);
  assert.equal(copies.get(name ?? ''), lines(50, 80, 'after'));
});

/** A whole second an hour ago: quiet at once, and put back exactly by utimes. */
function anHourAgo(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
}

/** Stops `running`; runs `job` in a new manager on the same state until settled. */
async function restartSettled(rig: CopyRig, running: CopyManager, job: CopyJobOptions) {
  await running.stopAllCopies({ timeout: '1s' });
  const again = rig.restart();
  const settled = waitForSettledCycle(again.manager, 'app');
  again.manager.startCopy('app', job);
  await settled;
  return again;
}

test('a file renamed by rotation is not copied again, nor after a restart', async (t) => {
  const rig = await startCopyRig(t);
  const path = join(rig.logs, 'app.log');
  const time = anHourAgo();
  await writeFile(path, lines(0, 50));
  await utimes(path, time, time);
  const job = rig.job({ patterns: join(rig.logs, 'app.log*') });
  rig.manager.startCopy('app', job);
  await waitForCopyEvents(rig.manager, 'uploaded', 'the first copy');

  await rename(path, `${path}.1`);
  // Two runs: the second one surely scanned after the rename.
  await waitForCopyEvents(rig.manager, 'cycle', 'two runs after the rename', {
    count: 2,
  });
  const again = await restartSettled(rig, rig.manager, job);

  assert.equal(rig.events.uploaded.length, 1);
  assert.deepEqual(again.events.uploaded, []);
  assert.deepEqual([...(await readCopies(rig.root, 'app'))], [['app.log', lines(0, 50)]]);
});

test('other content on the same inode, length and time gets a copy of its own', async (t) => {
  const rig = await startCopyRig(t);
  const path = join(rig.logs, 'app.log');
  const time = anHourAgo();
  await writeFile(path, lines(0, 50));
  await utimes(path, time, time);
  const job = rig.job({ patterns: path });
  rig.manager.startCopy('app', job);
  await waitForCopyEvents(rig.manager, 'uploaded', 'the first content');
  await rig.manager.stopAllCopies({ timeout: '1s' });
  const before = await stat(path);

  // As `cp -p`, `rsync -t` or `tar x` leave a file, here on the copied inode.
  await writeFile(path, lines(0, 50, 'next'));
  await utimes(path, time, time);
  const after = await stat(path);
  const second = rig.restart();
  const uploaded = waitForCopyEvents(second.manager, 'uploaded', 'the new content');
  second.manager.startCopy('app', job);
  const [event] = await uploaded;
  const third = await restartSettled(rig, second.manager, job);

  assert.deepEqual(
    [after.ino, after.size, after.mtimeMs],
    [before.ino, before.size, before.mtimeMs],
    'stat cannot tell the two apart',
  );
  assert.equal(event?.replaced, false);
  const copies = await readCopies(rig.root, 'app');
  assert.equal(copies.get('app.log'), lines(0, 50), 'the earlier copy is untouched');
  const [name] = [...copies.keys()].filter((key) => key !== 'app.log');
  assert.match(name ?? '', /^app-[0-9a-f]{8}\.log$/);
  assert.equal(copies.get(name ?? ''), lines(0, 50, 'next'));
  assert.deepEqual(third.events.uploaded, [], 'nothing copied twice after a restart');
});

test('compress: the copy is the gzip of the file, named .gz', async (t) => {
  const { manager, logs, root, job } = await startCopyRig(t);
  await writeFile(join(logs, 'app.log'), lines(0, 500));
  manager.startCopy('app', job({ patterns: join(logs, '*.log'), compress: 'gzip' }));
  const [event] = await waitForCopyEvents(manager, 'uploaded', 'the gzip copy');

  const published = await readFile(join(root, 'logs', 'app', 'app.log.gz'));
  assert.equal(gunzipSync(published).toString(), lines(0, 500));
  assert.equal(event?.bytes, published.length);
  assert.equal(event.sourceBytes, lines(0, 500).length);
});

test('afterUpload delete removes the file once its copy is published', async (t) => {
  const { manager, logs, root, job } = await startCopyRig(t);
  const path = join(logs, 'app.log.1');
  await writeFile(path, lines(0, 20));
  manager.startCopy(
    'app',
    job({ patterns: join(logs, '*.log.*'), afterUpload: 'delete' }),
  );
  await waitForCopyEvents(manager, 'uploaded', 'the copy');

  await assert.rejects(stat(path), { code: 'ENOENT' });
  assert.deepEqual([...(await readCopies(root, 'app'))], [['app.log.1', lines(0, 20)]]);
});

test('afterUpload delete keeps a file that changed while its copy was published', async (t) => {
  const { manager, logs, root, job } = await startCopyRig(t);
  const path = join(logs, 'app.log.1');
  await writeFile(path, lines(0, 20));
  // The writer appends once the snapshot is taken, as the first attempt starts.
  whenNextUploadStarts(() => {
    appendFileSync(path, lines(20, 5));
  });
  // Looked at as each copy is reported: the source is deleted before that.
  const kept: boolean[] = [];
  manager.on('uploaded', () => kept.push(existsSync(path)));
  manager.startCopy(
    'app',
    job({ patterns: join(logs, '*.log.*'), afterUpload: 'delete' }),
  );
  const events = await waitForCopyEvents(manager, 'uploaded', 'both versions', {
    count: 2,
  });

  assert.deepEqual(kept, [true, false], 'kept while changed, deleted once copied whole');
  assert.deepEqual(
    events.map((event) => [event.sourceBytes, event.replaced]),
    [
      [lines(0, 20).length, false],
      [lines(0, 25).length, true],
    ],
  );
  assert.deepEqual([...(await readCopies(root, 'app'))], [['app.log.1', lines(0, 25)]]);
});

test('afterUpload delete keeps a file rewritten with its length and time put back', async (t) => {
  const { manager, logs, root, job } = await startCopyRig(t);
  const path = join(logs, 'app.log.1');
  const time = anHourAgo();
  await writeFile(path, lines(0, 20));
  await utimes(path, time, time);
  // Rewritten once the snapshot is taken: stat alone would say it is the copy.
  whenNextUploadStarts(() => {
    writeFileSync(path, lines(0, 20, 'next'));
    utimesSync(path, time, time);
  });
  const kept: boolean[] = [];
  manager.on('uploaded', () => kept.push(existsSync(path)));
  manager.startCopy(
    'app',
    job({ patterns: join(logs, '*.log.*'), afterUpload: 'delete' }),
  );
  const events = await waitForCopyEvents(manager, 'uploaded', 'both contents', {
    count: 2,
  });

  assert.deepEqual(kept, [true, false], 'kept while other, deleted once copied');
  assert.deepEqual(
    events.map((event) => event.replaced),
    [false, false],
  );
  const copies = await readCopies(root, 'app');
  assert.equal(copies.get('app.log.1'), lines(0, 20));
  const [name] = [...copies.keys()].filter((key) => key !== 'app.log.1');
  assert.equal(copies.get(name ?? ''), lines(0, 20, 'next'));
});
