/**
 * Shutting down without workarounds (issue 4): a burst of 500,000 records
 * through a real logger, then at once logger.end(), logger.close(),
 * process.exit(0) or pino's transport.end(), without waiting for anything.
 * Every record must be in a sealed segment afterwards, every segment must
 * end with a whole line, and memory must stay bounded. winston's File
 * transport beside ours is what makes winston hold most of the burst in its
 * own buffer (winston issue 2219), which the transport must take first.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { exactlyOnce } from '../helpers/published.js';
import { sealedTexts } from '../helpers/sealed-lines.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('../fixtures/logger-child.js', import.meta.url));
const RECORDS = 500_000;
/**
 * Peak RSS bounds, MiB. Measured here for 500,000 records: winston with a
 * discarding transport 174 and with ours about 235; pino with pino/file
 * 247-271 and with ours 343-375 (a second worker thread, the uploader, is
 * part of that). With winston's File transport beside ours, winston's own
 * buffer holds the burst: 430-550 (File alone reaches 512). A leak grows far
 * past these.
 */
const MAX_RSS_MIB = { winston: 320, pino: 480, 'winston-file': 700 };

const RUNS = [
  ...['winston-end', 'winston-close', 'winston-exit', 'pino-end', 'pino-exit'].map(
    (mode) => ({ mode, besideFile: false }),
  ),
  ...['winston-end', 'winston-close', 'winston-exit'].map((mode) => ({
    mode,
    besideFile: true,
  })),
];

describe('shutdown right after a burst', { concurrency: 2 }, () => {
  for (const { mode, besideFile } of RUNS) {
    const title = `${mode}${besideFile ? ', File beside' : ''}`;
    test(`${title}: every record is in a sealed segment, memory bounded`, async (t) => {
      const spool = join(await makeTempDir(t), 'spool');
      const flags = besideFile ? ['--beside-file'] : [];
      const { stdout } = await run(
        process.execPath,
        [CHILD, spool, mode, String(RECORDS), ...flags],
        { timeout: 90_000 },
      );

      const texts = await sealedTexts(spool);
      for (const text of texts)
        assert.ok(text.endsWith('\n'), 'a segment ends with a whole line');
      const ids = texts
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { id: number }).id);
      assert.equal(exactlyOnce(ids, RECORDS), undefined);
      assert.deepEqual(await readdir(join(spool, 'active')), [], 'nothing left open');
      if (mode === 'winston-end' || mode === 'winston-close') {
        assert.match(stdout, /^finished$/m, "the transport's finish came");
      }
      const rss = Number(/rss (\d+)/.exec(stdout)?.[1]);
      const logger = mode.startsWith('winston') ? 'winston' : 'pino';
      const bound = MAX_RSS_MIB[besideFile ? 'winston-file' : logger];
      assert.ok(rss < bound, `peak RSS ${rss} MiB, bound ${bound}`);
    });
  }
});
