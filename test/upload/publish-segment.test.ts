import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import {
  PublishConflictError,
  TemporaryFileLostError,
  VerificationError,
  WebHdfsNetworkError,
  WebHdfsRemoteError,
} from '../../src/errors.js';
import { classifyError } from '../../src/hdfs/error-class.js';
import { PublishJournal } from '../../src/upload/publish-journal.js';
import {
  publishSegment,
  type PublishableSegment,
} from '../../src/upload/publish-segment.js';
import { MemoryDestination } from '../helpers/memory-destination.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const NAME = 'app.20261203T151900Z.web1.k3v9x2qa.000001.log';
const FINAL = `/logs/app/${NAME}`;
const CONTENT = 'line 1\nline 2\n';

async function setup(
  t: TestContext,
  verify: 'length' | 'checksum' = 'length',
  overrides: Partial<PublishableSegment> = {},
) {
  const dir = await makeTempDir(t);
  const localPath = join(dir, NAME);
  await writeFile(localPath, CONTENT);
  const segment: PublishableSegment = {
    name: NAME,
    localPath,
    bytes: CONTENT.length,
    placement: { name: 'app', host: 'web1', start: 0 },
    ...overrides,
  };
  const destination = new MemoryDestination();
  let attempts = 0;
  const open = async () => {
    const journal = await PublishJournal.open(dir);
    t.after(() => journal.close());
    const context = {
      destination,
      journal,
      verify,
      signal: new AbortController().signal,
      newAttemptId: () => `a${++attempts}`,
    };
    return { journal, publish: () => publishSegment(segment, context) };
  };
  return { destination, open };
}

/** A network failure after the request was sent: the server may have acted. */
function lostAnswer(): WebHdfsNetworkError {
  const context = {
    op: 'RENAME',
    path: '/x',
    role: 'namenode',
    endpoint: 'nn1:9870',
  } as const;
  return new WebHdfsNetworkError(context, 'ECONNRESET', true, undefined);
}

test('publishes through a hidden temporary name, then renames it', async (t) => {
  const { destination, open } = await setup(t);
  const { publish, journal } = await open();

  const result = await publish();

  assert.equal(result.outcome, 'published');
  assert.deepEqual([...destination.files], [[FINAL, CONTENT]]);
  const temp = `/logs/app/.${NAME}.a1.inprogress`;
  assert.deepEqual(destination.calls.slice(0, 2), [`upload ${temp}`, `rename ${temp}`]);
  assert.equal(journal.entries.get(NAME)?.state, 'done');
  // The RENAME moved the temporary file: there is nothing left to delete.
  assert.deepEqual(journal.entries.get(NAME)?.temps, []);
  assert.equal(destination.calls.filter((call) => call.startsWith('delete')).length, 0);
});

test('a RENAME whose answer is lost but which happened counts as published', async (t) => {
  const { destination, open } = await setup(t);
  const { publish } = await open();
  destination.after = (op) => {
    if (op === 'rename') throw lostAnswer();
  };

  const result = await publish();

  assert.equal(result.outcome, 'published');
  assert.deepEqual([...destination.files.keys()], [FINAL]);
});

test('a RENAME that did not happen is retried later, never re-uploaded', async (t) => {
  const { destination, open } = await setup(t);
  const { publish } = await open();
  destination.before = (op) => {
    if (op === 'rename') throw lostAnswer();
  };

  await assert.rejects(publish(), WebHdfsNetworkError);
  destination.before = undefined;
  const result = await publish();

  assert.equal(result.outcome, 'published');
  assert.equal(destination.calls.filter((call) => call.startsWith('upload')).length, 1);
  assert.deepEqual([...destination.files.keys()], [FINAL]);
});

test('finds a segment an earlier attempt published and does not publish it again', async (t) => {
  const { destination, open } = await setup(t);
  destination.files.set(FINAL, CONTENT); // the earlier attempt's RENAME went through
  const { publish } = await open();

  const result = await publish();

  assert.equal(result.outcome, 'already-published');
  assert.deepEqual([...destination.files], [[FINAL, CONTENT]], 'temporary file removed');
});

