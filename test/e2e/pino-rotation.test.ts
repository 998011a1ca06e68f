/**
 * pino through the target in pino's worker, against the dev server:
 * segments rotated by size and by clock period, published, and read back
 * over HTTP with the `webhdfs` npm client.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import WebHDFS from 'webhdfs';
import type { SealedSegment } from '../../src/segment/open-segment.js';
import type { UploadedEvent } from '../../src/upload/uploader-events.js';
import { startTestServer } from '../dev-hdfs/fixture.js';
import {
  endPinoTransport,
  openPinoTransport,
  payloadsOf,
  recordRelayed,
  waitForRelayed,
} from '../helpers/pino-relay.js';
import { exactlyOnce } from '../helpers/published.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SEGMENT_BYTES = 2048;
const BATCHES = 3;
const BATCH_LINES = 150;

/** No time and no pid in the lines: the same calls give the same bytes. */
const LINE_OPTIONS: pino.LoggerOptions = { base: null, timestamp: false };

/** What pino writes for `calls`, taken from a second logger writing to memory. */
function linesOf(calls: (logger: pino.Logger) => void): string {
  let text = '';
  calls(pino(LINE_OPTIONS, { write: (line: string) => (text += line) }));
  return text;
}

/** Reads every file of `dir` over WebHDFS: name → content. */
async function readOverWebHdfs(serverUrl: string, dir: string) {
  const url = new URL(serverUrl);
  const client = WebHDFS.createClient({
    host: url.hostname,
    port: url.port,
    path: '/webhdfs/v1',
  });
  const call = <T>(action: (done: (error: Error | null, value: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      action((error, value) => (error ? reject(error) : resolve(value)));
    });
  const entries = await call<Array<{ pathSuffix: string; type: string }>>((done) =>
    client.readdir(dir, done),
  );
  const files = new Map<string, string>();
  for (const { pathSuffix: name } of entries.sort((a, b) =>
    a.pathSuffix.localeCompare(b.pathSuffix),
  )) {
    const content = await call<Buffer>((done) => client.readFile(`${dir}/${name}`, done));
    files.set(name, content.toString());
  }
  return files;
}

test('rotates by size and by period, and publishes every line once', async (t) => {
  const { server } = await startTestServer(t);
  const transport = openPinoTransport(t, {
    destination: `webhdfs://${new URL(server.url).host}/logs/{name}`,
    spoolDir: await makeTempDir(t, 'spool-'),
    rotate: { size: SEGMENT_BYTES, every: '1s' },
    upload: { interval: '100ms' },
  });
  const log = recordRelayed(transport);
  const logger = pino(LINE_OPTIONS, transport);
  const sealed = () => payloadsOf<SealedSegment>(log, 'sealed');

  // A batch, then wait until what is sealed adds up to it: the tail that no
  // size seals is sealed when the period ends, and the next batch starts on
  // an empty segment.
  const batches: string[] = [];
  for (let batch = 0; batch < BATCHES; batch++) {
    const writeBatch = (into: pino.Logger): void => {
      for (let id = batch * BATCH_LINES; id < (batch + 1) * BATCH_LINES; id++) {
        into.info({ id, batch }, 'rotated');
      }
    };
    const text = linesOf(writeBatch);
    const before = sealed().length;
    const sealedBytes = () =>
      sealed()
        .slice(before)
        .reduce((sum, segment) => sum + segment.bytes, 0);
    writeBatch(logger);
    await waitForRelayed(
      transport,
      `batch ${batch} sealed`,
      () => sealedBytes() >= Buffer.byteLength(text),
    );
    assert.equal(sealedBytes(), Buffer.byteLength(text), `batch ${batch}: sealed bytes`);
    assert.ok(sealed().length - before >= 3, 'sealed by size, then by the period');
    batches.push(text);
  }
  await waitForRelayed(transport, 'every sealed segment published', () => {
    const names = new Set(
      payloadsOf<UploadedEvent>(log, 'uploaded').map((event) => event.segment),
    );
    return sealed().every((segment) => names.has(segment.name));
  });
  await endPinoTransport(transport);

  const files = await readOverWebHdfs(server.url, '/logs/app');
  assert.deepEqual(
    [...files.keys()],
    sealed()
      .map((segment) => segment.name)
      .sort(),
    'the sealed segments, no temporary file',
  );
  for (const [name, content] of files) {
    const bytes = Buffer.byteLength(content);
    assert.ok(content.endsWith('\n') && bytes <= SEGMENT_BYTES, `${name}: ${bytes} B`);
    const lines = content.split('\n').filter(Boolean);
    const inBatches = new Set(
      lines.map((line) => (JSON.parse(line) as { batch: number }).batch),
    );
    assert.equal(inBatches.size, 1, `${name} holds one batch`);
  }
  const published = [...files.values()].join('');
  assert.equal(published, batches.join(''), 'the lines, in order, unchanged');
  const ids = published
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { id: number }).id);
  assert.equal(exactlyOnce(ids, BATCHES * BATCH_LINES), undefined);
});
