// Recovery with liveness injected; real writers and crashes are in recover-segments-process.
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { SpoolWriteError } from '../../src/errors.js';
import {
  recoverAbandonedSegments,
  type RecoverOptions,
} from '../../src/segment/recover-segments.js';
import { formatSegmentName, newWriterId } from '../../src/segment/segment-name.js';
import {
  ensureSpool,
  spoolLayout,
  type SpoolLayout,
} from '../../src/segment/spool-layout.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const START = Date.UTC(2026, 11, 3, 15, 19, 0);
const DEAD = 'deadw0rk';
const LIVE = 'l1vew0rk';

function segment(writerId: string, seq = 0): string {
  return formatSegmentName({ name: 'app', start: START, host: 'web1', writerId, seq });
}

async function setup(t: TestContext): Promise<SpoolLayout> {
  const layout = spoolLayout(await makeTempDir(t));
  await ensureSpool(layout);
  return layout;
}

/** Liveness by a fixed list, counting the questions asked. */
function aliveOnly(...alive: string[]) {
  const asked: string[] = [];
  const isAlive = (writerId: string): Promise<boolean> => {
    asked.push(writerId);
    return Promise.resolve(alive.includes(writerId));
  };
  return { isAlive, asked };
}

function recover(layout: SpoolLayout, options: Partial<RecoverOptions> = {}) {
  return recoverAbandonedSegments(layout, {
    sealInto: 'ready',
    isAlive: aliveOnly().isAlive,
    ...options,
  });
}

test('seals a dead writer segment into ready/, cut after its last complete line', async (t) => {
  const layout = await setup(t);
  const name = segment(DEAD);
  await writeFile(join(layout.active, name), 'one\ntwo\nthr');

  const recovered = await recover(layout);

  const path = join(layout.ready, name);
  assert.deepEqual(recovered, [
    { name, path, bytes: 8, start: START, cutBytes: 3, deleted: false },
  ]);
  assert.equal(await readFile(path, 'utf8'), 'one\ntwo\n');
  assert.deepEqual(await readdir(layout.active), []);
});

test('seals into sealed/ when the segment is to be compressed first', async (t) => {
  const layout = await setup(t);
  const name = segment(DEAD);
  await writeFile(join(layout.active, name), 'one\n');
  const [recovered] = await recover(layout, { sealInto: 'sealed' });
  assert.equal(recovered?.path, join(layout.sealed, name));
  assert.equal(recovered.cutBytes, 0);
  assert.deepEqual(await readdir(layout.ready), []);
  assert.equal(await readFile(join(layout.sealed, name), 'utf8'), 'one\n');
});

test('deletes a segment without one complete line and reports all of it as cut', async (t) => {
  const layout = await setup(t);
  const partial = segment(DEAD, 0);
  const empty = segment(DEAD, 1);
  await writeFile(join(layout.active, partial), 'no line break');
  await writeFile(join(layout.active, empty), '');

  const recovered = await recover(layout);

  assert.deepEqual(
    recovered.map(({ name, bytes, cutBytes, deleted }) => ({
      name,
      bytes,
      cutBytes,
      deleted,
    })),
    [
      { name: partial, bytes: 0, cutBytes: 13, deleted: true },
      { name: empty, bytes: 0, cutBytes: 0, deleted: true },
    ],
  );
  assert.deepEqual(await readdir(layout.active), []);
  assert.deepEqual(await readdir(layout.ready), [], 'an empty segment is never sealed');
});

test('finds the last line break across read chunks of a large segment', async (t) => {
  const layout = await setup(t);
  const head = `${'a'.repeat(1000)}\n`;
  const tail = 'b'.repeat(200 * 1024); // an unfinished line longer than three chunks
  const name = segment(DEAD);
  await writeFile(join(layout.active, name), head + tail);

  const [recovered] = await recover(layout);

  assert.equal(recovered?.cutBytes, tail.length);
  assert.equal(await readFile(join(layout.ready, name), 'utf8'), head);
});