test('refuses to publish over another file at the final name, keeping it', async (t) => {
  const { destination, open } = await setup(t);
  destination.files.set(FINAL, 'someone else\n');
  const { publish } = await open();

  await assert.rejects(publish(), PublishConflictError);
  assert.equal(destination.files.get(FINAL), 'someone else\n');
});

test('resumes after a crash between journaling the RENAME and sending it', async (t) => {
  const { destination, open } = await setup(t);
  const first = await open();
  destination.before = (op) => {
    if (op === 'rename') throw new Error('the process died here');
  };
  await assert.rejects(first.publish());
  destination.before = undefined;
  await first.journal.close();

  const second = await open();
  assert.equal(second.journal.entries.get(NAME)?.state, 'rename-sent');
  const result = await second.publish();

  assert.equal(result.outcome, 'published');
  assert.equal(destination.calls.filter((call) => call.startsWith('upload')).length, 1);
});

test('a file taken away right after the RENAME is ambiguous: counted, not resent', async (t) => {
  const { destination, open } = await setup(t);
  const { publish } = await open();
  destination.after = (op) => {
    if (op !== 'rename') return;
    destination.files.delete(FINAL); // Hive's LOAD DATA INPATH moved it
    throw lostAnswer();
  };

  const result = await publish();

  assert.equal(result.outcome, 'ambiguous');
  assert.deepEqual([...destination.files.keys()], []);
});

test('after a restart, a RENAME sent and both names gone is ambiguous, not resent', async (t) => {
  const { destination, open } = await setup(t);
  const first = await open();
  destination.after = (op) => {
    if (op !== 'rename') return;
    destination.files.delete(FINAL);
    // The process dies before it can look: here, the looks fail instead.
    destination.before = (next) => {
      if (next === 'stat') throw new Error('the process died here');
    };
    throw lostAnswer();
  };
  await assert.rejects(first.publish(), /died/);
  destination.before = undefined;
  destination.after = undefined;
  await first.journal.close();

  const second = await open();
  const result = await second.publish();

  assert.equal(result.outcome, 'ambiguous');
  assert.equal(destination.calls.filter((call) => call.startsWith('upload')).length, 1);
});

/** The NameNode's answer to a RENAME whose source does not exist. */
function sourceMissing(path: string): WebHdfsRemoteError {
  const context = { op: 'RENAME', path, role: 'namenode', endpoint: 'nn1:9870' } as const;
  return new WebHdfsRemoteError(context, 404, {
    exception: 'FileNotFoundException',
    javaClassName: 'java.io.FileNotFoundException',
    message: `rename source ${path} is not found.`,
  });
}

test('a temporary file removed before the RENAME is uploaded again, not counted', async (t) => {
  const { destination, open } = await setup(t);
  const { publish, journal } = await open();
  const temp = `/logs/app/.${NAME}.a1.inprogress`;
  destination.before = (op, path) => {
    if (op !== 'rename') return;
    destination.files.delete(path); // a retention job cleared the directory
    throw sourceMissing(path);
  };

  await assert.rejects(publish(), (error) => {
    assert.ok(error instanceof TemporaryFileLostError);
    assert.equal(error.code, 'ERR_TEMPORARY_FILE_LOST');
    assert.equal(classifyError(error), 'retry');
    assert.ok(error.message.includes(temp), error.message);
    return true;
  });
  assert.equal(journal.entries.get(NAME)?.state, 'begun');
  assert.deepEqual([...destination.files.keys()], []);

  destination.before = undefined;
  const result = await publish();

  assert.equal(result.outcome, 'published');
  assert.deepEqual([...destination.files], [[FINAL, CONTENT]]);
  assert.equal(destination.calls.filter((call) => call.startsWith('upload')).length, 2);
});

