/**
 * Keeps a ticket cache's ticket-granting ticket fresh, as Hadoop's client
 * does for a login from a ticket cache (UserGroupInformation's renewal
 * thread): once 80% of the ticket's life has passed, `kinit -R` renews it, as
 * long as it is renewable. A ticket that is not renewable, or past its
 * renewal limit, is left to whatever filled the cache; uploads then fail with
 * ERR_KERBEROS once it has expired, and the segments wait.
 *
 * The ticket's times come from MIT's `klist`, run with LC_ALL=C and TZ=UTC so
 * that they read `MM/DD/YY HH:MM:SS` in UTC. Nothing here throws: a missing
 * `klist` or `kinit`, an empty cache or an answer that cannot be read only
 * means no renewal, and another look a minute later.
 */
import { execFile } from 'node:child_process';
import { debuglog, promisify } from 'node:util';

const debug = debuglog('hdfs-log-transport');
const execFileAsync = promisify(execFile);

/** The ticket-granting ticket's times, in epoch milliseconds. */
export interface TgtTimes {
  readonly start: number;
  readonly end: number;
  /** Absent when the ticket is not renewable. */
  readonly renewUntil?: number;
}

/** Renew once this share of the ticket's life has passed (Hadoop's ratio). */
const RENEW_AT = 0.8;
/** A look when nothing better is known: no ticket, or one that cannot be renewed. */
const RETRY_MS = 60_000;
/** klist's times have whole seconds; looking more often than this learns nothing. */
const MIN_DELAY_MS = 1_000;

const TIME = String.raw`(\d\d)/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d)`;
const TGT_LINE = new RegExp(String.raw`^${TIME}\s+${TIME}\s+krbtgt/`);
const RENEW_LINE = new RegExp(String.raw`^\s+renew until ${TIME}`);

/** The TGT's times in `klist` output (LC_ALL=C, TZ=UTC), or undefined. */
export function readTgtTimes(output: string): TgtTimes | undefined {
  const lines = output.split('\n');
  for (const [index, line] of lines.entries()) {
    const match = TGT_LINE.exec(line);
    if (match === null) continue;
    const start = utc(match.slice(1, 7));
    const end = utc(match.slice(7, 13));
    const renew = RENEW_LINE.exec(lines[index + 1] ?? '');
    return renew === null
      ? { start, end }
      : { start, end, renewUntil: utc(renew.slice(1, 7)) };
  }
  return undefined;
}

function utc(fields: readonly (string | undefined)[]): number {
  const [month = 1, day = 1, year = 0, hour = 0, minute = 0, second = 0] =
    fields.map(Number);
  return Date.UTC(2000 + year, month - 1, day, hour, minute, second);
}

/**
 * When to look again after finding `times` at `now`, and whether to renew
 * first. Pure: the renewer's whole policy.
 */
export function planRenewal(
  times: TgtTimes | undefined,
  now: number,
): { readonly renew: boolean; readonly delayMs: number } {
  if (times === undefined) return { renew: false, delayMs: RETRY_MS };
  const renewAt = times.start + RENEW_AT * (times.end - times.start);
  const renewable =
    times.renewUntil !== undefined && times.renewUntil > times.end && times.end > now;
  if (now < renewAt)
    return { renew: false, delayMs: Math.max(MIN_DELAY_MS, renewAt - now) };
  if (renewable) return { renew: true, delayMs: MIN_DELAY_MS };
  // Not ours to renew: look again in case whatever fills the cache has.
  return { renew: false, delayMs: RETRY_MS };
}

export type RunTool = (command: string, args: readonly string[]) => Promise<string>;

/** Runs an MIT Kerberos tool with the C locale and UTC times; resolves with its stdout. */
export const runKerberosTool: RunTool = async (command, args) => {
  const env = { ...process.env, LC_ALL: 'C', TZ: 'UTC' };
  const { stdout } = await execFileAsync(command, [...args], { env, timeout: 10_000 });
  return stdout;
};

export interface RenewerOptions {
  /** The cache (`FILE:/path`, …); undefined for KRB5CCNAME or the default. */
  readonly cache: string | undefined;
  /** @default runKerberosTool */
  readonly run?: RunTool;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Renews a ticket cache's TGT in the background; its timer never keeps the process alive. */
export class TicketCacheRenewer {
  readonly #cacheArgs: readonly string[];
  readonly #run: RunTool;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #started = false;
  #stopped = false;

  constructor(options: RenewerOptions) {
    this.#cacheArgs = options.cache === undefined ? [] : ['-c', options.cache];
    this.#run = options.run ?? runKerberosTool;
    this.#now = options.now ?? Date.now;
  }

  /** Starts looking after the cache; later calls do nothing. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    this.#schedule(0);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** Looks at the cache once, renews if it is time; resolves with the delay to the next look. */
  async check(): Promise<number> {
    const plan = planRenewal(await this.#read(), this.#now());
    if (!plan.renew) return plan.delayMs;
    try {
      await this.#run('kinit', ['-R', ...this.#cacheArgs]);
      debug('renewed the ticket cache %s', this.#cacheArgs[1] ?? '(default)');
    } catch (error) {
      debug('kinit -R failed: %s', (error as Error).message);
      return RETRY_MS;
    }
    return planRenewal(await this.#read(), this.#now()).delayMs;
  }

  async #read(): Promise<TgtTimes | undefined> {
    try {
      return readTgtTimes(await this.#run('klist', this.#cacheArgs));
    } catch {
      return undefined;
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.check().then((next) => this.#schedule(next));
    }, delayMs).unref();
  }
}
