/**
 * The publish protocol's variant for a grown file: RENAME with OVERWRITE
 * onto the earlier copy, resolved by looking when the answer is lost, and
 * remembered by the journal across a restart.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { PublishConflictError, WebHdfsNetworkError } from '../../src/errors.js';
import { PublishJournal } from '../../src/upload/publish-journal.js';
import { publishSegment } from '../../src/upload/publish-segment.js';
import { judgeRename } from '../../src/upload/rename-verdict.js';
import { MemoryDestination } from '../helpers/memory-destination.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FINAL = '/logs/app/nginx/access.log';
const OLD = 'line 1\n';
const NEW = 'line 1\nline 2\n';

const file = (length: number) =>
  ({ name: 'x', type: 'file', length, modificationTime: 0 }) as const;

test('judges a replacing RENAME by its temporary file', () => {
  const entry = { bytes: 14, replace: true };
  assert.deepEqual(judgeRename(entry, file(7), file(14)), { kind: 'not-renamed' });
  assert.deepEqual(judgeRename(entry, file(14), undefined), {
    kind: 'published',
    outcome: 'published',
  });
  assert.deepEqual(judgeRename(entry, undefined, undefined), { kind: 'taken-away' });
  assert.equal(judgeRename(entry, file(7), undefined).kind, 'conflict');
});

test('judges a plain RENAME by its final name, as before', () => {
  const entry = { bytes: 14, replace: false };
  assert.equal(judgeRename(entry, file(7), file(14)).kind, 'conflict');
  assert.deepEqual(judgeRename(entry, file(14), file(14)), {
    kind: 'published',
    outcome: 'already-published',
  });
  assert.deepEqual(judgeRename(entry, undefined, file(14)), { kind: 'not-renamed' });
});

async function setup(t: TestContext) {
  const dir = await makeTempDir(t);
  const localPath = join(dir, 'snapshot');
  await writeFile(localPath, NEW);
  const destination = new MemoryDestination();
  destination.files.set(FINAL, OLD);
  const open = async () => {
    const journal = await PublishJournal.open(dir);
    t.after(() => journal.close());
    const context = {
      destination,
      journal,
      verify: 'length' as const,
      signal: new AbortController().signal,
      newAttemptId: () => 'a1',
    };
    const segment = {
      name: '1-2-abcd',
      localPath,
      bytes: NEW.length,
      placement: { name: 'app', host: 'web1', start: 0 },
      path: FINAL,
      replace: true,
    };
    return { journal, publish: () => publishSegment(segment, context) };
  };
  return { destination, open };
}

test('a grown file replaces its earlier copy through a hidden name', async (t) => {
  const { destination, open } = await setup(t);
  const { publish } = await open();

  const result = await publish();

  assert.equal(result.outcome, 'published');
  assert.equal(result.path, FINAL);
  assert.deepEqual([...destination.files], [[FINAL, NEW]]);
  assert.deepEqual(destination.calls.slice(0, 2), [
    'upload /logs/app/nginx/.access.log.a1.inprogress',
    'rename /logs/app/nginx/.access.log.a1.inprogress',
  ]);
});

test('a replacing RENAME whose answer is lost but which happened is published', async (t) => {
  const { destination, open } = await setup(t);
  const { publish } = await open();
  destination.after = (op) => {
    if (op !== 'rename') return;
    const context = {
      op: 'RENAME',
      path: FINAL,
      role: 'namenode',
      endpoint: 'nn1',
    } as const;
    throw new WebHdfsNetworkError(context, 'ECONNRESET', true, undefined);
  };

  const result = await publish();

  assert.equal(result.outcome, 'published');
  assert.deepEqual([...destination.files], [[FINAL, NEW]]);
});

test('a replacement interrupted after the RENAME was sent resumes after a restart', async (t) => {
  const { destination, open } = await setup(t);
  const first = await open();
  destination.before = (op) => {
    if (op === 'rename') throw new Error('the process died here');
  };
  await assert.rejects(first.publish(), /died/);
  await first.journal.close();

  destination.before = undefined;
  const again = await open();
  assert.equal(again.journal.entries.get('1-2-abcd')?.replace, true, 'journaled');
  assert.equal(again.journal.entries.get('1-2-abcd')?.state, 'rename-sent');
  const result = await again.publish();

  assert.equal(result.outcome, 'published');
  assert.deepEqual([...destination.files], [[FINAL, NEW]]);
});

test('a replacement that vanished while the earlier copy stayed is a conflict', async (t) => {
  const { destination, open } = await setup(t);
  const { publish } = await open();
  destination.before = (op, path) => {
    if (op !== 'rename') return;
    destination.files.delete(path);
    throw new Error('lost');
  };

  await assert.rejects(publish(), PublishConflictError);
  assert.deepEqual([...destination.files], [[FINAL, OLD]], 'the earlier copy is kept');
});
