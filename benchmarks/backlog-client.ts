/**
 * One run of scenario 4 in a process of its own: a shipper starts on a spool
 * whose ready/ already holds the backlog (placed by the parent), and drains
 * it to the dev server. Times from just before createShipper().
 * Usage: node backlog-client.js <spoolDir> <destination>
 * Prints `{ constructMs, firstWriteMs, firstUploadMs, drainSeconds,
 *   loopDelayMaxMs, maxRssMiB }`.
 */
import { once } from 'node:events';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createShipper } from 'hdfs-log-transport';

const [spoolDir = '', destination = ''] = process.argv.slice(2);
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

const started = performance.now();
const shipper = createShipper({
  destination,
  spoolDir,
  user: 'bench',
  upload: { interval: '1h' },
  maxSpoolBytes: '8GiB',
});
const constructMs = performance.now() - started;
shipper.write('{"msg":"first line after start-up"}');
const firstWriteMs = performance.now() - started;
const firstUpload = once(shipper, 'uploaded').then(() => performance.now() - started);

await shipper.flush();
const drainSeconds = (performance.now() - started) / 1000;
loopDelay.disable();
const firstUploadMs = await Promise.race([firstUpload, Promise.resolve(Number.NaN)]);
await shipper.close();

const result = {
  constructMs,
  firstWriteMs,
  firstUploadMs,
  drainSeconds,
  loopDelayMaxMs: loopDelay.max / 1e6,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
