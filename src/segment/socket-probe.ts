import net from 'node:net';

/**
 * Whether a process listens on the Unix socket at `path`: the liveness signal
 * of writers and of the spool's uploader. The kernel accepts a connection for
 * a live listener even while its event loop is stalled, and refuses it once
 * the process is gone. Only a refusal or a missing socket file says "no one";
 * anything unexpected says "someone", because treating a live process as dead
 * would seal its open segment or start a second uploader.
 */
export function isSocketListening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT');
    });
  });
}
