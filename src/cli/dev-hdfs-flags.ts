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
        if (value === undefined || !value.startsWith('/')) {
          throw new CliUsageError(
            `--fault ${flag}: hold-lease needs an absolute HDFS path`,
          );
        }
        faults.holdLease = [...(faults.holdLease ?? []), value];
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

function count(flag: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value)) {
    throw new CliUsageError(
      `--fault ${flag}: needs a whole number, e.g. ${flag.split('=')[0] ?? ''}=100`,
    );
  }
  return Number(value);
}
