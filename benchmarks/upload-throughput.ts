/**
 * Scenario 3: upload throughput. The same sealed segments (64 MiB each, and
 * 1 MiB each for many small files) published to the dev WebHDFS server (its
 * own process) by our shipper, by raw PUTs (undici.request, curl -T) and by
 * the webhdfs npm client; each client in a process of its own, two files at
 * a time, the clients' order rotated round by round. Gateway mode (one
 * endpoint, HttpFS-like) is where undici can PUT; in DataNode mode (two steps,
 * as Hadoop does) undici cannot take the DataNode's unsolicited 100 Continue,
 * so curl is the raw PUT there.
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFailure, runNodeChild } from './lib/child.js';
import { startDevServer, type DevServer } from './lib/dev-server.js';
import { measureCommand } from './lib/rusage.js';
import { makeSegments, type SegmentSet } from './lib/segments.js';
import { median, medianRatio } from './lib/stats.js';
import { formatTable } from './lib/table.js';
import { atLeast, atMost, type TargetCheck } from './lib/targets.js';

const MIB = 1024 * 1024;
const LABELS = {
  shipper: 'hdfs-log-transport shipper (ours)',
  undici: 'undici.request (raw PUT)',
  curl: 'curl -T (raw PUT)',
  webhdfs: 'webhdfs npm 1.2.0',
} as const;
type Client = keyof typeof LABELS;
type Mode = 'datanode' | 'gateway';

interface Sample {
  readonly seconds: number;
  readonly maxRssMiB: number;
  readonly error?: string;
}

export interface UploadCase {
  readonly mode: Mode;
  readonly segmentMiB: number;
  readonly totalMiB: number;
  readonly rounds: number;
}

export interface UploadResult extends UploadCase {
  readonly scenario: 'upload';
  readonly clients: Partial<
    Record<Client, { mbPerSecond: number[]; maxRssMiB: number[] }>
  >;
  readonly ratioToRaw: number | undefined;
  readonly rawClient: Client;
  readonly table: string;
}

export async function measureUploads(
  cases: readonly UploadCase[],
): Promise<UploadResult[]> {
  const base = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  const results: UploadResult[] = [];
  try {
    const sets = new Map<number, SegmentSet>();
    for (const item of cases) {
      let set = sets.get(item.segmentMiB);
      if (set === undefined) {
        set = makeSegments(join(base, `segments-${item.segmentMiB}`), {
          count: Math.round(item.totalMiB / item.segmentMiB),
          bytesEach: item.segmentMiB * MIB,
          stream: 'bench',
        });
        sets.set(item.segmentMiB, set);
      }
      results.push(await measureCase(item, set, base));
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
  return results;
}

async function measureCase(item: UploadCase, set: SegmentSet, base: string) {
  const root = join(base, `hdfs-${item.mode}`);
  const server = await startDevServer(root, { gateway: item.mode === 'gateway' });
  const clients: Client[] =
    item.mode === 'gateway'
      ? ['shipper', 'undici', 'curl', 'webhdfs']
      : ['shipper', 'curl', 'webhdfs'];
  const samples = new Map<Client, Sample[]>(clients.map((client) => [client, []]));
  try {
    for (let round = 0; round < item.rounds; round++) {
      const order = clients.map(
        (_, i) => clients[(i + round) % clients.length] as Client,
      );
      for (const client of order) {
        const remoteDir = `/bench/${client}-${round}`;
        const spool = join(base, `spool-${client}-${round}`);
        let sample = await uploadOnce(client, item.mode, set, server, remoteDir, spool);
        if (sample.error === undefined) {
          const problem = await checkPublished(join(root, remoteDir), set);
          if (problem !== undefined) sample = { ...sample, error: problem };
        }
        samples.get(client)?.push(sample);
        await rm(join(root, remoteDir), { recursive: true, force: true });
        await rm(spool, { recursive: true, force: true });
      }
    }
  } finally {
    await server.stop();
  }
  return summarise(item, set, samples);
}

async function uploadOnce(
  client: Client,
  mode: Mode,
  set: SegmentSet,
  server: DevServer,
  remoteDir: string,
  spool: string,
): Promise<Sample> {
  if (client === 'curl') return uploadWithCurl(mode, set, server, remoteDir, spool);
  const args = [client, mode, set.dir, server.url, remoteDir, spool];
  const answer = await runNodeChild<Sample>('upload-client.js', args);
  return isFailure(answer)
    ? { seconds: Number.NaN, maxRssMiB: Number.NaN, ...answer }
    : answer;
}

/** One curl for all files (a config file of upload-file/url pairs), two at a time. */
async function uploadWithCurl(
  mode: Mode,
  set: SegmentSet,
  server: DevServer,
  remoteDir: string,
  spool: string,
): Promise<Sample> {
  const data = mode === 'gateway' ? '&data=true' : '';
  const config = set.names
    .map((name) => {
      const url =
        `${server.url}/webhdfs/v1${remoteDir}/${name}` +
        `?op=CREATE&overwrite=true&user.name=bench${data}`;
      return `upload-file = "${join(set.dir, name)}"\nurl = "${url}"\noutput = "/dev/null"\n`;
    })
    .join('');
  const file = `${spool}.curl`;
  await writeFile(file, config);
  try {
    const type = 'Content-Type: application/octet-stream';
    const argv = ['curl', '-sS', '-f', '-L', '-H', type, '--parallel'];
    const usage = await measureCommand([...argv, '--parallel-max', '2', '-K', file]);
    return { seconds: usage.seconds, maxRssMiB: usage.maxRssMiB };
  } catch (error) {
    return {
      seconds: Number.NaN,
      maxRssMiB: Number.NaN,
      error: (error as Error).message,
    };
  } finally {
    await rm(file, { force: true });
  }
}

