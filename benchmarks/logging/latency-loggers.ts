/**
 * The loggers of scenario 2, each ours: the shipper alone, winston +
 * HdfsTransport, and pino + our target. Each logs the records of
 * ./records.ts and exposes the shipper's events.
 */
import type { EventEmitter } from 'node:events';
import { once } from 'node:events';
import pino from 'pino';
import winston from 'winston';
import { createShipper, type HdfsLogOptions } from 'hdfs-log-transport';
import { MESSAGE, fieldsOf } from './records.js';
import { NOT_BUILT, loadPinoTarget } from './ours-options.js';
import { jsonFormat } from './winston-format.js';

export interface LatencyLogger {
  log(index: number): void;
  /** Where the shipper's `uploaded` events arrive. */
  readonly events: EventEmitter;
  /** Seals what was logged and stops, without waiting for the backlog. */
  close(): Promise<void>;
}

type Options = HdfsLogOptions & { destination: string };

export async function startLatencyLogger(
  setup: string,
  options: Options,
): Promise<LatencyLogger | string> {
  switch (setup) {
    case 'shipper':
      return startShipper(options);
    case 'winston':
      return startWinston(options);
    case 'pino':
      return startPino(options);
    default:
      return `unknown setup ${setup}`;
  }
}

function startShipper(options: Options): LatencyLogger {
  const shipper = createShipper(options);
  return {
    log: (index) => shipper.write(JSON.stringify({ ...fieldsOf(index), msg: MESSAGE })),
    events: shipper,
    close: () => shipper.close(),
  };
}

type HdfsTransportClass = new (options: Options) => winston.transport & {
  readonly shipper: EventEmitter;
};

async function startWinston(options: Options): Promise<LatencyLogger | string> {
  const module = (await import('hdfs-log-transport/winston')) as Record<string, unknown>;
  const HdfsTransport = module.HdfsTransport as HdfsTransportClass | undefined;
  if (typeof HdfsTransport !== 'function') return NOT_BUILT;
  const transport = new HdfsTransport(options);
  const logger = winston.createLogger({ format: jsonFormat(), transports: [transport] });
  return {
    log: (index) => logger.info(MESSAGE, fieldsOf(index)),
    events: transport.shipper,
    async close() {
      const finished = once(transport, 'finish');
      logger.end();
      await finished;
    },
  };
}

async function startPino(options: Options): Promise<LatencyLogger | string> {
  const missing = await loadPinoTarget();
  if (missing !== undefined) return missing;
  const transport = pino.transport({ target: 'hdfs-log-transport/pino', options });
  const logger = pino(transport);
  return {
    log: (index) => logger.info(fieldsOf(index), MESSAGE),
    // The target relays the shipper's events to the transport stream.
    events: transport,
    async close() {
      const finished = once(transport, 'finish');
      transport.end();
      await finished;
    },
  };
}
