/**
 * Publishes every segment of a directory to WebHDFS with one client, in a
 * process of its own so that its peak RSS is its own. Every client sends two
 * files at a time, as the shipper does by default (`upload.concurrency`).
 * Prints `{"seconds": …, "maxRssMiB": …}`, or `{"error": …}`.
 * Usage: node upload-client.js <shipper|undici|webhdfs> <datanode|gateway>
 *   <segmentsDir> <namenodeUrl> <remoteDir> <spoolDir>
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { linkSegments } from './lib/segments.js';

const [client, mode, segmentsDir, namenode, remoteDir, spoolDir] = process.argv.slice(
  2,
) as [string, string, string, string, string, string];
const user = 'bench';
const gateway = mode === 'gateway';
const CONCURRENCY = 2;
const names = readdirSync(segmentsDir).sort();

type Upload = () => Promise<void>;

/** Runs `task` on every name, `CONCURRENCY` at a time. */
async function forEachFile(task: (name: string) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < names.length) await task(names[next++] as string);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/**
 * Ours: the segments wait in the spool's ready/ (hard links, made before the
 * clock starts); the clock covers creating the shipper, whose uploader
 * publishes them (CREATE to a hidden name, RENAME, length check, journal),
 * and flush() resolving once none is left.
 */
async function withShipper(): Promise<Upload> {
  const { createShipper } = await import('hdfs-log-transport');
  linkSegments({ dir: segmentsDir, names, bytesEach: 0 }, join(spoolDir, 'ready'));
  return async () => {
    const shipper = createShipper({
      destination: `webhdfs://${new URL(namenode).host}${remoteDir}/{name}`,
      spoolDir,
      user,
      webhdfs: { gateway },
      upload: { interval: '1h' },
      maxSpoolBytes: '8GiB',
    });
    await shipper.flush();
    await shipper.close();
  };
}

/** A raw PUT of each file: to the gateway itself, or where the NameNode redirects. */
async function withUndici(): Promise<Upload> {
  const { request } = await import('undici');
  const put = async (name: string) => {
    const base =
      `${namenode}/webhdfs/v1${remoteDir}/${name}` +
      `?op=CREATE&overwrite=true&user.name=${user}`;
    let target = `${base}&data=true`;
    if (!gateway) {
      const located = await request(base, { method: 'PUT' });
      await located.body.dump();
      const location = located.headers.location;
      if (typeof location !== 'string')
        throw new Error(`no Location (${located.statusCode})`);
      target = location;
    }
    const file = join(segmentsDir, name);
    const written = await request(target, {
      method: 'PUT',
      body: createReadStream(file),
      headers: {
        'content-length': String(statSync(file).size),
        'content-type': 'application/octet-stream',
      },
    });
    await written.body.dump();
    if (written.statusCode !== 201)
      throw new Error(`CREATE answered ${written.statusCode}`);
  };
  return () => forEachFile(put);
}

async function withWebhdfs(): Promise<Upload> {
  const { default: WebHDFS } = await import('webhdfs');
  const url = new URL(namenode);
  const hdfs = WebHDFS.createClient({
    user,
    host: url.hostname,
    port: url.port,
    path: '/webhdfs/v1',
  });
  const write = (name: string) =>
    new Promise<void>((resolve, reject) => {
      const stream = hdfs.createWriteStream(`${remoteDir}/${name}`);
      stream.on('error', reject).on('finish', () => resolve());
      createReadStream(join(segmentsDir, name)).pipe(stream);
    });
  return () => forEachFile(write);
}

const clients: Record<string, () => Promise<Upload>> = {
  shipper: withShipper,
  undici: withUndici,
  webhdfs: withWebhdfs,
};
const prepare = clients[client];
if (prepare === undefined) throw new Error(`unknown client ${client}`);
// Each client loads only its own modules, before the clock starts.
const upload = await prepare();

const started = process.hrtime.bigint();
try {
  await upload();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ seconds, maxRssMiB })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
}
process.exit(0);
