/** pino + the pino/file transport, in pino's worker thread. */
import { join } from 'node:path';
import pino from 'pino';
import { countLines } from '../lib/count-lines.js';
import { MESSAGE, fieldsOf } from './records.js';
import { onceEvent, runSetup } from './harness.js';

await runSetup(async ({ dir }) => {
  const transport = pino.transport({
    target: 'pino/file',
    options: { destination: join(dir, 'app.log') },
  });
  const logger = pino(transport);
  return {
    log: (index) => logger.info(fieldsOf(index), MESSAGE),
    async finish() {
      // 'close' may come after the process could exit: pino unrefs the worker.
      const finished = onceEvent(transport, 'finish');
      transport.end();
      await finished;
    },
    count: () => countLines(dir, (name) => name.endsWith('.log')),
  };
});
