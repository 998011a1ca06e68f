/**
 * Upload throughput: the same file sent to the same dev WebHDFS server (its own
 * process) by our client (node:http), undici.request, curl and the webhdfs npm
 * client, each in a process of its own, interleaved run by run. Two server
 * modes: two-step through a DataNode (as Hadoop's NameNode and DataNode do) and
 * a one-endpoint gateway (HttpFS-like), where a raw PUT needs no redirect.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median, medianRatio } from './lib/stats.js';
import { formatTable } from './lib/table.js';

const run = promisify(execFile);
const MIB = 1024 * 1024;
const CLIENT = fileURLToPath(new URL('upload-client.js', import.meta.url));
const CLI = fileURLToPath(import.meta.resolve('hdfs-log-transport/package.json')).replace(
  /package\.json$/,
  'dist/src/cli/main.js',
);
const CLIENTS = ['ours', 'undici', 'curl', 'webhdfs'] as const;
type Client = (typeof CLIENTS)[number];

interface Sample {
  seconds: number;
  maxRssMiB: number;
  error?: string;
}
type Mode = 'datanode' | 'gateway';

export interface UploadResult {
  scenario: 'upload';
  mode: Mode;
  fileMiB: number;
  pairs: number;
  clients: Record<Client, { mbPerSecond: number[]; maxRssMiB: number[] }>;
  table: string;
}

export async function measureUploads(options: {
  fileMiB: number;
  pairs: number;
  mode: Mode;
}) {
  const dir = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  const flags = options.mode === 'gateway' ? ['--gateway'] : [];
  const root = join(dir, 'hdfs');
  const server = spawn(
    process.execPath,
    [CLI, 'dev-hdfs', '--port', '0', '--root', root, ...flags],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const namenode = await namenodeUrl(server);
    const file = join(dir, 'segment.log');
    await writeFile(file, Buffer.alloc(options.fileMiB * MIB, 'x'));

    const samples = Object.fromEntries(CLIENTS.map((client) => [client, [] as Sample[]]));
    for (let pair = 0; pair < options.pairs; pair++) {
      // Rotate the order so that no client always runs right after the same one.
      const order = CLIENTS.map(
        (_, index) => CLIENTS[(index + pair) % CLIENTS.length] as Client,
      );
      for (const client of order) {
        const path = `/bench/${client}-${pair}`;
        const sample = await uploadOnce(client, options.mode, file, namenode, path);
        samples[client]?.push(sample);
        await rm(join(dir, 'hdfs', 'bench', `${client}-${pair}`), { force: true });
      }
    }
    return summarise(options, samples as Record<Client, Sample[]>);
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads the NameNode URL the server prints, and keeps draining its output. */
async function namenodeUrl(server: ReturnType<typeof spawn>): Promise<string> {
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

async function uploadOnce(
  client: Client,
  mode: Mode,
  file: string,
  namenode: string,
  path: string,
) {
  if (client === 'curl') return uploadWithCurl(file, mode, namenode, path);
  const { stdout } = await run(process.execPath, [
    CLIENT,
    client,
    mode,
    file,
    namenode,
    path,
  ]);
  return JSON.parse(stdout) as Sample;
}

/** curl's peak RSS comes from getrusage(RUSAGE_CHILDREN) of a small Python parent. */
async function uploadWithCurl(file: string, mode: Mode, namenode: string, path: string) {
  const data = mode === 'gateway' ? '&data=true' : '';
  const url = `${namenode}/webhdfs/v1${path}?op=CREATE&overwrite=true&user.name=bench${data}`;
  const script = [
    'import resource, subprocess, sys, time, json',
    't = time.monotonic()',
    'subprocess.run(sys.argv[1:], check=True)',
    'seconds = time.monotonic() - t',
    'rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024',
    'print(json.dumps({"seconds": seconds, "maxRssMiB": rss}))',
  ].join('\n');
  const type = 'Content-Type: application/octet-stream';
  const curl = [
    'curl',
    '-sS',
    '-f',
    '-L',
    '-H',
    type,
    '-T',
    file,
    '-o',
    '/dev/null',
    url,
  ];
  const { stdout } = await run('python3', ['-c', script, ...curl]);
  return JSON.parse(stdout) as Sample;
}

const LABELS: Record<Client, string> = {
  ours: 'hdfs-log-transport (node:http)',
  undici: 'undici.request (raw PUT)',
  curl: 'curl -T (raw PUT)',
  webhdfs: 'webhdfs npm 1.2.0',
};

function summarise(
  options: { fileMiB: number; pairs: number; mode: Mode },
  samples: Record<Client, Sample[]>,
): UploadResult {
  const bytes = options.fileMiB * MIB;
  const rate = (list: Sample[]) =>
    list.map((sample) =>
      sample.error === undefined ? bytes / 1e6 / sample.seconds : Number.NaN,
    );
  const failed = (client: Client) =>
    samples[client].find((sample) => sample.error)?.error;
  // undici cannot take the DataNode's unsolicited 100 Continue; curl is the raw PUT then.
  const baseline: Client = failed('undici') === undefined ? 'undici' : 'curl';
  const baseRates = rate(samples[baseline]);
  const rows = CLIENTS.map((client) => {
    const failure = failed(client);
    if (failure !== undefined)
      return [LABELS[client], `fails: ${failure}`, undefined, undefined];
    const rates = rate(samples[client]);
    const rss = median(samples[client].map((sample) => sample.maxRssMiB));
    return [LABELS[client], median(rates), rss, medianRatio(rates, baseRates)];
  });
  const headers = [
    'client',
    'MB/s (median)',
    'peak RSS MiB',
    `vs ${baseline} (median of pairs)`,
  ];
  const clients = Object.fromEntries(
    CLIENTS.map((client) => {
      const rss = samples[client].map((sample) => sample.maxRssMiB);
      return [client, { mbPerSecond: rate(samples[client]), maxRssMiB: rss }];
    }),
  ) as UploadResult['clients'];
  return { scenario: 'upload', ...options, clients, table: formatTable(headers, rows) };
}
