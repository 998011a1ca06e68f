import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidOptionError } from '../../src/errors.js';
import {
  planDrops,
  validateBudget,
  type SpoolFile,
  type SpoolFileState,
} from '../../src/upload/disk-budget.js';

const MIN = 60_000;
const NOTHING_BUSY = new Set<string>();

function file(
  state: SpoolFileState,
  name: string,
  bytes: number,
  minute: number,
): SpoolFile {
  return { path: `/spool/${state}/${name}`, state, bytes, start: minute * MIN };
}

/** No minimum free space, plenty free: only maxSpoolBytes matters. */
function maxOnly(maxSpoolBytes: number) {
  return { maxSpoolBytes, minFreeBytes: 0, freeBytes: 1e12 };
}

const names = (files: readonly SpoolFile[]): string[] =>
  files.map((dropped) => dropped.path.replace('/spool/', ''));

test('drops nothing while the spool is under both bounds', () => {
  const files = [file('ready', 'a', 100, 1), file('active', 'b', 100, 2)];
  const plan = planDrops(
    files,
    { maxSpoolBytes: 200, minFreeBytes: 50, freeBytes: 50 },
    NOTHING_BUSY,
  );
  assert.deepEqual(plan.drops, []);
  assert.equal(plan.satisfied, true);
  assert.equal(plan.usedBytes, 200);
  assert.equal(plan.usedBytesAfter, 200);
  assert.equal(plan.freeBytesAfter, 50);
});

test('counts every file toward the usage: active, tmp, journal and others too', () => {
  const files = (
    ['active', 'sealed', 'ready', 'retained', 'tmp', 'journal', 'other'] as const
  ).map((state, i) => file(state, 'x', 10 + i, i));
  assert.equal(planDrops(files, maxOnly(1e9), NOTHING_BUSY).usedBytes, 10 * 7 + 21);
});

test('drops retained copies first, oldest first, even before older segments', () => {
  const files = [
    file('ready', 'oldest-ready', 100, 1),
    file('retained', 'new-copy', 100, 9),
    file('retained', 'old-copy', 100, 5),
  ];
  const plan = planDrops(files, maxOnly(150), NOTHING_BUSY);
  assert.deepEqual(names(plan.drops), ['retained/old-copy', 'retained/new-copy']);
  assert.equal(plan.satisfied, true);
  assert.equal(plan.usedBytesAfter, 100);
});

test('then drops sealed and ready segments by start, oldest first, so the newest survive', () => {
  const files = [
    file('ready', 'r3', 100, 3),
    file('sealed', 's1', 100, 1),
    file('ready', 'r2', 100, 2),
    file('sealed', 's4', 100, 4),
    file('retained', 'c0', 100, 7),
  ];
  const plan = planDrops(files, maxOnly(200), NOTHING_BUSY);
  assert.deepEqual(names(plan.drops), ['retained/c0', 'sealed/s1', 'ready/r2']);
  assert.equal(plan.usedBytesAfter, 200);
});

test('stops at the first file that brings the spool within bounds', () => {
  const files = [file('ready', 'big', 1000, 1), file('ready', 'next', 10, 2)];
  const plan = planDrops(files, maxOnly(100), NOTHING_BUSY);
  assert.deepEqual(names(plan.drops), ['ready/big']);
});

test('never drops an active segment, the journal, a temporary or an unknown file', () => {
  const files = [
    file('active', 'a', 100, 0),
    file('journal', 'j', 100, 0),
    file('tmp', 't', 100, 0),
    file('other', 'o', 100, 0),
    file('ready', 'r', 100, 5),
  ];
  const plan = planDrops(files, maxOnly(0), NOTHING_BUSY);
  assert.deepEqual(names(plan.drops), ['ready/r']);
  assert.equal(plan.satisfied, false);
  assert.equal(plan.usedBytesAfter, 400);
});

