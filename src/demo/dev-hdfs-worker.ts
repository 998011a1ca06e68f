/**
 * The demo's dev WebHDFS server, on a worker thread of its own. pino's
 * `transport.end()` blocks the application's thread (Atomics.wait) until
 * the pino worker is done, and that worker publishes on close
 * (`upload.onClose`): a server on the blocked thread could not answer it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DevHdfsServer } from '../dev-hdfs/dev-hdfs-server.js';
import type { DevHdfsFromWorker } from './dev-hdfs-thread.js';

const port = parentPort;
if (port === null) throw new Error('dev-hdfs-worker.js runs as a worker thread');
const { root } = workerData as { root: string };

const post = (message: DevHdfsFromWorker): void => port.postMessage(message);

try {
  const server = await DevHdfsServer.start({ root, port: 0 });
  // One message from the application's thread means "stop"; once closed,
  // nothing holds this thread and it ends.
  port.once('message', () => {
    server.close().then(
      () => port.close(),
      (error: unknown) => {
        post({ type: 'failed', message: String(error) });
        port.close();
      },
    );
  });
  post({ type: 'listening', url: server.url });
} catch (error) {
  post({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
  });
  port.close();
}
