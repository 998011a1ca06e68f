import type { DevHdfsFaults } from '../dev-hdfs/faults.js';
import { CliUsageError } from './cli-error.js';

/** A TCP port from the command line: 0 (any free port) to 65535. */
export function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new CliUsageError(
      `${flag} must be a port number from 0 to 65535; got "${text}"`,
    );
  }
  return port;
}

/** Reads repeated `--fault NAME[=VALUE]` flags into the server's fault switches. */
export function parseFaultFlags(flags: readonly string[]): {
  faults: DevHdfsFaults;
  standby: boolean;
} {
  const faults: { -readonly [K in keyof DevHdfsFaults]: DevHdfsFaults[K] } = {};
  let standby = false;
  for (const flag of flags) {
    const [name = '', value] = flag.split(/=(.*)/s, 2);
    switch (name) {
      case 'refuse':
        faults.refuse = true;
        break;
      case 'reset-upload':
        faults.resetUpload =
          value === undefined ? true : { afterBytes: count(flag, value) };
        break;
      case 'reject-after-continue':
        faults.rejectAfterContinue = value === undefined ? true : { exception: value };
        break;
      case 'delay':
        faults.delayMs = count(flag, value);
        break;
      case 'unavailable':
        faults.unavailable = value === undefined ? true : count(flag, value);
        break;
      case 'safe-mode':
        faults.safeMode = true;
        break;
      case 'quota':
        faults.quotaBytes = count(flag, value);
        break;
      case 'hold-lease':
        faults.holdLease = [...(faults.holdLease ?? []), absolutePath(flag, value)];
        break;
      case 'deny-write':
        faults.denyWrite = [...(faults.denyWrite ?? []), absolutePath(flag, value)];
        break;
      case 'namenode-exception':
        if (value === undefined || value === '') {
          throw new CliUsageError(
            `--fault ${flag}: needs a Java exception class, e.g. ${flag}=RetriableException`,
          );
        }
        faults.nameNodeException = { exception: value };
        break;
      case 'standby':
        standby = true;
        break;
      default:
        throw new CliUsageError(`--fault: unknown fault "${name}"`);
    }
  }
  return { faults, standby };
}

function absolutePath(flag: string, value: string | undefined): string {
  if (value === undefined || !value.startsWith('/')) {
    const name = flag.split('=')[0] ?? '';
    throw new CliUsageError(`--fault ${flag}: ${name} needs an absolute HDFS path`);
  }
  return value;
}

/**
 * Reads repeated `--proxy-user PROXY=USER[,USER…]` flags (`PROXY=*` for
 * anyone) into the server's `proxyUsers`.
 */
export function parseProxyUserFlags(
  flags: readonly string[],
): Record<string, string[] | '*'> | undefined {
  if (flags.length === 0) return undefined;
  const proxyUsers: Record<string, string[] | '*'> = {};
  for (const flag of flags) {
    const [proxy = '', users = ''] = flag.split(/=(.*)/s, 2);
    if (proxy === '' || users === '') {
      throw new CliUsageError(
        `--proxy-user ${flag}: expected PROXY=USER[,USER…] or PROXY=*, e.g. svc=alice,bob`,
      );
    }
    const known = proxyUsers[proxy];
    const added = users.split(',').filter((user) => user !== '');
    proxyUsers[proxy] =
      users === '*' || known === '*' ? '*' : [...(known ?? []), ...added];
  }
  return proxyUsers;
}

function count(flag: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value)) {
    throw new CliUsageError(
      `--fault ${flag}: needs a whole number, e.g. ${flag.split('=')[0] ?? ''}=100`,
    );
  }
  return Number(value);
}