test('never touches a live writer segment, nor one of our own writers', async (t) => {
  const layout = await setup(t);
  const own = newWriterId();
  await writeFile(join(layout.active, segment(LIVE)), 'live\npart');
  await writeFile(join(layout.active, segment(own)), 'own\npart');
  const liveness = aliveOnly(LIVE);

  const recovered = await recover(layout, {
    isAlive: liveness.isAlive,
    ownWriterIds: new Set([own]),
  });

  assert.deepEqual(recovered, []);
  assert.deepEqual(liveness.asked, [LIVE], 'our own writers are never asked about');
  assert.equal(await readFile(join(layout.active, segment(LIVE)), 'utf8'), 'live\npart');
  assert.equal(await readFile(join(layout.active, segment(own)), 'utf8'), 'own\npart');
});

test('leaves files that are not segment names, and gzip names, alone', async (t) => {
  const layout = await setup(t);
  const others = ['notes.txt', `${segment(DEAD)}.gz`, '.hidden.log'];
  for (const other of others) await writeFile(join(layout.active, other), 'x\ny');
  assert.deepEqual(await recover(layout), []);
  assert.deepEqual((await readdir(layout.active)).sort(), [...others].sort());
});

test('asks about each writer once and recovers its segments oldest first', async (t) => {
  const layout = await setup(t);
  for (const seq of [2, 0, 1])
    await writeFile(join(layout.active, segment(DEAD, seq)), 'x\n');
  const liveness = aliveOnly();
  const recovered = await recover(layout, { isAlive: liveness.isAlive });
  assert.deepEqual(
    recovered.map((found) => found.name),
    [0, 1, 2].map((seq) => segment(DEAD, seq)),
  );
  assert.deepEqual(liveness.asked, [DEAD]);
});

test('a second run finds nothing left to do', async (t) => {
  const layout = await setup(t);
  await writeFile(join(layout.active, segment(DEAD)), 'x\ny');
  assert.equal((await recover(layout)).length, 1);
  assert.deepEqual(await recover(layout), []);
  assert.equal(await readFile(join(layout.ready, segment(DEAD)), 'utf8'), 'x\n');
});

test('two recoveries racing seal each segment once, whole lines only', async (t) => {
  const layout = await setup(t);
  const names = Array.from({ length: 20 }, (_, seq) => segment(DEAD, seq));
  for (const name of names) await writeFile(join(layout.active, name), `${name}\ncut`);

  const [first, second] = await Promise.all([recover(layout), recover(layout)]);

  const sealed = [...first, ...second]
    .filter((found) => !found.deleted)
    .map((f) => f.name);
  assert.deepEqual(sealed.sort(), [...names].sort(), 'each reported exactly once');
  assert.deepEqual((await readdir(layout.ready)).sort(), [...names].sort());
  for (const name of names) {
    assert.equal(await readFile(join(layout.ready, name), 'utf8'), `${name}\n`);
  }
});

test('a failed liveness check counts as alive and is reported', async (t) => {
  const layout = await setup(t);
  await writeFile(join(layout.active, segment(DEAD)), 'x\ny');
  const failure = Object.assign(new Error('EACCES'), { code: 'EACCES' });
  const errors: SpoolWriteError[] = [];

  const recovered = await recover(layout, {
    isAlive: () => Promise.reject(failure),
    onError: (error) => errors.push(error),
  });

  assert.deepEqual(recovered, []);
  const [error, ...more] = errors;
  assert.equal(more.length, 0);
  assert.equal(error?.syscallCode, 'EACCES');
  assert.equal(error.cause, failure);
  assert.equal(await readFile(join(layout.active, segment(DEAD)), 'utf8'), 'x\ny');
});

test('without onError a failure rejects once every other file was tried', async (t) => {
  const layout = await setup(t);
  const other = 'zzzzzzzz';
  await writeFile(join(layout.active, segment(DEAD)), 'x\n');
  await writeFile(join(layout.active, segment(other)), 'y\n');
  const failure = Object.assign(new Error('EIO'), { code: 'EIO' });
  const isAlive = (id: string) =>
    id === DEAD ? Promise.reject(failure) : Promise.resolve(false);

  await assert.rejects(recover(layout, { isAlive }), SpoolWriteError);
  assert.deepEqual(await readdir(layout.ready), [segment(other)]);
});
