/**
 * The names copies take: a file's path below its pattern's base or its name
 * alone, escaped so that HDFS takes it and readers see it, cut to HDFS's
 * length limit, and tagged when the name is taken.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findComponentProblem } from '../../src/hdfs/hdfs-path.js';
import {
  destinationName,
  fitComponent,
  fitCopyName,
  MAX_COPY_NAME_BYTES,
  safeComponent,
  withTag,
} from '../../src/upload/copy-names.js';
import { parsePattern } from '../../src/upload/copy-patterns.js';

const pattern = parsePattern('/var/log/**/*.log', 'job.patterns', '/');

test('names a copy by its path below the base, or by its name alone', () => {
  const file = '/var/log/nginx/site:a/access.log';
  assert.equal(destinationName(pattern, file, 'preserve'), 'nginx/site_a/access.log');
  assert.equal(destinationName(pattern, file, 'flatten'), 'access.log');
});

test('control characters and ":" become "_" in every component', () => {
  const file = '/var/log/we\tb/a\nb\u001b[2J:c\u007f\u0085.log';
  assert.equal(destinationName(pattern, file, 'preserve'), 'we_b/a_b_[2J_c__.log');
  assert.equal(safeComponent('tab\there'), 'tab_here');
});

test('a name Hive would skip as hidden gets a visible prefix', () => {
  assert.equal(safeComponent('.env'), 'x.env');
  assert.equal(safeComponent('_SUCCESS'), 'x_SUCCESS');
  assert.equal(safeComponent('\u0001secret'), 'x_secret');
  assert.equal(safeComponent('.snapshot'), 'x.snapshot', 'not HDFS reserved name');
  const file = '/var/log/_tmp/.app.log';
  assert.equal(destinationName(pattern, file, 'preserve'), 'x_tmp/x.app.log');
  assert.equal(safeComponent('app_1.log'), 'app_1.log', 'only a leading one');
});

test('a name over the limit is cut, keeping its extensions and told apart', () => {
  const long = `${'é'.repeat(200)}.log.gz`;
  const cut = fitComponent(long);
  assert.ok(Buffer.byteLength(cut) <= 255);
  assert.match(cut, /^é+-[0-9a-f]{8}\.log\.gz$/);
  assert.equal(findComponentProblem(cut), undefined);
  const other = fitComponent(`${'é'.repeat(200)}x.log.gz`);
  assert.notEqual(other, cut, 'names that share their start still differ');
  assert.equal(fitComponent('app.log'), 'app.log');
  assert.equal(fitComponent('a'.repeat(255)), 'a'.repeat(255));
});

test('a copy name leaves room for its hidden temporary name', () => {
  const exact = `${'a'.repeat(MAX_COPY_NAME_BYTES - 4)}.log`;
  assert.equal(fitCopyName(`dir/${exact}`), `dir/${exact}`);
  const over = fitCopyName(`dir/a${exact}`);
  assert.match(over, /^dir\/a+-[0-9a-f]{8}\.log$/);
  assert.equal(Buffer.byteLength(over.slice('dir/'.length)), MAX_COPY_NAME_BYTES);
  const temporary = `.${over.slice('dir/'.length)}.0123456789ab.inprogress`;
  assert.equal(findComponentProblem(temporary), undefined);
  // Extensions too long to keep are cut with the rest.
  const dotted = fitComponent(`a.${'b'.repeat(300)}`);
  assert.match(dotted, /^a\.b+-[0-9a-f]{8}$/);
});

test('a tag goes before the first extension of the last component', () => {
  assert.equal(withTag('app.log', '3fa2b1c0'), 'app-3fa2b1c0.log');
  assert.equal(withTag('nginx/app.log.1.gz', 'ab'), 'nginx/app-ab.log.1.gz');
  assert.equal(withTag('messages', 'ab'), 'messages-ab');
  assert.equal(withTag('.hidden', 'ab'), '.hidden-ab');
  assert.equal(withTag('x.hidden', 'ab'), 'x-ab.hidden');
});

test('line separators and bidirectional overrides become "_"', () => {
  assert.equal(safeComponent('a\u2028b\u2029c'), 'a_b_c');
  // "evil\u202egol.exe" shows as "evilexe.log" in a listing.
  assert.equal(safeComponent('evil\u202egol.exe'), 'evil_gol.exe');
  assert.equal(safeComponent('x\u2066y\u2069'), 'x_y_');
  assert.equal(safeComponent('naïve café.log'), 'naïve café.log', 'letters stay');
});
