/** Ours: winston + HdfsTransport. Uploads are off: see ./ours-options.ts. */
import winston from 'winston';
import { MESSAGE, fieldsOf } from './records.js';
import { countEvents, onceEvent, runSetup } from './harness.js';
import { NOT_BUILT, countOurs, oursOptions } from './ours-options.js';
import { jsonFormat } from './winston-format.js';

/** The part of HdfsTransport this setup uses (the type lands with the transport). */
type HdfsTransportClass = new (
  options: ReturnType<typeof oursOptions>,
) => winston.transport;

await runSetup(async ({ dir, records }) => {
  const module = (await import('hdfs-log-transport/winston')) as Record<string, unknown>;
  const HdfsTransport = module.HdfsTransport as HdfsTransportClass | undefined;
  if (typeof HdfsTransport !== 'function') return NOT_BUILT;

  const transport = new HdfsTransport(oursOptions(dir));
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
    count: () => countOurs(dir),
  };
});
