import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publishQueue } from '../../src/upload/publish-queue.js';
import type { PublishableSegment } from '../../src/upload/publish-segment.js';

function segment(name: string): PublishableSegment {
  return {
    name,
    localPath: `/spool/ready/${name}`,
    bytes: 1,
    placement: { name: 'app', host: 'h', start: 0 },
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A publish whose body and closing steps each wait for the test to release
 * them, recording what runs at the same time.
 */
function steppedPublish() {
  const log: string[] = [];
  const gates = new Map<string, () => void>();
  const wait = (key: string) =>
    new Promise<void>((resolve) => {
      gates.set(key, resolve);
    });
  let sending = 0;
  let mostSending = 0;
  const publish = async (
    item: PublishableSegment,
    transfers: { run: <T>(task: () => Promise<T>) => Promise<T> },
  ) => {
    await transfers.run(async () => {
      sending += 1;
      mostSending = Math.max(mostSending, sending);
      log.push(`send ${item.name}`);
      await wait(`send ${item.name}`);
      sending -= 1;
    });
    log.push(`finish ${item.name}`);
    await wait(`finish ${item.name}`);
    return {
      outcome: 'published' as const,
      path: `/d/${item.name}`,
      verification: 'length' as const,
      leftovers: [],
    };
  };
  const release = async (key: string) => {
    await turn();
    const gate = gates.get(key);
    assert.ok(gate, `${key} is waiting`);
    gates.delete(key);
    gate();
    await turn();
  };
  return { log, publish, release, mostSending: () => mostSending };
}

function options(
  publish: ReturnType<typeof steppedPublish>['publish'],
  finishing: number,
) {
  return {
    concurrency: 1,
    finishing,
    retries: 1,
    backoff: { base: 1, max: 1 },
    signal: new AbortController().signal,
    publish,
    finishLocal: async () => {},
    emit: () => {},
    reported: new Map<string, Set<string>>(),
  };
}

test('the next body is sent while a segment runs its closing steps', async () => {
  const stepped = steppedPublish();
  const run = publishQueue(['a', 'b', 'c'].map(segment), options(stepped.publish, 1));

  await stepped.release('send a');
  // a is finishing (RENAME, check): b's body goes now, not after a is done.
  assert.deepEqual([...stepped.log].sort(), ['finish a', 'send a', 'send b']);
  await stepped.release('send b');
  await stepped.release('finish a');
  await stepped.release('send c');
  await stepped.release('finish b');
  await stepped.release('finish c');

  const outcome = await run;
  assert.equal(outcome.published, 3);
  assert.equal(stepped.mostSending(), 1, 'never two bodies at once with concurrency 1');
});

test('without finishing slots, a segment is done before the next starts', async () => {
  const stepped = steppedPublish();
  const run = publishQueue(['a', 'b'].map(segment), options(stepped.publish, 0));

  await stepped.release('send a');
  assert.deepEqual(stepped.log, ['send a', 'finish a']);
  await stepped.release('finish a');
  await stepped.release('send b');
  await stepped.release('finish b');

  assert.equal((await run).published, 2);
  assert.deepEqual(stepped.log, ['send a', 'finish a', 'send b', 'finish b']);
});
