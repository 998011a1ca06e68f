import { once } from 'node:events';
import { ERROR_EVENT, type HdfsPinoOptions } from '../pino.js';
import { HdfsTransport } from '../winston.js';
import { demoRecord, type TrafficSink } from './demo-traffic.js';
import type { DemoLoggers } from './load-loggers.js';
import { StreamProgress } from './stream-progress.js';

/** A logger of the demo, shipping through this package, with its counters. */
export interface DemoStream extends TrafficSink {
  readonly progress: StreamProgress;
  /**
   * Ends the logger the way its documentation says and resolves once every
   * line it took is sealed (and, with `upload.onClose`, publishing was tried).
   */
  close(): Promise<void>;
}

/** A winston logger with an `HdfsTransport`, JSON lines with a timestamp. */
export function openWinstonStream(
  { winston }: DemoLoggers,
  options: HdfsPinoOptions,
): DemoStream {
  const transport = new HdfsTransport(options);
  const progress = new StreamProgress(options.name ?? 'winston');
  progress.follow(transport.shipper, 'error');
  const { combine, timestamp, json } = winston.format;
  const logger = winston.createLogger({
    format: combine(timestamp(), json()),
    transports: [transport],
  });

  return {
    progress,
    log(seq) {
      logger.info('request done', demoRecord(progress.name, seq));
      progress.countLogged(1);
    },
    async close() {
      // winston: end the logger, then wait for the transport to finish.
      const finished = once(transport, 'finish');
      logger.end();
      await finished;
    },
  };
}

/**
 * A pino logger whose transport runs this package's pino target in pino's
 * worker thread; its events reach the transport stream here.
 */
export function openPinoStream(
  { pino }: DemoLoggers,
  options: HdfsPinoOptions,
): DemoStream {
  const transport = pino.transport({ target: 'hdfs-log-transport/pino', options });
  const progress = new StreamProgress(options.name ?? 'pino');
  progress.follow(transport, ERROR_EVENT);
  const logger = pino(transport);

  return {
    progress,
    log(seq) {
      logger.info(demoRecord(progress.name, seq), 'request done');
      progress.countLogged(1);
    },
    async close() {
      // pino: end() blocks this thread (Atomics.wait) until the worker has
      // taken everything; 'finish' follows once the target has closed.
      const finished = once(transport, 'finish');
      transport.end();
      await finished;
    },
  };
}
