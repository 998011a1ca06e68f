/** winston + winston-daily-rotate-file 5.0.0, rolled at 10 MiB like ours. */
import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import { countLines } from '../lib/count-lines.js';
import { MESSAGE, fieldsOf } from './records.js';
import { countEvents, onceEvent, runSetup } from './harness.js';
import { jsonFormat } from './winston-format.js';

await runSetup(async ({ dir, records }) => {
  const transport = new DailyRotateFile({
    dirname: dir,
    filename: 'app-%DATE%',
    extension: '.log',
    maxSize: '10m',
  });
  // Its 'finish' comes before file-stream-rotator's streams have written
  // anything: completion is every file stream closed. Each file announces
  // itself with 'new' (the first one twice), and each stream's 'close'
  // reaches logStream.
  const files = new Set<string>();
  transport.on('new', (file: string) => files.add(file));
  let closed = 0;
  let onClosed: (() => void) | undefined;
  transport.logStream.on('close', () => {
    closed += 1;
    if (closed >= files.size) onClosed?.();
  });
  const logger = winston.createLogger({ format: jsonFormat(), transports: [transport] });
  const logged = countEvents(transport, 'logged', records);
  return {
    log: (index) => logger.info(MESSAGE, fieldsOf(index)),
    async finish() {
      await logged;
      const finished = onceEvent(transport, 'finish');
      logger.end();
      await finished;
      const allClosed = new Promise<void>((resolve) => (onClosed = resolve));
      transport.logStream.end();
      if (closed < files.size) await allClosed;
    },
    count: () => countLines(dir, (name) => name.endsWith('.log')),
  };
});
