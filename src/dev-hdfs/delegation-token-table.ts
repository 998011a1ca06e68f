/**
 * The delegation tokens a secure dev NameNode has issued, with Hadoop's
 * rules (AbstractDelegationTokenSecretManager): a token lives for the renew
 * interval, each renewal extends it by that much but never past its maximum
 * date, only its renewer may renew it, and an error names the token by its
 * owner and sequence number, never by its secret.
 */
import { randomBytes } from 'node:crypto';
import { HadoopException } from './hadoop-exception.js';

interface TokenRecord {
  readonly sequence: number;
  readonly owner: string;
  readonly renewer: string;
  readonly issuedAt: number;
  readonly maxDate: number;
  expiresAt: number;
}

export interface TokenTableOptions {
  readonly renewIntervalMs: number;
  readonly maxLifetimeMs: number;
  readonly now?: () => number;
}

export class DelegationTokenTable {
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #options: TokenTableOptions;
  readonly #now: () => number;
  #sequence = 0;

  constructor(options: TokenTableOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** A new token for `owner`, renewable by `renewer` (empty: by nobody). */
  issue(owner: string, renewer: string): string {
    const now = this.#now();
    // URL-safe, like Token.encodeToUrlString(), so it travels in a query unchanged.
    const token = randomBytes(48).toString('base64url');
    this.#tokens.set(token, {
      sequence: ++this.#sequence,
      owner,
      renewer,
      issuedAt: now,
      maxDate: now + this.#options.maxLifetimeMs,
      expiresAt: now + this.#options.renewIntervalMs,
    });
    return token;
  }

  /** The owner of a valid token; InvalidToken when it is unknown or expired. */
  verify(token: string): string {
    const record = this.#find(token);
    const now = this.#now();
    if (record.expiresAt < now) {
      throw invalid(
        `token (${describe(record)}) is expired, current time: ${now} ` +
          `expected renewal time: ${record.expiresAt}`,
      );
    }
    return record.owner;
  }

  /** RENEWDELEGATIONTOKEN by `caller`: the new expiry time. */
  renew(token: string, caller: string): number {
    const record = this.#find(token);
    const now = this.#now();
    if (record.maxDate < now) {
      throw invalid(
        `${caller} tried to renew an expired token (${describe(record)}) ` +
          `max expiration date: ${record.maxDate} currentTime: ${now}`,
      );
    }
    if (record.renewer === '' || record.renewer !== caller) {
      throw new HadoopException(
        'AccessControlException',
        `${caller} tries to renew a token (${describe(record)}) with non-matching ` +
          `renewer ${record.renewer}`,
      );
    }
    record.expiresAt = Math.min(record.maxDate, now + this.#options.renewIntervalMs);
    return record.expiresAt;
  }

  /** CANCELDELEGATIONTOKEN by its owner or renewer. */
  cancel(token: string, caller: string): void {
    const record = this.#find(token);
    if (caller !== record.owner && caller !== record.renewer) {
      throw new HadoopException(
        'AccessControlException',
        `${caller} is not authorized to cancel the token (${describe(record)})`,
      );
    }
    this.#tokens.delete(token);
  }

  #find(token: string): TokenRecord {
    const record = this.#tokens.get(token);
    if (record === undefined) {
      throw invalid("token can't be found in cache");
    }
    return record;
  }
}

function invalid(message: string): HadoopException {
  return new HadoopException('InvalidToken', message);
}

/** How Hadoop prints a token identifier: who and which, no secret. */
function describe(record: TokenRecord): string {
  return (
    `HDFS_DELEGATION_TOKEN token ${record.sequence} for ${record.owner} ` +
    `with renewer ${record.renewer}, issueDate=${record.issuedAt}, maxDate=${record.maxDate}`
  );
}
