import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultSwitchboard, validateFaults } from '../../src/dev-hdfs/faults.js';

test('a numeric count switch fires that many times, then clears itself', () => {
  const faults = new FaultSwitchboard();
  faults.merge({ unavailable: 2 });

  assert.deepEqual([faults.takeUnavailable(), faults.takeUnavailable()], [true, true]);
  assert.equal(faults.takeUnavailable(), false);
  assert.deepEqual(faults.current, {});
});

test('true fires on every request until cleared', () => {
  const faults = new FaultSwitchboard();
  faults.merge({ resetUpload: true });

  for (let i = 0; i < 5; i++)
    assert.deepEqual(faults.takeResetUpload(), { afterBytes: 1 });
  faults.merge({ resetUpload: false });
  assert.equal(faults.takeResetUpload(), undefined);
});

test('an object switch counts down its times and keeps its settings', () => {
  const faults = new FaultSwitchboard();
  faults.merge({
    rejectAfterContinue: { exception: 'IOException', afterBytes: 9, times: 2 },
  });

  const expected = { exception: 'IOException', afterBytes: 9 };
  assert.deepEqual(faults.takeRejectAfterContinue(), expected);
  assert.deepEqual(faults.current, {
    rejectAfterContinue: { exception: 'IOException', afterBytes: 9, times: 1 },
  });
  assert.deepEqual(faults.takeRejectAfterContinue(), expected);
  assert.equal(faults.takeRejectAfterContinue(), undefined);
});

test('merging keeps other switches and clears those set to undefined', () => {
  const faults = new FaultSwitchboard();
  faults.merge({ safeMode: true, delayMs: 10, holdLease: ['/a'] });
  faults.merge({ delayMs: undefined, holdLease: [] });

  assert.deepEqual(faults.current, { safeMode: true });
});

test('the snapshot of the faults cannot change the switches', () => {
  const faults = new FaultSwitchboard();
  faults.merge({ holdLease: ['/a'] });
  assert.throws(() => {
    (faults.current as { safeMode?: boolean }).safeMode = true;
  });
  assert.deepEqual(faults.current, { holdLease: ['/a'] });
});

test('nameNodeException fires only for its ops and counts down its times', () => {
  const faults = new FaultSwitchboard();
  faults.merge({
    nameNodeException: { exception: 'RetriableException', ops: ['mkdirs'], times: 2 },
  });

  assert.equal(faults.takeNameNodeException('GETFILESTATUS'), undefined);
  assert.equal(faults.takeNameNodeException('MKDIRS'), 'RetriableException');
  assert.equal(faults.takeNameNodeException('MKDIRS'), 'RetriableException');
  assert.equal(faults.takeNameNodeException('MKDIRS'), undefined);
  assert.deepEqual(faults.current, {});
});

test('validateFaults names the switch and what it expected', () => {
  assert.throws(() => validateFaults({ delayMs: -5 }), {
    code: 'ERR_INVALID_OPTION',
    option: 'faults.delayMs',
  });
  assert.throws(() => validateFaults({ resetUpload: {} }), {
    option: 'faults.resetUpload.afterBytes',
  });
  assert.throws(() => validateFaults({ rejectAfterContinue: { exception: 'Nope' } }), {
    option: 'faults.rejectAfterContinue.exception',
  });
  assert.throws(() => validateFaults({ denyWrite: ['locked'] }), {
    option: 'faults.denyWrite',
  });
  assert.throws(() => validateFaults({ nameNodeException: { exception: 'Oops' } }), {
    option: 'faults.nameNodeException.exception',
  });
  assert.throws(
    () =>
      validateFaults({ nameNodeException: { exception: 'IOException', ops: 'MKDIRS' } }),
    { option: 'faults.nameNodeException.ops' },
  );
  assert.throws(() => validateFaults({ reboot: true }), { option: 'faults.reboot' });
  assert.throws(() => validateFaults([]), { option: 'faults' });
});
