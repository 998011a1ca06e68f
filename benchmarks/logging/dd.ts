/**
 * Floor: dd copying the same bytes (made before the clock starts) into a new
 * file, 1 MiB a block. The numbers are dd's own, from its parent's rusage.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countLines } from '../lib/count-lines.js';
import { measureCommand } from '../lib/rusage.js';
import { serializedLine } from './records.js';

const [recordsText = '', dir = ''] = process.argv.slice(2);
const records = Number(recordsText);
const time = Date.now();
const lines = Array.from({ length: records }, (_, index) => serializedLine(index, time));
const source = join(dir, 'source.txt');
writeFileSync(source, lines.join(''));

const usage = await measureCommand([
  'dd',
  `if=${source}`,
  `of=${join(dir, 'app.log')}`,
  'bs=1M',
  'status=none',
]);
const counted = countLines(dir, (name) => name === 'app.log');
process.stdout.write(`${JSON.stringify({ ...usage, ...counted })}\n`);
