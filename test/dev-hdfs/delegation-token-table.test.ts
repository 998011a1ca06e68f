import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DelegationTokenTable } from '../../src/dev-hdfs/delegation-token-table.js';

function table() {
  return new DelegationTokenTable({
    renewIntervalMs: 1000,
    maxLifetimeMs: 5000,
    now: () => 0,
  });
}

test('a cancelled token is refused everywhere, as an unknown one is', () => {
  const tokens = table();
  const token = tokens.issue('alice', 'alice');
  assert.equal(tokens.verify(token), 'alice');

  tokens.cancel(token, 'alice');

  for (const use of [
    () => tokens.verify(token),
    () => tokens.renew(token, 'alice'),
    () => tokens.cancel(token, 'alice'),
  ]) {
    assert.throws(use, { exception: 'InvalidToken', message: /can't be found in cache/ });
  }
});

test('only the owner or the renewer may cancel a token', () => {
  const tokens = table();
  const token = tokens.issue('alice', 'yarn');

  assert.throws(() => tokens.cancel(token, 'mallory'), {
    exception: 'AccessControlException',
    message:
      /mallory is not authorized to cancel the token \(HDFS_DELEGATION_TOKEN token 1/,
  });
  assert.equal(tokens.verify(token), 'alice', 'still valid');
  tokens.cancel(token, 'yarn');
  assert.throws(() => tokens.verify(token), { exception: 'InvalidToken' });
  const own = tokens.issue('alice', 'yarn');
  tokens.cancel(own, 'alice');
  assert.throws(() => tokens.verify(own), { exception: 'InvalidToken' });
});
