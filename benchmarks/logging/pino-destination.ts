/** pino + pino.destination: on the main thread, with its defaults (sync writes). */
import { join } from 'node:path';
import pino from 'pino';
import { countLines } from '../lib/count-lines.js';
import { MESSAGE, fieldsOf } from './records.js';
import { onceEvent, runSetup } from './harness.js';

await runSetup(async ({ dir }) => {
  const destination = pino.destination({ dest: join(dir, 'app.log') });
  const logger = pino(destination);
  return {
    log: (index) => logger.info(fieldsOf(index), MESSAGE),
    async finish() {
      const closed = onceEvent(destination, 'close');
      destination.end();
      await closed;
    },
    count: () => countLines(dir, (name) => name.endsWith('.log')),
  };
});
