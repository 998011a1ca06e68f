/** Floor: winston with a transport that only counts what it receives. */
import winston from 'winston';
import TransportStream from 'winston-transport';
import { MESSAGE, fieldsOf } from './records.js';
import { runSetup } from './harness.js';
import { jsonFormat } from './winston-format.js';

const SERIALIZED = Symbol.for('message');

class CountingTransport extends TransportStream {
  lines = 0;
  bytes = 0;
  #onAll: (() => void) | undefined;
  #expected = Number.POSITIVE_INFINITY;

  override log(info: Record<symbol, unknown>, next: () => void): void {
    this.lines += 1;
    this.bytes += String(info[SERIALIZED]).length + 1;
    if (this.lines === this.#expected) this.#onAll?.();
    next();
  }

  received(expected: number): Promise<void> {
    this.#expected = expected;
    return new Promise((resolve) => (this.#onAll = resolve));
  }
}

await runSetup(async ({ records }) => {
  const transport = new CountingTransport();
  const logger = winston.createLogger({ format: jsonFormat(), transports: [transport] });
  const received = transport.received(records);
  return {
    log: (index) => logger.info(MESSAGE, fieldsOf(index)),
    async finish() {
      await received;
      const finished = new Promise((resolve) => transport.once('finish', resolve));
      logger.end();
      await finished;
    },
    count: () => ({ lines: transport.lines, bytes: transport.bytes, files: 0, cut: 0 }),
  };
});
