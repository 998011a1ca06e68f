/**
 * One run of scenario 2 in a process of its own: logs `records` records in
 * batches of 200 (yielding to the event loop between batches, as a server
 * does between requests) while the uploader publishes the backlog that waits
 * in the spool, or cannot (paused). Times every log call.
 * Usage: node latency-client.js <winston|pino|shipper> <records> <spoolDir> <destination>
 * Prints `{ p50Us, p99Us, maxUs, loopDelayP99Ms, linesPerSecond, uploadedMiB }`.
 */
import type { EventEmitter } from 'node:events';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { quantile } from './lib/stats.js';
import { startLatencyLogger } from './logging/latency-loggers.js';

const BATCH = 200;
const SETTLE_MS = 250;

const [setup = '', recordsText = '', spoolDir = '', destination = ''] =
  process.argv.slice(2);
const records = Number(recordsText);

const logger = await startLatencyLogger(setup, {
  destination,
  spoolDir,
  user: 'bench',
  rotate: { size: '10MiB' },
  upload: { interval: '1h', retries: 1 },
  maxSpoolBytes: '8GiB',
});
if (typeof logger === 'string') {
  process.stdout.write(`${JSON.stringify({ error: logger })}\n`);
  process.exit(0);
}

let uploadedBytes = 0;
let counting = false;
(logger.events as EventEmitter).on('uploaded', (event: { bytes: number }) => {
  if (counting) uploadedBytes += event.bytes;
});
// The uploader's first cycle starts with the shipper and takes on the backlog.
await sleep(SETTLE_MS);

const latencies = new Float64Array(records);
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
counting = true;
loopDelay.enable();
const started = performance.now();
for (let index = 0; index < records; index++) {
  const before = performance.now();
  logger.log(index);
  latencies[index] = performance.now() - before;
  if (index % BATCH === BATCH - 1) await yieldToLoop();
}
const seconds = (performance.now() - started) / 1000;
loopDelay.disable();
counting = false;

const micros = Array.from(latencies, (ms) => ms * 1000);
const result = {
  p50Us: quantile(micros, 0.5),
  p99Us: quantile(micros, 0.99),
  maxUs: micros.reduce((most, value) => Math.max(most, value), 0),
  loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  linesPerSecond: records / seconds,
  uploadedMiB: uploadedBytes / 1024 / 1024,
};
await logger.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
