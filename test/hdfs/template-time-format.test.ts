import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DateTime } from 'luxon';
import {
  findControlCharacter,
  findTimeFormatProblem,
  TIME_TOKENS,
} from '../../src/hdfs/template-time-format.js';

test('each allowed token gives only ASCII letters and digits all year, in any zone', () => {
  const zones = ['UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'America/St_Johns'];
  const options = { locale: 'en-US', numberingSystem: 'latn', outputCalendar: 'gregory' };
  for (const zone of zones) {
    for (let day = 0; day < 366; day += 1) {
      const instant = Date.UTC(2026, 0, 1) + day * 86_400_000 + day * 3_937_000;
      const time = DateTime.fromMillis(instant, { zone, ...options });
      for (const token of TIME_TOKENS) {
        assert.match(time.toFormat(token), /^[A-Za-z0-9]+$/, `${token} in ${zone}`);
      }
    }
  }
});

test('accepts formats of allowed tokens, separators and quoted letters', () => {
  for (const format of [
    'yyyy-MM-dd',
    "yyyy-MM-dd'T'HH",
    'HH.mm_ss',
    'kkkk',
    "'x'yy",
    "dd''",
  ]) {
    assert.equal(findTimeFormatProblem(format), undefined, format);
  }
});

test('names the first token that is not allowed', () => {
  assert.match(findTimeFormatProblem('yyyy-MM-dd ZZZZ') ?? '', /white space/);
  assert.match(findTimeFormatProblem('yyyyMMddZZ') ?? '', /token "ZZ"/);
  assert.match(findTimeFormatProblem('yyyyy') ?? '', /token "yyyyy"/);
});

test('finds control characters, C1 included, and nothing else', () => {
  assert.equal(findControlCharacter('dt=2026-12-03 é 日本'), undefined);
  for (const text of ['\u0000', 'a\tb', '\u001b[31m', '\u007f', '\u0085']) {
    assert.equal(findControlCharacter(text), 'holds a control character');
  }
});
