import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { InvalidOptionError } from '../../src/errors.js';
import {
  backoffDelay,
  leaseRetryDelay,
  retryDelayFor,
  sleep,
} from '../../src/upload/backoff.js';

const OPTIONS = { base: 100, max: 1000 };
/** The largest value Math.random can return. */
const ALMOST_ONE = 1 - Number.EPSILON / 2;
const never = (): number => assert.fail('random must not be called');

test('waits nothing when the random source says 0', () => {
  for (let attempt = 0; attempt < 10; attempt++) {
    assert.equal(
      backoffDelay(attempt, OPTIONS, () => 0),
      0,
    );
  }
});

test('the cap doubles with each attempt until it reaches max', () => {
  const longest = [0, 1, 2, 3, 4, 5, 6].map((attempt) =>
    backoffDelay(attempt, OPTIONS, () => ALMOST_ONE),
  );
  assert.deepEqual(longest, [99, 199, 399, 799, 999, 999, 999]);
});

test('stays in [0, cap) and whole for every random value', () => {
  for (let attempt = 0; attempt < 8; attempt++) {
    const cap = Math.min(OPTIONS.max, OPTIONS.base * 2 ** attempt);
    for (let step = 0; step < 1000; step++) {
      const delay = backoffDelay(attempt, OPTIONS, () => step / 1000);
      assert.ok(delay >= 0 && delay < cap, `${delay} for attempt ${attempt}`);
      assert.ok(Number.isInteger(delay));
    }
  }
});

test('a half-way random value gives half the cap: the jitter is uniform', () => {
  assert.equal(
    backoffDelay(2, OPTIONS, () => 0.5),
    200,
  );
  assert.equal(
    backoffDelay(9, OPTIONS, () => 0.25),
    250,
  );
});

test('a huge attempt number is capped by max, never NaN or Infinity', () => {
  assert.equal(
    backoffDelay(5000, OPTIONS, () => ALMOST_ONE),
    999,
  );
  assert.equal(
    backoffDelay(5000, { base: 0, max: 1000 }, () => ALMOST_ONE),
    0,
  );
});

test('uses Math.random when no source is given', () => {
  const delay = backoffDelay(3, OPTIONS);
  assert.ok(delay >= 0 && delay < 800);
});

test('refuses an attempt or bounds it cannot compute with', () => {
  for (const attempt of [-1, 1.5, Number.NaN, Infinity]) {
    assert.throws(() => backoffDelay(attempt, OPTIONS, never), InvalidOptionError);
  }
  for (const bad of [-1, Number.NaN, Infinity]) {
    assert.throws(
      () => backoffDelay(0, { base: bad, max: 10 }, never),
      InvalidOptionError,
    );
    assert.throws(
      () => backoffDelay(0, { base: 10, max: bad }, never),
      InvalidOptionError,
    );
  }
});

test('the lease delay is the HDFS soft lease limit, 60 s', () => {
  assert.equal(leaseRetryDelay, 60_000);
});

test('retry and failover errors back off like backoffDelay', () => {
  for (const errorClass of ['retry', 'failover'] as const) {
    assert.equal(
      retryDelayFor(errorClass, 3, OPTIONS, () => 0.5),
      400,
    );
    assert.equal(
      retryDelayFor(errorClass, 0, OPTIONS, () => 0),
      0,
    );
  }
});

test('a lease conflict waits at least the soft lease limit', () => {
  assert.equal(
    retryDelayFor('lease', 0, OPTIONS, () => 0),
    leaseRetryDelay,
  );
  assert.equal(
    retryDelayFor('lease', 9, OPTIONS, () => ALMOST_ONE),
    leaseRetryDelay,
  );
});

test('a lease conflict keeps a backoff longer than the soft limit', () => {
  const long = { base: 5_000, max: 300_000 };
  assert.equal(
    retryDelayFor('lease', 6, long, () => 0.5),
    150_000,
  );
});

test('sleep resolves once the time has passed', async () => {
  // The sleep's own timer is unref'd; this one keeps the test's event loop alive.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    const started = performance.now();
    await sleep(20);
    assert.ok(performance.now() - started >= 15);
  } finally {
    clearInterval(keepAlive);
  }
});

test('sleep rejects with the reason of a signal that aborts it', async () => {
  const controller = new AbortController();
  const reason = new Error('uploader closing');
  const sleeping = sleep(600_000, controller.signal);
  controller.abort(reason);
  await assert.rejects(sleeping, (error) => error === reason);
});

test('sleep rejects at once when the signal was already aborted', async () => {
  const reason = new Error('already closed');
  await assert.rejects(
    sleep(600_000, AbortSignal.abort(reason)),
    (error) => error === reason,
  );
});

test('sleep rejects with the default AbortError when aborted without a reason', async () => {
  const controller = new AbortController();
  const sleeping = sleep(600_000, controller.signal);
  controller.abort();
  await assert.rejects(sleeping, { name: 'AbortError' });
});

test('a pending sleep does not keep the process alive', async () => {
  const module = new URL('../../src/upload/backoff.js', import.meta.url).href;
  const script =
    `import { sleep } from ${JSON.stringify(module)};\n` +
    'sleep(600_000).then(() => process.exit(3));\n';
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: 'inherit',
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0);
});
