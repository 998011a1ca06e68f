import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError } from '../src/errors.js';
import {
  FAILPOINT_NAMES,
  FAILPOINT_VARIABLE,
  failpoint,
  parseFailpointSetting,
} from '../src/failpoints.js';

const CHILD = fileURLToPath(new URL('./fixtures/failpoint-child.js', import.meta.url));

interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the fixture with HLT_FAILPOINT set to `setting` (unset when undefined). */
async function runChild(
  setting: string | undefined,
  args: string[],
): Promise<ChildResult> {
  const { [FAILPOINT_VARIABLE]: _inherited, ...env } = process.env;
  if (setting !== undefined) env[FAILPOINT_VARIABLE] = setting;
  const child = spawn(process.execPath, [CHILD, ...args], { env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code, signal] = (await once(child, 'close')) as [
    number | null,
    NodeJS.Signals | null,
  ];
  return { code, signal, stdout, stderr };
}

function reachedCount(stdout: string): number {
  return stdout.split('\n').filter((line) => line.startsWith('reached ')).length;
}

test('names every crash point the crash tests of issue 3 need', () => {
  for (const name of [
    'mid-write',
    'mid-seal',
    'mid-gzip',
    'after-create',
    'after-rename-journal',
    'after-rename',
    'before-local-delete',
    'after-begin-journal',
  ]) {
    assert.ok((FAILPOINT_NAMES as readonly string[]).includes(name), name);
  }
});

test('an unset or empty variable arms nothing', () => {
  assert.equal(parseFailpointSetting(undefined), undefined);
  assert.equal(parseFailpointSetting(''), undefined);
});

test('a bare name crashes the first time, name:count the count-th time', () => {
  assert.deepEqual(parseFailpointSetting('mid-gzip'), { name: 'mid-gzip', count: 1 });
  assert.deepEqual(parseFailpointSetting('after-create:3'), {
    name: 'after-create',
    count: 3,
  });
});

test('refuses an unknown name or an unusable count, naming the variable', () => {
  for (const value of [
    'mid_gzip',
    'MID-GZIP',
    'nowhere',
    'mid-gzip:0',
    'mid-gzip:',
    'mid-gzip:x',
    'mid-gzip:1:2',
    'mid-gzip:99999999999999999999',
    ' mid-gzip',
  ]) {
    assert.throws(
      () => parseFailpointSetting(value),
      (error: unknown) =>
        error instanceof InvalidOptionError &&
        error.option === FAILPOINT_VARIABLE &&
        error.received === value,
      value,
    );
  }
});

test('is inert in a process started without the variable', () => {
  assert.equal(process.env[FAILPOINT_VARIABLE], undefined);
  for (const name of FAILPOINT_NAMES) failpoint(name);
});

test('a child without the variable passes every point and exits 0', async () => {
  const result = await runChild(undefined, ['mid-gzip', '3']);
  assert.equal(result.signal, null);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(reachedCount(result.stdout), 3);
});

test('a child dies by SIGKILL at the named point, before anything after it', async () => {
  const result = await runChild('mid-gzip', ['mid-gzip', '3']);
  assert.equal(result.signal, 'SIGKILL');
  assert.equal(reachedCount(result.stdout), 0);
});

test('a point other than the named one does not crash', async () => {
  const result = await runChild('after-rename', ['after-create', '3']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(reachedCount(result.stdout), 3);
});

test('name:count crashes exactly at the count-th time the point is reached', async () => {
  const result = await runChild('after-create:3', ['after-create', '5']);
  assert.equal(result.signal, 'SIGKILL');
  assert.equal(reachedCount(result.stdout), 2);
});

test('a count beyond the times reached never crashes', async () => {
  const result = await runChild('after-create:6', ['after-create', '5']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(reachedCount(result.stdout), 5);
});

test('a point reached in a worker thread kills the whole process', async () => {
  const result = await runChild('before-local-delete:2', [
    'before-local-delete',
    '4',
    'worker',
  ]);
  assert.equal(result.signal, 'SIGKILL');
  assert.equal(reachedCount(result.stdout), 1);
});

test('a misspelt point stops the child at start, not at the end', async () => {
  const result = await runChild('mid-gzp', ['mid-gzip', '1']);
  assert.equal(result.signal, null);
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /HLT_FAILPOINT/);
  assert.equal(reachedCount(result.stdout), 0);
});
