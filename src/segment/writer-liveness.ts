import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { isSocketListening } from './socket-probe.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Longest Unix socket path we bind: sockaddr_un holds 108 bytes on Linux, 104
 * on macOS, NUL included.
 */
const MAX_SOCKET_PATH = 100;

/**
 * A writer says it is alive by listening on a Unix socket named after its id:
 * while its process lives the kernel accepts connections on it, even when its
 * event loop is stalled, and once the process dies a connection is refused.
 * Neither a pid (every container's process is pid 1, and threads share one)
 * nor a heartbeat file's age (a stalled event loop looks dead) can tell that.
 *
 * Binding is synchronous, so a writer is announced before its first segment
 * file exists. Where the spool's path is too long for a socket, the socket
 * lives in the temporary directory and `<id>.path` in the spool points to it.
 */
export class WriterAnnouncement {
  readonly #server: net.Server;
  readonly #files: string[];

  private constructor(server: net.Server, files: string[]) {
    this.#server = server;
    this.#files = files;
  }

  static announce(writersDir: string, writerId: string): WriterAnnouncement {
    const socketPath = join(writersDir, `${writerId}.sock`);
    const files: string[] = [];
    let bindPath = socketPath;
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
      bindPath = join(tmpdir(), `hlt-${writerId}.sock`);
      const pointer = join(writersDir, `${writerId}.path`);
      writeFileSync(pointer, bindPath);
      files.push(pointer);
    }
    const server = net.createServer((socket) => socket.destroy());
    let bindError: Error | undefined;
    server.on('error', (error) => (bindError ??= error));
    // exclusive: in a node:cluster worker (pm2's cluster mode too) a plain
    // listen is handed to the primary, asynchronously, and the socket would
    // be the primary's; the writer's own process must hold it.
    server.listen({ path: bindPath, exclusive: true });
    if (!server.listening) {
      // Without its socket the writer would look dead and have its segments sealed.
      server.close();
      throw new Error(`cannot announce writer ${writerId} at ${bindPath}`, {
        cause: bindError,
      });
    }
    // The socket must never keep the application alive.
    server.unref();
    files.push(bindPath);
    return new WriterAnnouncement(server, files);
  }

  /** Withdraws the announcement: call only once the writer's segments are sealed. */
  withdraw(): void {
    this.#server.close();
    for (const file of this.#files) rmSync(file, { force: true });
  }
}

/**
 * Whether the writer with this id is alive. Only a refused connection or a
 * missing socket says "dead"; anything unexpected says "alive", because
 * sealing a live writer's segment would cut its lines in two.
 */
export async function isWriterAlive(
  writersDir: string,
  writerId: string,
): Promise<boolean> {
  return isSocketListening(await resolveSocketPath(writersDir, writerId));
}

async function resolveSocketPath(writersDir: string, writerId: string): Promise<string> {
  try {
    return (await readFile(join(writersDir, `${writerId}.path`), 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return join(writersDir, `${writerId}.sock`);
  }
}
