import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { OpenSegment, type UnwrittenData } from '../../src/segment/open-segment.js';
import { nodeSegmentIo, type SegmentIo } from '../../src/segment/segment-io.js';
import { ensureSpool, spoolLayout } from '../../src/segment/spool-layout.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const NAME = 'app.20261203T151900Z.web1.k3v9x2qa.000000.log';

/** A disk whose first asynchronous write fails with ENOSPC. */
function fullOnFirstWrite(): SegmentIo {
  let failures = 1;
  return {
    ...nodeSegmentIo,
    write: (fd, buffer, offset, length, position, callback) => {
      if (failures-- > 0) {
        const error: NodeJS.ErrnoException = new Error('no space left on device');
        error.code = 'ENOSPC';
        setImmediate(() => callback(error, 0));
        return;
      }
      nodeSegmentIo.write(fd, buffer, offset, length, position, callback);
    },
  };
}

async function openFailing(t: TestContext) {
  const layout = spoolLayout(await makeTempDir(t));
  await ensureSpool(layout);
  const unwritten: UnwrittenData[] = [];
  const segment = new OpenSegment(fullOnFirstWrite(), layout.active, NAME, 0, (data) =>
    unwritten.push(data),
  );
  segment.append('line 1\n', 7);
  segment.writeQueued();
  await segment.drain();
  return { layout, segment, unwritten };
}

test('a segment whose only write failed is deleted when sealed, not sealed empty', async (t) => {
  const { layout, segment, unwritten } = await openFailing(t);

  const sealed = await segment.seal(layout.ready);

  assert.equal(sealed, undefined);
  assert.deepEqual(
    unwritten.map((data) => data.chunks),
    [['line 1\n']],
  );
  assert.deepEqual(await readdir(layout.ready), []);
  assert.deepEqual(await readdir(layout.active), []);
});

test('at exit too, a segment whose only write failed is deleted, not sealed empty', async (t) => {
  const { layout, segment } = await openFailing(t);

  const sealed = segment.sealSync(layout.ready);

  assert.equal(sealed, undefined);
  assert.deepEqual(await readdir(layout.ready), []);
  assert.deepEqual(await readdir(layout.active), []);
});

test('a segment written in part before its disk failed is sealed with what it holds', async (t) => {
  const layout = spoolLayout(await makeTempDir(t));
  await ensureSpool(layout);
  let writes = 0;
  const io: SegmentIo = {
    ...nodeSegmentIo,
    write: (fd, buffer, offset, length, position, callback) => {
      if (writes++ === 1) {
        const error: NodeJS.ErrnoException = new Error('input/output error');
        error.code = 'EIO';
        setImmediate(() => callback(error, 0));
        return;
      }
      nodeSegmentIo.write(fd, buffer, offset, length, position, callback);
    },
  };
  const segment = new OpenSegment(io, layout.active, NAME, 0, () => undefined);
  segment.append('line 1\n', 7);
  await segment.drain();
  segment.append('line 2\n', 7);
  await segment.drain();

  const sealed = segment.sealSync(layout.ready);

  assert.equal(sealed?.bytes, 7);
  assert.equal(await readFile(join(layout.ready, NAME), 'utf8'), 'line 1\n');
});
