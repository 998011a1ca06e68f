/**
 * `doas` with security off (webhdfs-reference.md §8): the request acts as the
 * `doas` user, and a `doas` naming someone other than the authenticated user
 * goes through ProxyUsers authorisation at the NameNode; a refusal is
 * UserProvider's SecurityException, 403 (§4.1). The DataNode trusts the
 * NameNode's redirect and does not authorise again (DataNodeUGIProvider).
 */
import { InvalidOptionError } from '../errors.js';
import { HadoopException } from './hadoop-exception.js';
import type { WebHdfsParams } from './request-params.js';

/** Proxy user → the users it may act for, or `'*'` for anyone. */
export type ProxyUsers = ReadonlyMap<string, ReadonlySet<string> | '*'>;

/** The option as given: `{ svc: ['alice', 'bob'], etl: '*' }`. */
export type ProxyUsersOption = Readonly<Record<string, readonly string[] | '*'>>;

/** Checks the `proxyUsers` option; undefined leaves every `doas` allowed. */
export function checkProxyUsers(value: unknown): ProxyUsers | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(
      'proxyUsers',
      'an object of proxy user: [users] or "*"',
      value,
    );
  }
  const proxyUsers = new Map<string, ReadonlySet<string> | '*'>();
  for (const [proxy, users] of Object.entries(value as Record<string, unknown>)) {
    if (users === '*') {
      proxyUsers.set(proxy, '*');
      continue;
    }
    if (!Array.isArray(users) || !users.every((user) => typeof user === 'string')) {
      throw new InvalidOptionError(
        `proxyUsers.${proxy}`,
        'an array of user names or "*"',
        users,
      );
    }
    proxyUsers.set(proxy, new Set(users));
  }
  return proxyUsers;
}

/**
 * Makes the request act as its `doas` user, once `authorize` says the
 * authenticated user may (NameNode, gateway); without `proxyUsers` anyone
 * may. A `doas` equal to the user changes nothing.
 */
export function applyDoAs(
  params: WebHdfsParams,
  authorize: boolean,
  proxyUsers: ProxyUsers | undefined,
): void {
  const doAs = params.get('doas');
  if (doAs === undefined || doAs === '') return;
  const real = params.user();
  if (doAs === real) return;

  const allowed = proxyUsers?.get(real);
  const refused =
    authorize &&
    proxyUsers !== undefined &&
    allowed !== '*' &&
    allowed?.has(doAs) !== true;
  if (refused) {
    // UserProvider wraps DefaultImpersonationProvider's AuthorizationException;
    // the reference gives only the prefix, the rest is Hadoop's wording as
    // recalled, not checked here against its source. Hosts are not modelled.
    throw new HadoopException(
      'SecurityException',
      'Failed to obtain user group information: ' +
        'org.apache.hadoop.security.authorize.AuthorizationException: ' +
        `User: ${real} is not allowed to impersonate ${doAs}`,
    );
  }
  params.actAs(doAs);
}
