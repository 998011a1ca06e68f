/**
 * Uploads one file to WebHDFS with one client, in a process of its own so that
 * its peak RSS is its own. Prints `{"seconds": …, "maxRssMiB": …}`, or
 * `{"error": …}` when the client cannot do it.
 * Usage: node upload-client.js <ours|undici|webhdfs> <datanode|gateway> <file> <url> <path>
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

const [client, mode, file, namenode, path] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const user = 'bench';
const gateway = mode === 'gateway';

type Upload = () => Promise<void>;

// Each client loads only its own modules (before the clock starts), so that
// peak RSS is that client's.
async function withOurs(): Promise<Upload> {
  const { WebHdfsClient } = await import('hdfs-log-transport');
  return async () => {
    const hdfs = new WebHdfsClient({ namenodes: namenode, user, gateway });
    await hdfs.create(path, { path: file }, { overwrite: true });
    hdfs.close();
  };
}

/** A raw PUT of the file: to the gateway itself, or to where the NameNode redirects. */
async function withUndici(): Promise<Upload> {
  const { request } = await import('undici');
  return () => putWithUndici(request);
}

async function putWithUndici(request: typeof import('undici').request): Promise<void> {
  const base = `${namenode}/webhdfs/v1${path}?op=CREATE&overwrite=true&user.name=${user}`;
  let target = `${base}&data=true`;
  if (!gateway) {
    const located = await request(base, { method: 'PUT' });
    await located.body.dump();
    const location = located.headers.location;
    if (typeof location !== 'string')
      throw new Error(`no Location (${located.statusCode})`);
    target = location;
  }
  const { size } = await stat(file);
  const written = await request(target, {
    method: 'PUT',
    body: createReadStream(file),
    headers: {
      'content-length': String(size),
      'content-type': 'application/octet-stream',
    },
  });
  await written.body.dump();
  if (written.statusCode !== 201)
    throw new Error(`CREATE answered ${written.statusCode}`);
}

async function withWebhdfs(): Promise<Upload> {
  const { default: WebHDFS } = await import('webhdfs');
  return () => writeWithWebhdfs(WebHDFS);
}

async function writeWithWebhdfs(
  WebHDFS: typeof import('webhdfs').default,
): Promise<void> {
  const url = new URL(namenode);
  const hdfs = WebHDFS.createClient({
    user,
    host: url.hostname,
    port: url.port,
    path: '/webhdfs/v1',
  });
  await new Promise<void>((resolve, reject) => {
    const stream = hdfs.createWriteStream(path);
    stream.on('error', reject).on('finish', () => resolve());
    createReadStream(file).pipe(stream);
  });
}

const clients: Record<string, () => Promise<Upload>> = {
  ours: withOurs,
  undici: withUndici,
  webhdfs: withWebhdfs,
};
const prepare = clients[client];
if (prepare === undefined) throw new Error(`unknown client ${client}`);
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
