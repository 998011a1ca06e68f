/** pino + pino-roll 4.0.0, in pino's worker thread, rolled at 10 MiB like ours. */
import { join } from 'node:path';
import pino from 'pino';
import { countLines } from '../lib/count-lines.js';
import { MESSAGE, fieldsOf } from './records.js';
import { onceEvent, runSetup } from './harness.js';

await runSetup(async ({ dir }) => {
  const transport = pino.transport({
    target: 'pino-roll',
    options: { file: join(dir, 'app'), extension: '.log', size: '10m', mkdir: true },
  });
  const logger = pino(transport);
  return {
    log: (index) => logger.info(fieldsOf(index), MESSAGE),
    async finish() {
      const finished = onceEvent(transport, 'finish');
      transport.end();
      await finished;
    },
    count: () => countLines(dir, (name) => name.endsWith('.log')),
  };
});
