import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { PublishJournal } from '../../src/upload/publish-journal.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FILE = 'publish.journal';

test('remembers each step across a reopen, and forgets a finished segment', async (t) => {
  const dir = await makeTempDir(t);
  const journal = await PublishJournal.open(dir);
  await journal.begin('a.log', 'x1', '/d/.a.log.x1.inprogress', '/d/a.log', 10);
  await journal.begin('a.log', 'x2', '/d/.a.log.x2.inprogress', '/d/a.log', 10);
  await journal.renameSent('a.log');
  await journal.begin('b.log', 'y1', '/d/.b.log.y1.inprogress', '/d/b.log', 5);
  await journal.done('b.log');
  await journal.forget('b.log');
  await journal.close();

  const reopened = await PublishJournal.open(dir);
  t.after(() => reopened.close());

  assert.deepEqual([...reopened.entries.keys()], ['a.log']);
  assert.deepEqual(reopened.entries.get('a.log'), {
    segment: 'a.log',
    attempt: 'x2',
    temp: '/d/.a.log.x2.inprogress',
    final: '/d/a.log',
    bytes: 10,
    temps: ['/d/.a.log.x1.inprogress', '/d/.a.log.x2.inprogress'],
    state: 'rename-sent',
  });
});

test('ignores a torn last line: the step it announced never started', async (t) => {
  const dir = await makeTempDir(t);
  const journal = await PublishJournal.open(dir);
  await journal.begin('a.log', 'x1', '/d/.a.log.x1.inprogress', '/d/a.log', 10);
  await journal.close();
  await appendFile(join(dir, FILE), '{"op":"rename","segment":"a.l');

  const reopened = await PublishJournal.open(dir);
  t.after(() => reopened.close());

  assert.equal(reopened.entries.get('a.log')?.state, 'begun');
});

test('discarded temporary files leave the entry, also through compaction', async (t) => {
  const dir = await makeTempDir(t);
  const journal = await PublishJournal.open(dir, { compactAfter: 4 });
  await journal.begin('a.log', 'x1', '/d/.a.log.x1.inprogress', '/d/a.log', 10);
  await journal.discard('a.log', '/d/.a.log.x1.inprogress');
  await journal.begin('a.log', 'x2', '/d/.a.log.x2.inprogress', '/d/a.log', 10);
  await journal.discard('a.log', '/d/.a.log.x2.inprogress'); // the 4th: compacts
  await journal.begin('a.log', 'x3', '/d/.a.log.x3.inprogress', '/d/a.log', 10);
  await journal.close();

  const lines = (await readFile(join(dir, FILE), 'utf8')).split('\n').filter(Boolean);
  const reopened = await PublishJournal.open(dir);
  t.after(() => reopened.close());

  assert.ok(lines.length <= 4, `${lines.length} records after compaction`);
  assert.deepEqual(reopened.entries.get('a.log')?.temps, ['/d/.a.log.x3.inprogress']);
  assert.equal(reopened.entries.get('a.log')?.attempt, 'x3');
});

test('a RENAME refused for a lost temporary file goes back to begun', async (t) => {
  const dir = await makeTempDir(t);
  const journal = await PublishJournal.open(dir);
  await journal.begin('a.log', 'x1', '/d/.a.log.x1.inprogress', '/d/a.log', 10);
  await journal.renameSent('a.log');
  // A stale record of another attempt changes nothing.
  await journal.lost('a.log', 'x0', '/d/.a.log.x0.inprogress');
  assert.equal(journal.entries.get('a.log')?.state, 'rename-sent');
  await journal.lost('a.log', 'x1', '/d/.a.log.x1.inprogress');
  await journal.close();

  const reopened = await PublishJournal.open(dir);
  t.after(() => reopened.close());

  assert.equal(reopened.entries.get('a.log')?.state, 'begun');
  assert.deepEqual(reopened.entries.get('a.log')?.temps, []);
  // Opening compacted the journal: the entry reads the same from the rewritten file.
  await reopened.close();
  const again = await PublishJournal.open(dir);
  t.after(() => again.close());
  assert.equal(again.entries.get('a.log')?.state, 'begun');
  assert.deepEqual(again.entries.get('a.log')?.temps, []);
});

test('done names the temporary file its RENAME moved; forgetPublished drops it', async (t) => {
  const dir = await makeTempDir(t);
  const journal = await PublishJournal.open(dir);
  await journal.begin('a.log', 'x1', '/d/.a.log.x1.inprogress', '/d/a.log', 10);
  await journal.begin('a.log', 'x2', '/d/.a.log.x2.inprogress', '/d/a.log', 10);
  await journal.renameSent('a.log');
  await journal.done('a.log', '/d/.a.log.x2.inprogress');
  await journal.begin('b.log', 'y1', '/d/.b.log.y1.inprogress', '/d/b.log', 5);
  await journal.renameSent('b.log');
  await journal.done('b.log', '/d/.b.log.y1.inprogress');
  await journal.forgetPublished('b.log');
  await journal.close();

  const reopened = await PublishJournal.open(dir);
  t.after(() => reopened.close());

  assert.deepEqual([...reopened.entries.keys()], ['a.log']);
  const entry = reopened.entries.get('a.log');
  assert.equal(entry?.state, 'done');
  // Only the earlier attempt's file may still exist.
  assert.deepEqual(entry.temps, ['/d/.a.log.x1.inprogress']);
});

test('appends made side by side all land in order, and close waits for them', async (t) => {
  const dir = await makeTempDir(t);
  const journal = await PublishJournal.open(dir);
  const names = Array.from({ length: 50 }, (_, index) => `s${index}.log`);
  const begun = names.map((name) =>
    journal.begin(name, 'a', `/d/.${name}.a.inprogress`, `/d/${name}`, 1),
  );
  const closed = Promise.all(begun).then(() =>
    Promise.all(names.slice(0, 10).map((name) => journal.done(name))),
  );
  await closed;
  const lastOnes = names.slice(10, 20).map((name) => journal.discard(name, 'x'));
  await journal.close();
  await Promise.all(lastOnes);

  const lines = (await readFile(join(dir, FILE), 'utf8')).trim().split('\n');
  assert.equal(lines.length, 70);
  const reopened = await PublishJournal.open(dir);
  t.after(() => reopened.close());
  assert.deepEqual([...reopened.entries.keys()], names);
  assert.equal(reopened.entries.get('s0.log')?.state, 'done');
  assert.equal(reopened.entries.get('s49.log')?.state, 'begun');
});
