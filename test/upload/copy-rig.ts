/**
 * Set-up shared by the copy job tests: a dev server on port 0, a directory
 * of "other programs'" log files and a state directory owned by the test, a
 * manager stopped when the test ends, its events recorded, and bounded
 * waits for the events a test expects next (never a guessed sleep).
 */
import diagnostics from 'node:diagnostics_channel';
import type { EventEmitter } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { TestContext } from 'node:test';
import { CopyUploadError } from '../../src/errors.js';
import type {
  CopyCycleEvent,
  CopyEvents,
  CopySkippedEvent,
  CopyUploadedEvent,
} from '../../src/upload/copy-events.js';
import { createCopyManager, type CopyManager } from '../../src/upload/copy-manager.js';
import type { CopyJobOptions } from '../../src/upload/copy-options.js';
import { startTestServer, type TestServer } from '../dev-hdfs/fixture.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { waitForEmitted, type WaitOptions } from '../helpers/wait-for-emitted.js';

const UPLOAD_START = 'hdfs-log-transport:upload:start';

/** Everything a manager reported, by kind, in order. */
export interface CopyEventLog {
  readonly uploaded: CopyUploadedEvent[];
  readonly skipped: CopySkippedEvent[];
  readonly cycles: CopyCycleEvent[];
  readonly errors: CopyUploadError[];
  readonly jobErrors: Error[];
}

export interface CopyRig {
  readonly server: TestServer['server'];
  /** The dev server's root: `logs/<job>/…` holds what was published. */
  readonly root: string;
  /** The local directory the "other programs" write into. */
  readonly logs: string;
  readonly stateDir: string;
  readonly manager: CopyManager;
  readonly events: CopyEventLog;
  /** Job options with short intervals, a WebHDFS destination per job, overridable. */
  readonly job: (
    overrides: Partial<CopyJobOptions> & Pick<CopyJobOptions, 'patterns'>,
  ) => CopyJobOptions;
  /** A new manager over the same state directory (a restart), stopped after the test. */
  readonly restart: () => { manager: CopyManager; events: CopyEventLog };
}

/** What a test may change about the rig's managers. */
export interface CopyRigOptions {
  /** The managers' clock. @default Date.now */
  readonly now?: () => number;
}

export async function startCopyRig(
  t: TestContext,
  options: CopyRigOptions = {},
): Promise<CopyRig> {
  // Registered first, so it runs first: jobs stop before their server and
  // directories go (after hooks run in the order they were added).
  const managers: CopyManager[] = [];
  t.after(() => Promise.all(managers.map((one) => one.stopAllCopies({ timeout: 0 }))));
  const { server, root } = await startTestServer(t);
  const logs = await makeTempDir(t, 'copy-logs-');
  const stateDir = await makeTempDir(t, 'copy-state-');
  const open = () => {
    const manager = createCopyManager({ stateDir, ...options });
    managers.push(manager);
    return { manager, events: recordCopyEvents(manager) };
  };
  const first = open();
  return {
    server,
    root,
    logs,
    stateDir,
    ...first,
    job: (overrides) => ({
      destination: `webhdfs://${new URL(server.url).host}/logs/{name}`,
      user: 'alice',
      interval: 50,
      quietPeriod: 100,
      retries: 2,
      retryDelay: 10,
      maxRetryDelay: 50,
      ...overrides,
    }),
    restart: open,
  };
}

/** Starts recording; the `error` listener also makes the manager emit errors. */
export function recordCopyEvents(manager: CopyManager): CopyEventLog {
  const log: CopyEventLog = {
    uploaded: [],
    skipped: [],
    cycles: [],
    errors: [],
    jobErrors: [],
  };
  manager.on('uploaded', (event) => log.uploaded.push(event));
  manager.on('skipped', (event) => log.skipped.push(event));
  manager.on('cycle', (event) => log.cycles.push(event));
  manager.on('error', (error) => {
    if (error instanceof CopyUploadError) log.errors.push(error);
    else log.jobErrors.push(error);
  });
  return log;
}

type Payload<K extends keyof CopyEvents> = CopyEvents[K][0];

/** {@link waitForEmitted} on a copy manager, typed by event name. */
export function waitForCopyEvents<K extends keyof CopyEvents>(
  manager: CopyManager,
  name: K,
  what: string,
  options: WaitOptions<Payload<K>> = {},
): Promise<Payload<K>[]> {
  // EventEmitter's typings cannot follow a generic event name to its listener.
  return waitForEmitted(manager as EventEmitter, name, what, options);
}

/** Waits for a run of `job` that found nothing left to copy. */
export function waitForSettledCycle(
  manager: CopyManager,
  job: string,
  timeoutMs = 10_000,
): Promise<Payload<'cycle'>[]> {
  return waitForCopyEvents(manager, 'cycle', `a settled run of ${job}`, {
    accept: (cycle) => cycle.job === job && cycle.pending === 0 && cycle.failed === 0,
    timeoutMs,
  });
}

/** The visible files under `<root>/logs/<job>`, relative to it, with their content. */
export async function readCopies(
  root: string,
  job: string,
): Promise<Map<string, string>> {
  const dir = join(root, 'logs', job);
  const copies = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return copies;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const path = join(entry.parentPath, entry.name);
    copies.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return new Map([...copies].sort(([a], [b]) => a.localeCompare(b)));
}

/** `count` numbered lines starting at `from`, each ending in a newline. */
export function lines(from: number, count: number, tag = 'line'): string {
  let text = '';
  for (let i = from; i < from + count; i++) text += `${tag} ${i}\n`;
  return text;
}

/** Runs `action` once, as the next attempt to publish anything starts. */
export function whenNextUploadStarts(action: () => void): void {
  diagnostics.subscribe(UPLOAD_START, function once() {
    diagnostics.unsubscribe(UPLOAD_START, once);
    action();
  });
}
