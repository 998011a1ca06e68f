/**
 * The pino target as an application sees it: a real `pino.transport()`
 * worker, and what the target relays from there to the transport stream
 * (the shipper's events, each followed by an `hdfsStatus` snapshot), kept in
 * order with the snapshot that came after each event.
 */
import assert from 'node:assert/strict';
import { once, type EventEmitter } from 'node:events';
import type { TestContext } from 'node:test';
import pino from 'pino';
import { ERROR_EVENT, STATUS_EVENT, type HdfsPinoOptions } from '../../src/pino.js';
import type { ShipperStatus } from '../../src/shipper.js';
import { UPLOADER_EVENT_NAMES } from '../../src/upload/uploader-events.js';

export type PinoTransport = ReturnType<typeof pino.transport>;

/** One relayed event and the status snapshot that followed it. */
export interface Relayed {
  readonly name: string;
  readonly payload: unknown;
  status?: ShipperStatus;
}

/** Every name the target relays besides `hdfsStatus`. */
const RELAYED_NAMES = [
  ...UPLOADER_EVENT_NAMES.filter((name) => name !== 'error'),
  'sealed',
  ERROR_EVENT,
];

/** Transports {@link endPinoTransport} ended (thread-stream's typings have no flag). */
const ended = new WeakSet<PinoTransport>();

/** Starts the target in pino's worker; it is ended when the test ends. */
export function openPinoTransport(
  t: TestContext,
  options: HdfsPinoOptions,
): PinoTransport {
  const transport = pino.transport({ target: 'hdfs-log-transport/pino', options });
  t.after(async () => {
    if (!ended.has(transport)) await endPinoTransport(transport);
  });
  return transport;
}

/**
 * Ends a transport and waits until its worker has finished. end() blocks
 * this thread meanwhile: nothing the worker still needs may run on it.
 */
export async function endPinoTransport(transport: PinoTransport): Promise<void> {
  const finished = once(transport, 'finish');
  ended.add(transport);
  transport.end();
  await finished;
}

/** Records what the target relays, from now on, in the order it arrives. */
export function recordRelayed(transport: EventEmitter): Relayed[] {
  const log: Relayed[] = [];
  for (const name of RELAYED_NAMES) {
    transport.on(name, (payload: unknown) => log.push({ name, payload }));
  }
  transport.on(STATUS_EVENT, (status: ShipperStatus) => {
    const last = log.at(-1);
    // A snapshot with no event of its own before it is kept as an entry, for
    // the test to see.
    if (last === undefined || last.status !== undefined) {
      log.push({ name: STATUS_EVENT, payload: status, status });
    } else {
      last.status = status;
    }
  });
  return log;
}

/** The payloads of the recorded events named `name`. */
export function payloadsOf<T>(log: readonly Relayed[], name: string): T[] {
  return log.filter((entry) => entry.name === name).map((entry) => entry.payload as T);
}

/**
 * Resolves once `condition` holds, checked now and after every snapshot
 * (every relayed event is followed by one); fails naming `what` after
 * `timeoutMs`.
 */
export async function waitForRelayed(
  transport: EventEmitter,
  what: string,
  condition: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  if (condition()) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      transport.off(STATUS_EVENT, check);
      reject(new assert.AssertionError({ message: `timed out waiting for ${what}` }));
    }, timeoutMs);
    function check(): void {
      if (!condition()) return;
      clearTimeout(timer);
      transport.off(STATUS_EVENT, check);
      resolve();
    }
    transport.on(STATUS_EVENT, check);
  });
}
