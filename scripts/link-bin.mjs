// `npx hdfs-log-transport` looks in node_modules/.bin, where npm links the bins of
// dependencies but never the project's own. After a build of a checkout, link ours
// there, so that the command works in a clone right after `npm ci`. Part of every
// build: a fresh dist/src/cli/main.js is written without its executable bit.
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'src', 'cli', 'main.js');
const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'hdfs-log-transport');

if (!existsSync(target)) {
  throw new Error(`${target} is missing: run the build first`);
}
chmodSync(target, 0o755);
mkdirSync(binDir, { recursive: true });
rmSync(link, { force: true });
symlinkSync(relative(binDir, target), link);
