import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  auditLines,
  isExactlyOnce,
  type AuditedFile,
} from '../../src/demo/line-audit.js';
import { demoRecord } from '../../src/demo/demo-traffic.js';

function file(stream: string, seqs: readonly number[], path = `/demo/${stream}/a.log`) {
  const content = seqs.map((seq) => `${JSON.stringify(demoRecord(stream, seq))}\n`);
  return { path, stream, content: content.join('') } satisfies AuditedFile;
}

const logged = new Map([
  ['winston', 3],
  ['pino', 2],
]);

test('passes when every line of every stream is there once, in its own directory', () => {
  const audit = auditLines(logged, [
    file('winston', [0, 1], '/demo/winston/1.log'),
    file('winston', [2], '/demo/winston/2.log'),
    file('pino', [1, 0]),
  ]);

  assert.equal(isExactlyOnce(audit), true);
  assert.equal(audit.publishedLines, 5);
  assert.deepEqual([...audit.lineCounts.values()], [2, 1, 2]);
});

test('counts a missing line and a line published twice', () => {
  const audit = auditLines(logged, [file('winston', [0, 1, 1]), file('pino', [0, 1])]);

  assert.equal(isExactlyOnce(audit), false);
  assert.equal(audit.missing, 1);
  assert.equal(audit.duplicated, 1);
  assert.match(audit.examples.join('\n'), /winston-2 found 0 times/);
});

test('counts a line in the other stream’s directory as misplaced', () => {
  const strayed = file('pino', [1], '/demo/winston/b.log');
  const audit = auditLines(logged, [
    file('winston', [0, 1, 2]),
    file('pino', [0]),
    { ...strayed, stream: 'winston' },
  ]);

  assert.equal(audit.misplaced, 1);
  assert.equal(isExactlyOnce(audit), false);
});

test('fails on a file that ends mid-line and on lines nobody logged', () => {
  const whole = file('winston', [0, 1, 2]);
  const audit = auditLines(logged, [
    { ...whole, content: whole.content.slice(0, -1) },
    file('pino', [0, 1, 7]),
    { path: '/demo/pino/x.log', stream: 'pino', content: 'not json\n' },
  ]);

  assert.deepEqual(audit.cutFiles, ['/demo/winston/a.log']);
  assert.equal(audit.unexpected, 2);
  assert.equal(isExactlyOnce(audit), false);
});

test('does not pass when nothing was logged', () => {
  assert.equal(isExactlyOnce(auditLines(new Map([['pino', 0]]), [])), false);
});
