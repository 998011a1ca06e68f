import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** What the dev server's worker thread tells the application's thread. */
export type DevHdfsFromWorker =
  | { readonly type: 'listening'; readonly url: string }
  | { readonly type: 'failed'; readonly message: string };

/** The dev WebHDFS server running on its own thread. */
export interface DevHdfsThread {
  /** The NameNode's URL, such as `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Stops the server and waits for its thread to end. */
  close(): Promise<void>;
}

const WORKER = new URL('./dev-hdfs-worker.js', import.meta.url);

/**
 * Starts the dev WebHDFS server on a worker thread, serving `root` as HDFS
 * `/` on a free port of 127.0.0.1. Rejects if it cannot listen.
 */
export async function startDevHdfsThread(root: string): Promise<DevHdfsThread> {
  const worker = new Worker(WORKER, { workerData: { root } });
  const exited = once(worker, 'exit');

  const [first] = (await Promise.race([
    once(worker, 'message'),
    exited.then(() => [{ type: 'failed', message: 'the server thread ended' }]),
  ])) as [DevHdfsFromWorker];
  if (first.type === 'failed') {
    await worker.terminate();
    throw new Error(`the dev WebHDFS server did not start: ${first.message}`);
  }

  let closeFailure: string | undefined;
  worker.on('message', (message: DevHdfsFromWorker) => {
    if (message.type === 'failed') closeFailure = message.message;
  });
  return {
    url: first.url,
    async close() {
      if (worker.threadId !== -1) worker.postMessage('close');
      await exited;
      if (closeFailure !== undefined) {
        throw new Error(`the dev WebHDFS server did not stop cleanly: ${closeFailure}`);
      }
    },
  };
}
