/**
 * Runs the benchmarks and prints their tables; writes the numbers as JSON to
 * benchmarks/results/ so that runs can be compared.
 * Usage: npm run bench [-- --quick]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.js';
import { measureUploads } from './upload-throughput.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick;
const machine = describeMachine();
process.stdout.write(`Machine: ${machine}\nMode: ${quick ? 'quick' : 'full'}\n\n`);

const fileMiB = quick ? 64 : 256;
const pairs = quick ? 3 : 7;
const scenarios = [];
for (const mode of ['datanode', 'gateway'] as const) {
  const where =
    mode === 'datanode' ? 'two steps through a DataNode' : 'an HttpFS-like gateway';
  process.stdout.write(
    `## Upload of one ${fileMiB} MiB file, ${where} (${pairs} rounds)\n\n`,
  );
  const upload = await measureUploads({ fileMiB, pairs, mode });
  process.stdout.write(`${upload.table}\n\n`);
  scenarios.push(upload);
}

const results = { date: new Date().toISOString(), machine, quick, scenarios };
const dir = new URL('../results/', import.meta.url);
await mkdir(dir, { recursive: true });
const file = new URL(`${results.date.replace(/[:.]/g, '-')}.json`, dir);
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`Results written to ${file.pathname}\n`);
