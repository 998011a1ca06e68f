import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { isSocketListening } from '../segment/socket-probe.js';

/**
 * A guard older than this belongs to a contender that died while taking over
 * (the guarded step takes milliseconds). Breaking a live guard by mistake
 * would at worst let two uploaders run for a while, which the publish
 * protocol tolerates; waiting long would leave a spool unpublished.
 */
const STALE_GUARD_MS = 5_000;

/** Longest Unix socket path bound as is (sockaddr_un: 108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;

/**
 * Exactly one uploader per spool. The lock is a Unix socket the holder listens
 * on (`<spool>/uploader.sock`): binding fails while the file exists, and a
 * refused connection says its holder died, whatever its event loop is doing.
 *
 * Taking over a dead holder's socket must not race with another contender
 * doing the same (both would unlink, and the second would unlink the first's
 * fresh socket): the unlink and bind happen under a guard directory that only
 * one process can create. Even if two uploaders ever ran, the publish
 * protocol would not publish a segment twice; the lock is about not doing
 * the work twice.
 */
export class UploaderLock {
  readonly #server: net.Server;
  readonly #path: string;

  private constructor(server: net.Server, path: string) {
    this.#server = server;
    this.#path = path;
  }

  /** The lock's socket: flush requests of other processes come in through it. */
  static socketPath(spoolDir: string): string {
    const path = join(spoolDir, 'uploader.sock');
    if (Buffer.byteLength(path) <= MAX_SOCKET_PATH) return path;
    // libuv silently cuts a longer path, and two spools could then share a lock.
    // Every process derives the same short name from the spool's real path.
    const digest = createHash('sha256').update(canonical(spoolDir)).digest('hex');
    return join(tmpdir(), `hlt-uploader-${digest.slice(0, 24)}.sock`);
  }

  /**
   * Takes the lock, or resolves `undefined` when a live uploader holds it.
   * `onConnection` serves the connections other processes make to the holder.
   */
  static async acquire(
    spoolDir: string,
    onConnection: (socket: net.Socket) => void = (socket) => socket.destroy(),
  ): Promise<UploaderLock | undefined> {
    const path = UploaderLock.socketPath(spoolDir);
    const bound = await bind(path, onConnection);
    if (bound !== undefined) return new UploaderLock(bound, path);
    if (await isSocketListening(path)) return undefined;

    const guard = join(spoolDir, 'uploader.sock.breaking');
    if (!takeGuard(guard)) return undefined;
    try {
      // Look again under the guard: another contender may have taken over meanwhile.
      if (await isSocketListening(path)) return undefined;
      rmSync(path, { force: true });
      const server = await bind(path, onConnection);
      return server === undefined ? undefined : new UploaderLock(server, path);
    } finally {
      rmSync(guard, { recursive: true, force: true });
    }
  }

  /** Gives the lock up; another uploader can take it at once. */
  release(): void {
    this.#server.close();
    rmSync(this.#path, { force: true });
  }
}

/** Binds the socket; `undefined` when the path is taken, an error for anything else. */
async function bind(
  path: string,
  onConnection: (socket: net.Socket) => void,
): Promise<net.Server | undefined> {
  const server = net.createServer(onConnection);
  const failed = new Promise<NodeJS.ErrnoException>((resolve) =>
    server.once('error', resolve),
  );
  // exclusive: in a node:cluster worker a plain listen goes through the
  // primary and never binds here (nor reports EADDRINUSE in time).
  server.listen({ path, exclusive: true });
  if (server.listening) {
    server.unref();
    return server;
  }
  // Binding a Unix socket is synchronous; its error is emitted on the next tick.
  const error = await failed;
  server.close();
  if (error.code === 'EADDRINUSE') return undefined;
  throw error;
}

function takeGuard(guard: string): boolean {
  try {
    mkdirSync(guard);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A contender died while holding the guard: clear it for the next try.
  const info = statSync(guard, { throwIfNoEntry: false });
  if (info !== undefined && Date.now() - info.mtimeMs > STALE_GUARD_MS) {
    rmSync(guard, { recursive: true, force: true });
  }
  return false;
}

/** The spool's real path when it exists (symlinks resolved), else its absolute path. */
function canonical(dir: string): string {
  try {
    return realpathSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return resolve(dir);
  }
}
