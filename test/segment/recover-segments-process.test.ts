// Recovery against real liveness: announced writers, socket files, killed processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  recoverAbandonedSegments,
  STALE_ANNOUNCEMENT_AGE,
} from '../../src/segment/recover-segments.js';
import { formatSegmentName, newWriterId } from '../../src/segment/segment-name.js';
import {
  ensureSpool,
  spoolLayout,
  type SpoolLayout,
} from '../../src/segment/spool-layout.js';
import { WriterAnnouncement } from '../../src/segment/writer-liveness.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const WRITER_CHILD = fileURLToPath(new URL('announced-writer-child.js', FIXTURES));
const TASK_CHILD = fileURLToPath(new URL('spool-task-child.js', FIXTURES));
const START = Date.UTC(2026, 11, 3, 15, 19, 0);
/** A writer id with no socket file: dead for isWriterAlive. */
const DEAD = 'deadw0rk';
/** A clock late enough that every announcement file counts as stale. */
const LATER = (): number => Date.now() + 2 * STALE_ANNOUNCEMENT_AGE;

function segment(writerId: string, seq = 0): string {
  return formatSegmentName({ name: 'app', start: START, host: 'web1', writerId, seq });
}

async function setup(t: TestContext): Promise<SpoolLayout> {
  const layout = spoolLayout(await makeTempDir(t));
  await ensureSpool(layout);
  return layout;
}

test('by default a writer announced in this spool is alive and left alone', async (t) => {
  const layout = await setup(t);
  const writerId = newWriterId();
  const announcement = WriterAnnouncement.announce(layout.writers, writerId);
  t.after(() => announcement.withdraw());
  await writeFile(join(layout.active, segment(writerId)), 'a\nb');

  const recovered = await recoverAbandonedSegments(layout, {
    sealInto: 'ready',
    now: LATER,
  });

  assert.deepEqual(recovered, []);
  assert.deepEqual(await readdir(layout.active), [segment(writerId)]);
  assert.deepEqual(await readdir(layout.writers), [`${writerId}.sock`]);
});

test('a socket file nobody listens on means dead, and goes once stale', async (t) => {
  const layout = await setup(t);
  await writeFile(join(layout.writers, `${DEAD}.sock`), '');
  await writeFile(join(layout.active, segment(DEAD)), 'a\nb');

  const fresh = await recoverAbandonedSegments(layout, { sealInto: 'ready' });
  assert.equal(fresh[0]?.cutBytes, 1);
  assert.deepEqual(
    await readdir(layout.writers),
    [`${DEAD}.sock`],
    'too fresh to remove',
  );

  await recoverAbandonedSegments(layout, { sealInto: 'ready', now: LATER });
  assert.deepEqual(await readdir(layout.writers), []);
});

test('a dead writer pointer goes with its socket, never another file', async (t) => {
  const layout = await setup(t);
  const dir = await makeTempDir(t);
  const ids = ['p0inter0', 'p0inter1'];
  const socket = join(dir, `hlt-${ids[0]}.sock`);
  const stranger = join(dir, 'precious.txt');
  await writeFile(socket, '');
  await writeFile(stranger, 'keep me');
  await writeFile(join(layout.writers, `${ids[0]}.path`), `${socket}\n`);
  await writeFile(join(layout.writers, `${ids[1]}.path`), stranger);
  await writeFile(join(layout.writers, 'README'), 'not an announcement');

  await recoverAbandonedSegments(layout, { sealInto: 'ready', now: LATER });

  assert.deepEqual(await readdir(layout.writers), ['README']);
  assert.deepEqual(await readdir(dir), ['precious.txt']);
});

test('a real writer killed by SIGKILL is recovered, its cut line reported', async (t) => {
  const layout = await setup(t);
  const writerId = newWriterId();
  const name = segment(writerId);
  const child = spawn(
    process.execPath,
    [WRITER_CHILD, layout.root, writerId, name, 'a\nb\nc'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  t.after(() => child.kill('SIGKILL'));
  await once(child.stdout, 'data');

  assert.deepEqual(await recoverAbandonedSegments(layout, { sealInto: 'ready' }), []);
  assert.deepEqual(await readdir(layout.active), [name], 'alive: untouched');

  child.kill('SIGKILL');
  await once(child, 'exit');
  const recovered = await recoverAbandonedSegments(layout, {
    sealInto: 'ready',
    now: LATER,
  });

  assert.deepEqual(
    recovered.map(({ name: found, bytes, cutBytes }) => ({ found, bytes, cutBytes })),
    [{ found: name, bytes: 4, cutBytes: 1 }],
  );
  assert.equal(await readFile(join(layout.ready, name), 'utf8'), 'a\nb\n');
  assert.deepEqual(await readdir(layout.writers), [], 'its socket file is gone');
});

test('a crash between the cut and the rename is finished by the next run', async (t) => {
  const layout = await setup(t);
  const name = segment(DEAD);
  await writeFile(join(layout.active, name), 'a\nb\nunfinished');
  const child = spawn(process.execPath, [TASK_CHILD, layout.root, 'recover'], {
    env: { ...process.env, HLT_FAILPOINT: 'mid-recovery' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [, signal] = (await once(child, 'exit')) as [number | null, string | null];
  assert.equal(signal, 'SIGKILL');
  assert.equal(
    await readFile(join(layout.active, name), 'utf8'),
    'a\nb\n',
    'cut, not sealed',
  );

  const recovered = await recoverAbandonedSegments(layout, { sealInto: 'ready' });

  assert.deepEqual(
    recovered.map(({ cutBytes, deleted }) => ({ cutBytes, deleted })),
    [{ cutBytes: 0, deleted: false }],
  );
  assert.equal(await readFile(join(layout.ready, name), 'utf8'), 'a\nb\n');
});