/** Every segment must be on the server, whole, once. */
async function checkPublished(dir: string, set: SegmentSet): Promise<string | undefined> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter(
    (entry) => entry.isFile(),
  );
  let bytes = 0;
  for (const file of files) bytes += (await stat(join(file.parentPath, file.name))).size;
  const expected = set.names.length * set.bytesEach;
  if (files.length === set.names.length && bytes === expected) return undefined;
  return `${files.length} files, ${bytes} bytes on the server`;
}

function summarise(item: UploadCase, set: SegmentSet, samples: Map<Client, Sample[]>) {
  const bytes = set.names.length * set.bytesEach;
  const rate = (list: readonly Sample[]) => list.map((s) => bytes / 1e6 / s.seconds);
  const failed = (client: Client) => samples.get(client)?.find((s) => s.error)?.error;
  const rawClient: Client = item.mode === 'gateway' ? 'undici' : 'curl';
  const rawRates = rate(samples.get(rawClient) ?? []);
  const ratioOf = (client: Client) =>
    (failed(client) ?? failed(rawClient))
      ? undefined
      : medianRatio(rate(samples.get(client) ?? []), rawRates);
  const rows = [...samples.entries()].map(([client, list]) => {
    const failure = failed(client);
    if (failure !== undefined) return [LABELS[client], `fails: ${failure}`];
    const seconds = median(list.map((s) => s.seconds));
    const ratio = ratioOf(client);
    return [
      LABELS[client],
      median(rate(list)),
      set.names.length / seconds,
      median(list.map((s) => s.maxRssMiB)),
      ratio === undefined ? undefined : `${ratio.toFixed(2)}×`,
    ];
  });
  const headers = ['client', 'MB/s', 'segments/s', 'peak RSS MiB', `vs ${rawClient}`];
  const clients = Object.fromEntries(
    [...samples.entries()].map(([client, list]) => [
      client,
      { mbPerSecond: rate(list), maxRssMiB: list.map((s) => s.maxRssMiB) },
    ]),
  );
  return {
    scenario: 'upload' as const,
    ...item,
    clients,
    rawClient,
    ratioToRaw: ratioOf('shipper'),
    table: formatTable(headers, rows),
  };
}

/** Issue 6: ≥ 0.8× raw undici PUT (gateway mode); client RSS < 100 MiB for 1 GiB. */
export function uploadTargets(results: readonly UploadResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const result of results.filter((r) => r.mode === 'gateway')) {
    checks.push(
      atLeast(
        `upload of ${result.segmentMiB} MiB segments ≥ 0.8× raw undici PUT`,
        result.ratioToRaw,
        0.8,
      ),
    );
  }
  const rss = results
    .flatMap((r) => r.clients.shipper?.maxRssMiB ?? [])
    .filter(Number.isFinite);
  const total = Math.max(...results.map((r) => r.totalMiB));
  checks.push(
    atMost(
      `shipper peak RSS < 100 MiB publishing ${total} MiB (largest of all runs)`,
      rss.length === 0 ? undefined : Math.max(...rss),
      100,
      'MiB',
    ),
  );
  return checks;
}
