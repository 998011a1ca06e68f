/**
 * The dev WebHDFS server in a process of its own (the package's `dev-hdfs`
 * CLI command), so that its CPU time is not the client's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(import.meta.resolve('hdfs-log-transport/package.json')).replace(
  /package\.json$/,
  'dist/src/cli/main.js',
);

export interface DevServer {
  /** NameNode (or gateway) URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** `host:port` of the URL, for `webhdfs://` destinations. */
  readonly authority: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** HttpFS-like: one endpoint, no redirect. @default false */
  readonly gateway?: boolean;
  /**
   * The server process's nice value. A remote cluster takes no CPU from the
   * application's host; at 19 the server here takes only what is left over.
   * @default 0
   */
  readonly nice?: number;
}

export async function startDevServer(
  root: string,
  options: DevServerOptions = {},
): Promise<DevServer> {
  const flags = options.gateway === true ? ['--gateway'] : [];
  const server = spawn(
    process.execPath,
    [CLI, 'dev-hdfs', '--port', '0', '--root', root, ...flags],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (options.nice !== undefined && server.pid !== undefined) {
    setPriority(server.pid, options.nice);
  }
  const url = await namenodeUrl(server);
  return {
    url,
    authority: new URL(url).host,
    async stop() {
      if (server.exitCode !== null) return;
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/** Reads the NameNode URL the server prints, and keeps draining its output. */
function namenodeUrl(server: ChildProcess): Promise<string> {
  const stdout = server.stdout;
  if (stdout === null) throw new Error('dev-hdfs has no stdout');
  return new Promise((resolve, reject) => {
    let output = '';
    stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /NameNode: (\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    server.once('exit', () => reject(new Error(`dev-hdfs exited: ${output}`)));
  });
}

/** A loopback port where nothing listens: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  probe.close();
  await once(probe, 'close');
  return port;
}
