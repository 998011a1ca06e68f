import { HdfsLogTransportError } from '../errors.js';

/**
 * A mistake on the command line: printed as one line, then one pointing to
 * the command's `--help`; exit code 2, no stack.
 */
export class CliUsageError extends HdfsLogTransportError {
  constructor(message: string) {
    super('ERR_CLI_USAGE', message);
  }
}
