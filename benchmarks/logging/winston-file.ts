/** winston + transports.File. */
import winston from 'winston';
import { countLines } from '../lib/count-lines.js';
import { MESSAGE, fieldsOf } from './records.js';
import { countEvents, onceEvent, runSetup } from './harness.js';
import { jsonFormat } from './winston-format.js';

await runSetup(async ({ dir, records }) => {
  const transport = new winston.transports.File({ dirname: dir, filename: 'app.log' });
  const logger = winston.createLogger({ format: jsonFormat(), transports: [transport] });
  const logged = countEvents(transport, 'logged', records);
  return {
    log: (index) => logger.info(MESSAGE, fieldsOf(index)),
    async finish() {
      // Ending the logger while it still holds records loses them (winston#2219).
      await logged;
      const finished = onceEvent(transport, 'finish');
      logger.end();
      await finished;
    },
    count: () => countLines(dir, (name) => name.endsWith('.log')),
  };
});
