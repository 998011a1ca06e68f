import net from 'node:net';
import type { ErrorInfo } from './uploader-events.js';

/** What the spool's uploader answers a flush request with. */
export interface RemoteCycle {
  readonly published: number;
  readonly pendingSegments: number;
  readonly failures: ReadonlyArray<readonly [string, ErrorInfo]>;
}

const REQUEST = 'flush\n';
/** A request line is one short word; anything longer is not one of ours. */
const MAX_REQUEST_BYTES = 64;

/**
 * Serves flush requests on the uploader's lock socket: a process whose
 * uploader does not hold the spool asks the one that does to run now, so that
 * `flush()` publishes from any writer of a shared spool. A liveness probe
 * connects and leaves without a word; it gets nothing.
 */
export function serveFlushRequests(run: () => Promise<RemoteCycle>) {
  return (socket: net.Socket): void => {
    let received = '';
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received.length > MAX_REQUEST_BYTES) socket.destroy();
      if (received !== REQUEST) return;
      run().then(
        (cycle) => socket.end(`${JSON.stringify(cycle)}\n`),
        () => socket.destroy(),
      );
    });
  };
}

/**
 * Asks the uploader holding the spool to run now and waits for its answer.
 * Resolves `undefined` when no uploader listens (it died: take over instead);
 * rejects when it went away in the middle of the run.
 */
export function requestFlush(socketPath: string): Promise<RemoteCycle | undefined> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let answer = '';
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      socket.write(REQUEST);
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const gone = error.code === 'ECONNREFUSED' || error.code === 'ENOENT';
      if (!connected && gone) resolve(undefined);
      else reject(error);
    });
    socket.once('close', (hadError) => {
      if (hadError) return;
      try {
        resolve(JSON.parse(answer) as RemoteCycle);
      } catch {
        reject(new Error('the spool uploader went away before answering'));
      }
    });
  });
}