test('a replacement whose temporary file was removed is uploaded again', async (t) => {
  const { destination, open } = await setup(t, 'length', { replace: true, path: FINAL });
  destination.files.set(FINAL, 'line 1\n'); // the earlier, shorter copy
  const { publish } = await open();
  destination.before = (op, path) => {
    if (op !== 'rename') return;
    destination.files.delete(path);
    throw sourceMissing(path);
  };

  await assert.rejects(publish(), TemporaryFileLostError);
  assert.equal(destination.files.get(FINAL), 'line 1\n', 'the earlier copy stays');

  destination.before = undefined;
  const result = await publish();
  assert.equal(result.outcome, 'published');
  assert.equal(destination.files.get(FINAL), CONTENT);
});

test('a new attempt first deletes the temporary file an abandoned attempt left', async (t) => {
  const { destination, open } = await setup(t);
  const { publish, journal } = await open();
  destination.after = (op) => {
    if (op === 'upload')
      throw new Error('the DataNode reset the connection after the data');
  };
  await assert.rejects(publish());
  assert.equal(destination.files.size, 1, 'a partial temporary file is left');
  destination.after = undefined;

  await publish();

  assert.deepEqual([...destination.files.keys()], [FINAL]);
  assert.equal(journal.entries.get(NAME)?.temps.length, 0);
});

test('a CREATE the NameNode refused leaves nothing to clean in the journal', async (t) => {
  const { destination, open } = await setup(t);
  const { publish, journal } = await open();
  const context = {
    op: 'CREATE',
    path: '/x',
    role: 'namenode',
    endpoint: 'nn1:9870',
  } as const;
  destination.before = (op) => {
    if (op === 'upload')
      throw new WebHdfsNetworkError(context, 'ECONNREFUSED', false, undefined);
  };

  for (let attempt = 0; attempt < 5; attempt++) await assert.rejects(publish());

  assert.deepEqual(journal.entries.get(NAME)?.temps, []);
  assert.equal(destination.calls.filter((call) => call.startsWith('delete')).length, 0);
});

test('verify: checksum compares the published content, after the RENAME', async (t) => {
  const { destination, open } = await setup(t, 'checksum');
  const { publish } = await open();

  const result = await publish();

  assert.equal(result.verification, 'checksum');
  assert.equal(destination.calls.filter((call) => call === `verify ${FINAL}`).length, 1);
});

test('a published file whose content differs is kept, reported, never sent again', async (t) => {
  const { destination, open } = await setup(t, 'checksum');
  const { publish, journal } = await open();
  destination.after = (op) => {
    // Same length, other bytes: only a content check can tell.
    if (op === 'rename') destination.files.set(FINAL, CONTENT.toUpperCase());
  };

  await assert.rejects(publish(), VerificationError);
  destination.after = undefined;
  await assert.rejects(publish(), VerificationError);

  assert.equal(journal.entries.get(NAME)?.state, 'rename-sent', 'not recorded published');
  assert.equal(destination.calls.filter((call) => call.startsWith('upload')).length, 1);
  assert.equal(destination.files.get(FINAL), CONTENT.toUpperCase(), 'left for a person');
});

test('verify: length does not read the content back', async (t) => {
  const { destination, open } = await setup(t, 'length');
  const { publish } = await open();

  const result = await publish();

  assert.equal(result.verification, 'length');
  assert.deepEqual(
    destination.calls.filter((call) => call.startsWith('verify')),
    [],
  );
});

test('a segment the journal records as published is not uploaded again', async (t) => {
  const { destination, open } = await setup(t);
  const first = await open();
  await first.publish();
  await first.journal.close();
  // The process died after the journal said done, before the local delete.
  const second = await open();
  assert.equal(second.journal.entries.get(NAME)?.state, 'done');
  destination.calls.length = 0;

  const result = await second.publish();

  assert.equal(result.outcome, 'already-published');
  assert.deepEqual(destination.calls, [], 'not a single request');
});
