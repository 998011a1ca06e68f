import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DelegationTokens,
  type TokenOperations,
} from '../../src/hdfs/delegation-tokens.js';
import { redactError, redactText } from '../../src/hdfs/redact-secrets.js';

/** A NameNode's token rules on a fake clock: 1000 ms per renewal, 2500 ms at most. */
function fakeCluster() {
  const clock = { now: 0 };
  const calls: string[] = [];
  const issued = new Map<string, { maxDate: number; expires: number }>();
  const ops: TokenOperations = {
    fetch() {
      const token = `token-number-${issued.size + 1}`;
      issued.set(token, { maxDate: clock.now + 2500, expires: clock.now + 1000 });
      calls.push(`fetch ${token}`);
      return Promise.resolve(token);
    },
    renew(token) {
      calls.push(`renew ${token}`);
      const entry = issued.get(token);
      if (entry === undefined || entry.maxDate < clock.now) {
        return Promise.reject(new Error('InvalidToken'));
      }
      entry.expires = Math.min(entry.maxDate, clock.now + 1000);
      return Promise.resolve(entry.expires);
    },
    cancel(token) {
      calls.push(`cancel ${token}`);
      if (!issued.delete(token)) return Promise.reject(new Error('InvalidToken'));
      return Promise.resolve();
    },
  };
  return { clock, calls, ops };
}

test('fetches once, renews at 80% of its life, replaces it past its maximum', async () => {
  const { clock, calls, ops } = fakeCluster();
  const tokens = new DelegationTokens(ops, { fetch: true, now: () => clock.now });

  const times = [0, 500, 900, 1500, 2300, 2600];
  const seen: Array<string | undefined> = [];
  for (const time of times) {
    clock.now = time;
    seen.push(await tokens.current());
  }

  assert.deepEqual(seen, [
    'token-number-1',
    'token-number-1',
    'token-number-1',
    'token-number-1',
    'token-number-1',
    'token-number-2',
  ]);
  assert.deepEqual(calls, [
    'fetch token-number-1',
    'renew token-number-1', // learns the expiry: 1000, renew at 800
    'renew token-number-1', // at 900: expires 1900, renew at 1700
    'renew token-number-1', // at 2300: capped at 2500, renew at 2460
    'renew token-number-1', // at 2600: past its maximum, refused
    'fetch token-number-2',
    'renew token-number-2',
  ]);
});

test('shares one fetch between concurrent callers', async () => {
  const { clock, calls, ops } = fakeCluster();
  const tokens = new DelegationTokens(ops, { fetch: true, now: () => clock.now });
  const all = await Promise.all([tokens.current(), tokens.current(), tokens.current()]);
  assert.deepEqual(new Set(all), new Set(['token-number-1']));
  assert.equal(calls.filter((call) => call.startsWith('fetch')).length, 1);
});

test('drops a refused token it fetched, never one the operator gave', async () => {
  const { clock, ops } = fakeCluster();
  const fetched = new DelegationTokens(ops, { fetch: true, now: () => clock.now });
  const first = (await fetched.current()) ?? '';
  assert.equal(fetched.refused(first), true);
  assert.equal(await fetched.current(), 'token-number-2');

  const given = new DelegationTokens(ops, { given: 'operator-token', fetch: false });
  assert.equal(await given.current(), 'operator-token');
  assert.equal(given.refused('operator-token'), false);
  assert.equal(await given.current(), 'operator-token');
  assert.equal(await new DelegationTokens(ops, { fetch: false }).current(), undefined);
});

test('cancels the token it fetched when closed, and fetches none after', async () => {
  const { clock, calls, ops } = fakeCluster();
  const tokens = new DelegationTokens(ops, { fetch: true, now: () => clock.now });
  assert.equal(await tokens.current(), 'token-number-1');

  assert.equal(await tokens.cancel(), true);
  assert.equal(await tokens.current(), undefined);
  assert.equal(await tokens.cancel(), false, 'nothing left to cancel');
  assert.deepEqual(calls, [
    'fetch token-number-1',
    'renew token-number-1',
    'cancel token-number-1',
  ]);
});

test('never cancels a token the operator gave, nor one it never fetched', async () => {
  const { calls, ops } = fakeCluster();
  const given = new DelegationTokens(ops, { given: 'operator-token', fetch: false });
  assert.equal(await given.current(), 'operator-token');
  assert.equal(await given.cancel(), false);
  assert.equal(await given.current(), 'operator-token', 'still used as given');

  assert.equal(await new DelegationTokens(ops, { fetch: true }).cancel(), false);
  assert.deepEqual(calls, []);
});

test('cancels the token of a fetch still under way when closed', async () => {
  const { clock, calls, ops } = fakeCluster();
  const tokens = new DelegationTokens(ops, { fetch: true, now: () => clock.now });
  const using = tokens.current();
  const cancelled = tokens.cancel();

  assert.equal(await using, 'token-number-1');
  assert.equal(await cancelled, true);
  assert.equal(calls.at(-1), 'cancel token-number-1');
});

test('rejects when the NameNode does not cancel, and holds the token no longer', async () => {
  const { clock, calls, ops } = fakeCluster();
  const tokens = new DelegationTokens(ops, { fetch: true, now: () => clock.now });
  await tokens.current();
  ops.cancel = () => Promise.reject(new Error('Connection refused'));

  await assert.rejects(tokens.cancel(), /Connection refused/);
  assert.equal(await tokens.cancel(), false, 'not tried twice');
  assert.equal(calls.filter((call) => call.startsWith('fetch')).length, 1);
});

test('redacts a secret whole, percent-encoded, or cut short at a message end', () => {
  const secret = 'S3cr3t+T0ken/with=padding';
  const text = `a ${secret} b ${encodeURIComponent(secret)} c ` + secret.slice(0, 20);
  assert.equal(redactText(text, [secret]), 'a [redacted] b [redacted] c [redacted]');
  assert.equal(redactText('short ones stay: abc', ['abc']), 'short ones stay: abc');
});

test('redacts every string of an error and its causes', () => {
  const secret = 'delegation-token-0123456789';
  const cause = new Error(`cause holds ${secret}`);
  const error = Object.assign(new Error(`outer ${secret}`, { cause }), { body: secret });
  redactError(error, [secret]);
  const all = [error.message, error.stack, error.body, cause.message, cause.stack].join(
    '\n',
  );
  assert.ok(!all.includes(secret), all);
});
