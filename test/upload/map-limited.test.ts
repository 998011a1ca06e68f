import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapLimited } from '../../src/upload/map-limited.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('keeps the order of the items, whatever order the tasks finish in', async () => {
  const delays = [3, 0, 2, 1, 0];
  const results = await mapLimited(delays, 2, async (turns) => {
    for (let i = 0; i < turns; i++) await turn();
    return turns * 10;
  });
  assert.deepEqual(results, [30, 0, 20, 10, 0]);
});

test('never runs more than `limit` tasks at once', async () => {
  let running = 0;
  let most = 0;
  await mapLimited(
    Array.from({ length: 20 }, (_, i) => i),
    3,
    async () => {
      running += 1;
      most = Math.max(most, running);
      await turn();
      running -= 1;
    },
  );
  assert.equal(most, 3);
});

test('rejects with the first failure; an empty list resolves at once', async () => {
  await assert.rejects(
    mapLimited([1, 2, 3], 2, async (n) => {
      await turn();
      if (n === 2) throw new Error('two');
      return n;
    }),
    /two/,
  );
  assert.deepEqual(await mapLimited([], 4, () => Promise.resolve(1)), []);
});
