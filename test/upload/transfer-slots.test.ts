import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransferSlots } from '../../src/upload/transfer-slots.js';

/** A task that runs until `finish` is called. */
function heldTask() {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  let started = false;
  const task = () => {
    started = true;
    return done;
  };
  return { task, finish, fail, started: () => started };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('runs at most `size` tasks at once, the waiting ones in order', async () => {
  const slots = new TransferSlots(2);
  const [a, b, c, d] = [heldTask(), heldTask(), heldTask(), heldTask()];
  const runs = [a, b, c, d].map((held) => slots.run(held.task));
  await turn();
  assert.deepEqual(
    [a, b, c, d].map((held) => held.started()),
    [true, true, false, false],
  );
  assert.equal(slots.busy, 2);

  b.finish('b');
  await turn();
  assert.deepEqual([c.started(), d.started()], [true, false]);
  assert.equal(slots.busy, 2);

  a.finish('a');
  c.finish('c');
  await turn();
  assert.equal(d.started(), true);
  d.finish('d');
  assert.deepEqual(await Promise.all(runs), ['a', 'b', 'c', 'd']);
  assert.equal(slots.busy, 0);
});

test('a task that fails frees its slot and rejects its caller', async () => {
  const slots = new TransferSlots(1);
  const [a, b] = [heldTask(), heldTask()];
  const first = slots.run(a.task);
  const second = slots.run(b.task);
  a.fail(new Error('reset'));
  await assert.rejects(first, /reset/);
  await turn();
  assert.equal(b.started(), true);
  b.finish('b');
  assert.equal(await second, 'b');
  assert.equal(slots.busy, 0);
});

test('refuses a size that is not a positive integer', () => {
  for (const size of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => new TransferSlots(size), /positive integer/);
  }
});
