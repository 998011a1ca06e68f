/**
 * Ours: pino + the hdfs-log-transport/pino target, in pino's worker thread.
 * Uploads are off: see {@link ./ours-options.ts}.
 */
import pino from 'pino';
import { MESSAGE, fieldsOf } from './records.js';
import { onceEvent, runSetup } from './harness.js';
import { countOurs, loadPinoTarget, oursOptions } from './ours-options.js';

await runSetup(async ({ dir }) => {
  const missing = await loadPinoTarget();
  if (missing !== undefined) return missing;
  const transport = pino.transport({
    target: 'hdfs-log-transport/pino',
    options: oursOptions(dir),
  });
  const logger = pino(transport);
  return {
    log: (index) => logger.info(fieldsOf(index), MESSAGE),
    async finish() {
      // pino unrefs its worker; 'finish' is the signal that its target closed.
      const finished = onceEvent(transport, 'finish');
      transport.end();
      await finished;
    },
    count: () => countOurs(dir),
  };
});
