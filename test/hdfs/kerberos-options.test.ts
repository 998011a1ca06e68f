import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidOptionError } from '../../src/errors.js';
import { resolveKerberosOptions } from '../../src/hdfs/kerberos-options.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('true means the ticket cache, renewed, with HTTP/_HOST and delegation tokens', () => {
  assert.deepEqual(resolveKerberosOptions(true), {
    principal: undefined,
    keytab: undefined,
    ticketCache: undefined,
    renewTicketCache: true,
    servicePrincipal: ['HTTP', '_HOST'],
    delegationTokens: true,
  });
  assert.equal(resolveKerberosOptions(false), undefined);
  assert.equal(resolveKerberosOptions(undefined), undefined);
});

test('a keytab needs a principal, excludes a cache, and is never renewed with kinit', async (t) => {
  const keytab = join(await makeTempDir(t), 'logship.keytab');
  await writeFile(keytab, 'not read here');
  const resolved = resolveKerberosOptions({ principal: 'logship@EXAMPLE.COM', keytab });
  assert.equal(resolved?.renewTicketCache, false);

  assert.throws(() => resolveKerberosOptions({ keytab }), /kerberos\.principal/);
  assert.throws(
    () => resolveKerberosOptions({ principal: 'a@B', keytab, ticketCache: 'FILE:/x' }),
    /kerberos\.ticketCache/,
  );
  assert.throws(
    () => resolveKerberosOptions({ principal: 'a@B', keytab: join(keytab, 'missing') }),
    /a readable keytab file \(ENOTDIR\)/,
  );
});

test('names the option that is wrong', () => {
  const cases: [unknown, RegExp][] = [
    [{ renewTicketCache: 'yes' }, /"kerberos\.renewTicketCache" must be true or false/],
    [{ delegationTokens: 1 }, /kerberos\.delegationTokens/],
    [{ servicePrincipal: 'HTTP/nn@EXAMPLE.COM' }, /without a realm/],
    [{ renewTicket: true }, /"kerberos\.renewTicket" must be not set \(unknown option\)/],
    ['keytab', /"kerberos" must be true, false or an object/],
  ];
  for (const [value, message] of cases) {
    assert.throws(
      () => resolveKerberosOptions(value),
      (error: unknown) => {
        assert.ok(error instanceof InvalidOptionError);
        assert.match(error.message, message);
        return true;
      },
    );
  }
  assert.equal(
    resolveKerberosOptions({ renewTicketCache: false })?.renewTicketCache,
    false,
  );
});
