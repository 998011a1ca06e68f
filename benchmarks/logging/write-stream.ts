/**
 * Floor: the same bytes, serialized before the clock starts, written line by
 * line through one fs.createWriteStream. Like the loggers, the burst does not
 * wait for 'drain'; the stream batches what queues up (writev).
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { countLines } from '../lib/count-lines.js';
import { serializedLine } from './records.js';
import { onceEvent, runSetup } from './harness.js';

await runSetup(async ({ dir, records }) => {
  const time = Date.now();
  const lines = Array.from({ length: records }, (_, index) =>
    serializedLine(index, time),
  );
  const stream = createWriteStream(join(dir, 'app.log'));
  await onceEvent(stream, 'open');
  return {
    log: (index) => void stream.write(lines[index] as string),
    async finish() {
      const closed = onceEvent(stream, 'close');
      stream.end();
      await closed;
    },
    count: () => countLines(dir, (name) => name.endsWith('.log')),
  };
});
