/** Floor: pino writing into a stream that only counts what it receives. */
import pino from 'pino';
import { MESSAGE, fieldsOf } from './records.js';
import { runSetup } from './harness.js';

await runSetup(async () => {
  let lines = 0;
  let bytes = 0;
  const sink = {
    write(line: string): boolean {
      lines += 1;
      bytes += line.length;
      return true;
    },
  };
  const logger = pino({}, sink);
  return {
    log: (index) => logger.info(fieldsOf(index), MESSAGE),
    finish: () => Promise.resolve(),
    count: () => ({ lines, bytes, files: 0, cut: 0 }),
  };
});
