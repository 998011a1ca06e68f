/**
 * A throwaway MIT Kerberos realm on loopback for the Kerberos tests: a KDC
 * database in a temporary directory, `krb5kdc` on a free port, principals
 * and keytabs made with `kadmin.local`. Tickets can be made to last two
 * seconds, so that expiry takes seconds; the clock-skew allowance is a few
 * seconds only, but not one: on a loaded machine a Kerberos token may take
 * more than a second from the client to the server's check, and a server
 * refuses one whose timestamp is further off than the allowance.
 *
 * Where Kerberos cannot be set up (no `krb5kdc`, no `kerberos` package) the
 * tests skip with one line saying why, unless HLT_REQUIRE_KERBEROS=1 (set by
 * .ci/run), which turns that into a failure.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REALM = 'HLT.TEST';

export interface TestRealm {
  readonly dir: string;
  /** Environment that points the Kerberos library at this realm. */
  readonly env: { KRB5_CONFIG: string; KRB5_KDC_PROFILE: string };
  /** The HTTP service keytab, for the dev server (`HTTP/127.0.0.1`). */
  readonly serviceKeytab: string;
  /** Adds a client principal (lifetime in seconds) and returns its keytab. */
  addClient(name: string, maxLifeSeconds?: number): Promise<string>;
  /**
   * `kinit` from a keytab into a new file ticket cache; returns `FILE:<path>`.
   * `renewableSeconds` asks for a renewable ticket.
   */
  kinit(principal: string, keytab: string, renewableSeconds?: number): Promise<string>;
  stop(): Promise<void>;
}

const SBIN = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Why Kerberos tests cannot run here, or undefined when they can. */
export async function kerberosUnavailable(): Promise<string | undefined> {
  for (const tool of ['krb5kdc', 'kdb5_util', 'kadmin.local', 'kinit']) {
    if (!(await findTool(tool)))
      return `${tool} not found (apt-get install krb5-kdc krb5-user)`;
  }
  try {
    const name = 'kerberos';
    await import(name);
  } catch (error) {
    return `the kerberos package does not load: ${String(error).split('\n')[0] ?? ''}`;
  }
  return undefined;
}

/** The `skip` option of a Kerberos test: a reason, or false; fails in CI instead. */
export async function kerberosSkip(): Promise<string | false> {
  const reason = await kerberosUnavailable();
  if (reason === undefined) return false;
  if (process.env.HLT_REQUIRE_KERBEROS === '1') {
    throw new Error(`Kerberos tests are required here but cannot run: ${reason}`);
  }
  console.log(`# skipping Kerberos tests: ${reason}`);
  return reason;
}

/**
 * The realm of a test file whose tests share one: registers the file's
 * `before` hook, which starts it (unless Kerberos tests are skipped here)
 * and hands it to `started` with the keytab of `client` when one is named,
 * and the `after` hook that stops it. Returns the tests' `skip` option.
 */
export async function useTestRealm(
  started: (realm: TestRealm, keytab: string) => void,
  client?: string,
): Promise<string | false> {
  const skip = await kerberosSkip();
  let realm: TestRealm | undefined;
  before(async () => {
    if (skip !== false) return;
    realm = await startTestRealm();
    started(realm, client === undefined ? '' : await realm.addClient(client));
  });
  after(async () => {
    await realm?.stop();
  });
  return skip;
}

/** Creates the realm and starts its KDC; sets KRB5_CONFIG for this process. */
export async function startTestRealm(): Promise<TestRealm> {
  const dir = await mkdtemp(join(tmpdir(), 'hlt-realm-'));
  const port = await freePort();
  const env = {
    KRB5_CONFIG: join(dir, 'krb5.conf'),
    KRB5_KDC_PROFILE: join(dir, 'kdc.conf'),
  };
  await writeFile(env.KRB5_CONFIG, krb5Conf(port));
  await writeFile(env.KRB5_KDC_PROFILE, kdcConf(dir, port));
  const tool = async (name: string, ...args: string[]) =>
    run((await findTool(name)) ?? name, args, { env: { ...process.env, ...env } });

  await tool('kdb5_util', 'create', '-s', '-r', REALM, '-P', 'throwaway-master-key');
  const kdc: ChildProcess = spawn((await findTool('krb5kdc')) ?? 'krb5kdc', ['-n'], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  await waitForPort(port);
  // Renewable tickets need a renewable ticket-granting service too.
  await tool(
    'kadmin.local',
    '-q',
    `modprinc -maxrenewlife "1 hour" krbtgt/${REALM}@${REALM}`,
  );
  // The agents and the shipper's worker inherit this.
  Object.assign(process.env, { KRB5_CONFIG: env.KRB5_CONFIG });

  const addPrincipal = async (principal: string, keytab: string, maxLife = 600) => {
    await tool(
      'kadmin.local',
      '-q',
      `addprinc -randkey -maxlife "${maxLife} seconds" -maxrenewlife "1 hour" ${principal}`,
    );
    await tool('kadmin.local', '-q', `ktadd -k ${keytab} ${principal}`);
    return keytab;
  };
  const serviceKeytab = await addPrincipal(
    `HTTP/127.0.0.1@${REALM}`,
    join(dir, 'http.keytab'),
  );
  let caches = 0;
  return {
    dir,
    env,
    serviceKeytab,
    addClient: (name, maxLife) =>
      addPrincipal(`${name}@${REALM}`, join(dir, `${name}.keytab`), maxLife),
    async kinit(principal, keytab, renewableSeconds) {
      const cache = `FILE:${join(dir, `cc-${++caches}`)}`;
      const renewable =
        renewableSeconds === undefined ? [] : ['-r', `${renewableSeconds}s`];
      await tool('kinit', '-k', '-t', keytab, ...renewable, '-c', cache, principal);
      return cache;
    },
    async stop() {
      kdc.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function krb5Conf(port: number): string {
  return `[libdefaults]
  default_realm = ${REALM}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  dns_canonicalize_hostname = false
  rdns = false
  clockskew = 4
  udp_preference_limit = 1
[realms]
  ${REALM} = {
    kdc = 127.0.0.1:${port}
  }
`;
}

function kdcConf(dir: string, port: number): string {
  return `[kdcdefaults]
  kdc_ports = ${port}
  kdc_tcp_ports = ${port}
[realms]
  ${REALM} = {
    database_name = ${join(dir, 'principal')}
    key_stash_file = ${join(dir, 'stash')}
    acl_file = ${join(dir, 'kadm5.acl')}
    max_life = 10m
    max_renewable_life = 1h
    supported_enctypes = aes256-cts-hmac-sha1-96:normal
    master_key_type = aes256-cts-hmac-sha1-96
  }
[logging]
  kdc = FILE:${join(dir, 'kdc.log')}
`;
}

async function findTool(name: string): Promise<string | undefined> {
  for (const dir of SBIN) {
    const path = join(dir, name);
    try {
      await access(path);
      return path;
    } catch {
      // Not in this directory; try the next.
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(20);
  }
  throw new Error(`the KDC did not listen on port ${port}`);
}
