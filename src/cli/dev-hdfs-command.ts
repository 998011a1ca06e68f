import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DevHdfsServer } from '../dev-hdfs/dev-hdfs-server.js';
import { startDevHdfsHaPair } from '../dev-hdfs/ha-pair.js';
import { CliUsageError } from './cli-error.js';
import type { Command } from './main.js';
import { parsePort, parseFaultFlags, parseProxyUserFlags } from './dev-hdfs-flags.js';
import { parseSecurityFlags } from './dev-hdfs-security-flags.js';

const help = `Usage: hdfs-log-transport dev-hdfs [options]

Runs a local WebHDFS-compatible server (a NameNode and a DataNode role on two
ports) that stores files in a local directory. For development, tests and
demos only: production points at a real HDFS cluster.

Options:
  --root DIR            directory served as HDFS "/" (default: a new temporary directory)
  --port N              NameNode port; 0 picks a free one (default: 9870)
  --datanode-port N     DataNode port; 0 picks a free one (default: 0)
  --host ADDR           address to listen on (default: 127.0.0.1)
  --gateway             behave like HttpFS: one endpoint, no redirect to a DataNode
  --ha                  start an HA pair over the same root: an active and a standby NameNode
  --standby-port N      port of the standby NameNode with --ha (default: 0)
  --admin-port N        serve GET/PUT /faults and PUT /ha?state=… on this port (0: free port)
  --fault NAME[=VALUE]  inject a fault from the start; repeatable. NAME is one of:
                        refuse, reset-upload[=BYTES], reject-after-continue[=EXCEPTION],
                        delay=MS, unavailable[=COUNT], safe-mode, quota=BYTES,
                        hold-lease=PATH, deny-write=PATH, namenode-exception=CLASS,
                        standby
  --proxy-user PROXY=USER[,USER...]
                        let PROXY act for these users with doas (PROXY=* for anyone);
                        repeatable. Without it, every doas is allowed
  --tls-cert FILE       serve HTTPS (NameNode and DataNode) with this PEM certificate
  --tls-key FILE        the PEM private key of --tls-cert
  --tls-client-ca FILE  require client certificates signed by this PEM CA
  --kerberos-keytab FILE
                        require Kerberos (SPNEGO or a delegation token), accepting
                        the HTTP/<host> service key of this keytab
  --kerberos-principal HTTP/HOST
                        the service principal to accept (default: any in the keytab)
  --basic-auth-file FILE
                        require a login (Authorization: Basic), as Apache Knox does,
                        from "user:password" lines; the login names the user
  -h, --help            show this help

It prints the NameNode URL and runs until SIGINT or SIGTERM.

Examples:
  hdfs-log-transport dev-hdfs --root /tmp/hdfs --port 9870
  hdfs-log-transport dev-hdfs --port 0 --fault safe-mode --admin-port 0
  hdfs-log-transport dev-hdfs --ha --root /tmp/hdfs
  hdfs-log-transport dev-hdfs --port 9871 --tls-cert nn.pem --tls-key nn-key.pem
  hdfs-log-transport dev-hdfs --kerberos-keytab /etc/security/keytabs/http.keytab
  hdfs-log-transport dev-hdfs --gateway --basic-auth-file logins.txt
`;

export const devHdfsCommand: Command = {
  summary: 'run a local WebHDFS-compatible server for development and tests',
  help,
  async run(args) {
    const { values } = parseCommandLine(args);
    // Listening before the URL is printed: whoever reads the URL may signal at
    // once, and a signal with no listener yet would kill the process outright.
    const stopped = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    const root =
      values.root === undefined
        ? await mkdtemp(join(tmpdir(), 'dev-hdfs-'))
        : resolve(values.root);
    const { faults, standby } = parseFaultFlags(values.fault ?? []);
    const proxyUsers = parseProxyUserFlags(values['proxy-user'] ?? []);
    const security = parseSecurityFlags(values);
    if (values.ha === true && security.kerberos !== undefined) {
      // Hadoop's NameNodes share delegation tokens through the edit log; two
      // dev servers would each trust only their own.
      throw new CliUsageError(
        '--ha does not take --kerberos-keytab: the two NameNodes would not share delegation tokens',
      );
    }
    const common = {
      root,
      host: values.host ?? '127.0.0.1',
      dataNodePort: parsePort(values['datanode-port'] ?? '0', '--datanode-port'),
      gateway: values.gateway ?? false,
      faults,
      ...(proxyUsers === undefined ? {} : { proxyUsers }),
    } as const;
    const port = parsePort(values.port ?? '9870', '--port');
    const adminPort =
      values['admin-port'] === undefined
        ? undefined
        : parsePort(values['admin-port'], '--admin-port');

    const closers: Array<() => Promise<void>> = [];
    let admin: string | undefined;
    if (values.ha === true) {
      const pair = await startDevHdfsHaPair({
        ...common,
        port,
        standbyPort: parsePort(values['standby-port'] ?? '0', '--standby-port'),
        ...security,
        ...(adminPort === undefined ? {} : { adminPort }),
      });
      closers.push(() => pair.close());
      admin = pair.nn1.adminUrl;
      process.stdout.write(
        `active NameNode:  ${pair.nn1.url}\nstandby NameNode: ${pair.nn2.url}\n`,
      );
    } else {
      const server = await DevHdfsServer.start({
        ...common,
        port,
        haState: standby ? 'standby' : 'active',
        ...security,
        ...(adminPort === undefined ? {} : { adminPort }),
      });
      closers.push(() => server.close());
      admin = server.adminUrl;
      process.stdout.write(`NameNode: ${server.url}\n`);
    }
    process.stdout.write(
      `root: ${root}\n${admin === undefined ? '' : `admin: ${admin}\n`}`,
    );

    await stopped;
    await Promise.all(closers.map((close) => close()));
    return 0;
  },
};

function parseCommandLine(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        root: { type: 'string' },
        port: { type: 'string' },
        'datanode-port': { type: 'string' },
        'standby-port': { type: 'string' },
        'admin-port': { type: 'string' },
        host: { type: 'string' },
        gateway: { type: 'boolean' },
        ha: { type: 'boolean' },
        fault: { type: 'string', multiple: true },
        'proxy-user': { type: 'string', multiple: true },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-client-ca': { type: 'string' },
        'kerberos-keytab': { type: 'string' },
        'kerberos-principal': { type: 'string' },
        'basic-auth-file': { type: 'string' },
      },
    });
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}
