import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import type { UploadError } from '../../src/errors.js';
import { ensureSpool, spoolLayout } from '../../src/segment/spool-layout.js';
import { WriterAnnouncement } from '../../src/segment/writer-liveness.js';
import { createShipper } from '../../src/shipper.js';
import { checkWriterBudget } from '../../src/upload/writer-budget.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MIB = 1024 * 1024;

async function spoolWith(t: Parameters<typeof makeTempDir>[0], ids: string[]) {
  const layout = spoolLayout(await makeTempDir(t, 'spool-'));
  await ensureSpool(layout);
  for (const id of ids) await writeFile(join(layout.writers, `${id}.sock`), '');
  return layout;
}

test('counts the live writers of the spool, and the one checking', async (t) => {
  const layout = await spoolWith(t, ['aaaaaaaa', 'bbbbbbbb', 'cccccccc']);
  const alive = new Set(['aaaaaaaa', 'bbbbbbbb']);
  const check = (maxSpoolBytes: number) =>
    checkWriterBudget({
      layout,
      writerId: 'selfself',
      maxSpoolBytes,
      rotateSize: 10 * MIB,
      isAlive: (id) => Promise.resolve(alive.has(id)),
    });

  // Three live writers (two others and itself) and one sealed segment: 40 MiB.
  assert.equal(await check(40 * MIB), undefined);
  const problem = await check(40 * MIB - 1);
  assert.ok(problem !== undefined);
  assert.equal(problem.code, 'ERR_SPOOL_BUDGET');
  assert.match(problem.message, /the 3 writers sharing this spool/);
  assert.match(problem.message, /4 × rotate\.size = 40\.0 MiB/);
});

test('asks each announced writer: a dead one (its socket file left) does not count', async (t) => {
  const layout = await spoolWith(t, ['d3adw71t']);
  const others = ['k3v9x2qa', 'p7m2c8rt'].map((id) =>
    WriterAnnouncement.announce(layout.writers, id),
  );
  t.after(() => others.forEach((writer) => writer.withdraw()));
  const check = (maxSpoolBytes: number) =>
    checkWriterBudget({ layout, writerId: 'selfself', maxSpoolBytes, rotateSize: MIB });

  // Three live writers and a sealed segment: 4 MiB; with the dead one, 5 MiB.
  assert.equal(await check(4 * MIB), undefined);
  assert.match((await check(4 * MIB - 1))?.message ?? '', /the 3 writers/);
});

test('a shipper joining a spool too small for all its writers reports it', async (t) => {
  const dir = await makeTempDir(t);
  const spoolDir = join(dir, 'spool');
  const layout = spoolLayout(spoolDir);
  await ensureSpool(layout);
  const other = WriterAnnouncement.announce(layout.writers, 'k3v9x2qa');
  t.after(() => other.withdraw());

  // Enough for the shipper alone (2 × rotate.size), not with the other writer.
  const shipper = createShipper({
    destination: pathToFileURL(join(dir, 'published')).href,
    spoolDir,
    rotate: { size: '1MiB' },
    maxSpoolBytes: '2MiB',
  });
  const [error] = (await once(shipper, 'error')) as [UploadError];
  await shipper.close();

  assert.equal(error.code, 'ERR_SPOOL_BUDGET');
  assert.equal(error.errorClass, 'permanent');
  assert.match(
    error.message,
    /maxSpoolBytes 2\.0 MiB .* the 2 writers sharing this spool/,
  );
  assert.match(error.message, /3 × rotate\.size = 3\.0 MiB/);
});