test('never drops a segment being uploaded', () => {
  const busyFile = file('ready', 'uploading', 100, 1);
  const files = [
    busyFile,
    file('ready', 'waiting', 100, 2),
    file('retained', 'copy', 100, 3),
  ];
  const plan = planDrops(files, maxOnly(100), new Set([busyFile.path]));
  assert.deepEqual(names(plan.drops), ['retained/copy', 'ready/waiting']);
  assert.equal(plan.satisfied, true);
});

test('drops until the file system has minFreeBytes free again', () => {
  const files = [
    file('ready', 'r1', 300, 1),
    file('ready', 'r2', 300, 2),
    file('ready', 'r3', 300, 3),
  ];
  const limits = { maxSpoolBytes: 1e9, minFreeBytes: 1000, freeBytes: 500 };
  const plan = planDrops(files, limits, NOTHING_BUSY);
  assert.deepEqual(names(plan.drops), ['ready/r1', 'ready/r2']);
  assert.equal(plan.freeBytesAfter, 1100);
  assert.equal(plan.satisfied, true);
});

test('meets both bounds: the stricter one decides how much goes', () => {
  const files = [1, 2, 3, 4].map((minute) => file('sealed', `s${minute}`, 100, minute));
  const limits = { maxSpoolBytes: 300, minFreeBytes: 250, freeBytes: 100 };
  const plan = planDrops(files, limits, NOTHING_BUSY);
  // maxSpoolBytes alone needs one drop; the free space needs two.
  assert.deepEqual(names(plan.drops), ['sealed/s1', 'sealed/s2']);
  assert.equal(plan.satisfied, true);
});

test('drops everything droppable and says so when the bounds cannot be met', () => {
  const files = [
    file('active', 'a', 500, 9),
    file('retained', 'c', 100, 1),
    file('ready', 'r', 100, 2),
  ];
  const plan = planDrops(
    files,
    { maxSpoolBytes: 400, minFreeBytes: 0, freeBytes: 0 },
    NOTHING_BUSY,
  );
  assert.deepEqual(names(plan.drops), ['retained/c', 'ready/r']);
  assert.equal(plan.satisfied, false);
  assert.equal(plan.usedBytesAfter, 500);
});

test('gives one plan for one spool: equal starts are ordered by path', () => {
  const files = [
    file('ready', 'b', 100, 1),
    file('sealed', 'a', 100, 1),
    file('ready', 'a', 100, 1),
  ];
  const forward = planDrops(files, maxOnly(100), NOTHING_BUSY);
  const backward = planDrops([...files].reverse(), maxOnly(100), NOTHING_BUSY);
  assert.deepEqual(names(forward.drops), ['ready/a', 'ready/b']);
  assert.deepEqual(forward.drops, backward.drops);
});

test('leaves the list it was given as it was', () => {
  const files = [file('ready', 'r2', 100, 2), file('ready', 'r1', 100, 1)];
  const copy = structuredClone(files);
  planDrops(files, maxOnly(0), NOTHING_BUSY);
  assert.deepEqual(files, copy);
});

test('validateBudget accepts a budget of two full segments or more', () => {
  validateBudget({ maxSpoolBytes: 128 * 1024 * 1024, rotateSize: 64 * 1024 * 1024 });
  validateBudget({ maxSpoolBytes: 1024 ** 3, rotateSize: 64 * 1024 * 1024 });
});

test('validateBudget refuses less than two full segments, naming maxSpoolBytes', () => {
  const tooSmall = 128 * 1024 * 1024 - 1;
  assert.throws(
    () => validateBudget({ maxSpoolBytes: tooSmall, rotateSize: 64 * 1024 * 1024 }),
    (error: unknown) =>
      error instanceof InvalidOptionError &&
      error.option === 'maxSpoolBytes' &&
      error.received === tooSmall &&
      /128\.0 MiB/.test(error.message),
  );
});

test('validateBudget refuses a budget that is not a number', () => {
  assert.throws(
    () => validateBudget({ maxSpoolBytes: Number.NaN, rotateSize: 1024 }),
    InvalidOptionError,
  );
});
