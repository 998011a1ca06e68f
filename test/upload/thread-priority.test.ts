import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createShipper } from '../../src/shipper.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** Why these tests cannot run here, or false. */
const skip =
  process.platform !== 'linux'
    ? 'threads have nice values of their own on Linux only'
    : getPriority() >= 10 && 'the tests already run at nice 10 or more';
const MODULE = new URL('../../src/upload/thread-priority.js', import.meta.url).href;

/** The nice value of every thread of this process, from /proc (field 19 of stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[16]);
  });
}

test('lowers the priority of the calling thread only', { skip }, async () => {
  const before = getPriority();
  const worker = new Worker(
    `import(${JSON.stringify(MODULE)}).then(({ yieldThreadPriority }) => {
       const first = yieldThreadPriority(10);
       const again = yieldThreadPriority(5); // never lowers the value back
       require('node:worker_threads').parentPort.postMessage({ first, again });
     });`,
    { eval: true },
  );
  const [answer] = (await once(worker, 'message')) as [{ first: number; again: number }];
  await worker.terminate();

  assert.deepEqual(answer, { first: 10, again: 10 });
  assert.equal(getPriority(), before, 'the main thread keeps its priority');
});

test('the shipper’s uploader thread runs at nice 10', { skip }, async (t) => {
  const dir = await makeTempDir(t);
  const main = getPriority();
  const before = threadNiceValues().filter((nice) => nice === 10).length;
  const shipper = createShipper({
    destination: `file://${dir}/published`,
    spoolDir: `${dir}/spool`,
    upload: { interval: '1h' },
  });
  t.after(() => shipper.close());
  await shipper.flush(); // the worker is up once it has answered

  const niced = threadNiceValues().filter((nice) => nice === 10).length;
  assert.equal(niced, before + 1);
  assert.equal(getPriority(), main, 'the application’s thread keeps its priority');
});
