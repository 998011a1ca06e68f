import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  planRenewal,
  readTgtTimes,
  TicketCacheRenewer,
} from '../../src/hdfs/ticket-cache-renewal.js';

/** MIT klist's answer with LC_ALL=C and TZ=UTC, as measured here. */
const KLIST = `Ticket cache: FILE:/tmp/hlt-realm-sIVkWh/cc-r
Default principal: renewer@HLT.TEST

Valid starting     Expires            Service principal
12/03/26 20:13:33  12/03/26 20:13:41  krbtgt/HLT.TEST@HLT.TEST
\trenew until 12/03/26 20:14:33
12/03/26 20:13:34  12/03/26 20:13:41  HTTP/127.0.0.1@HLT.TEST
\trenew until 12/03/26 20:14:33
`;

const at = (time: string) => Date.parse(`2026-12-03T${time}Z`);

test('reads the ticket-granting ticket’s times from klist', () => {
  assert.deepEqual(readTgtTimes(KLIST), {
    start: at('20:13:33'),
    end: at('20:13:41'),
    renewUntil: at('20:14:33'),
  });
  const notRenewable = KLIST.replace(/\trenew until .*\n/g, '');
  assert.deepEqual(readTgtTimes(notRenewable), {
    start: at('20:13:33'),
    end: at('20:13:41'),
  });
  assert.equal(
    readTgtTimes('klist: No credentials cache found (filename: /x)\n'),
    undefined,
  );
  assert.equal(readTgtTimes(KLIST.replace('krbtgt/', 'HTTP/')), undefined);
});

test('renews once 80% of the life has passed, while the ticket is renewable', () => {
  const times = {
    start: at('20:00:00'),
    end: at('20:10:00'),
    renewUntil: at('21:00:00'),
  };
  assert.deepEqual(planRenewal(times, at('20:01:00')), {
    renew: false,
    delayMs: 420_000,
  });
  assert.equal(planRenewal(times, at('20:08:00')).renew, true);
  // Expired, past its renewal limit, or never renewable: not ours to fix.
  assert.deepEqual(planRenewal(times, at('20:10:01')), { renew: false, delayMs: 60_000 });
  const capped = { ...times, renewUntil: times.end };
  assert.equal(planRenewal(capped, at('20:09:00')).renew, false);
  const plain = { start: times.start, end: times.end };
  assert.equal(planRenewal(plain, at('20:09:00')).renew, false);
  assert.deepEqual(planRenewal(undefined, at('20:09:00')), {
    renew: false,
    delayMs: 60_000,
  });
});

test('runs kinit -R on the cache when due, then plans from the renewed ticket', async () => {
  const calls: string[] = [];
  let answer = KLIST;
  const renewer = new TicketCacheRenewer({
    cache: 'FILE:/tmp/cc',
    now: () => at('20:13:40'),
    run: (command, args) => {
      calls.push([command, ...args].join(' '));
      if (command === 'kinit')
        answer = KLIST.replace(
          '20:13:33  12/03/26 20:13:41',
          '20:13:40  12/03/26 20:13:50',
        );
      return Promise.resolve(answer);
    },
  });
  const next = await renewer.check();
  assert.deepEqual(calls, [
    'klist -c FILE:/tmp/cc',
    'kinit -R -c FILE:/tmp/cc',
    'klist -c FILE:/tmp/cc',
  ]);
  assert.equal(next, 8_000); // at 80% of the new 10 s life, 20:13:48
});

test('a failing klist or kinit means no renewal and another look later', async () => {
  const failing = new TicketCacheRenewer({
    cache: undefined,
    run: () => Promise.reject(new Error('klist: command not found')),
  });
  assert.equal(await failing.check(), 60_000);

  const refused = new TicketCacheRenewer({
    cache: undefined,
    now: () => at('20:13:40'),
    run: (command) =>
      command === 'kinit'
        ? Promise.reject(new Error('KDC refused'))
        : Promise.resolve(KLIST),
  });
  assert.equal(await refused.check(), 60_000);
});
