/**
 * What a shipper reported, kept in order, and bounded waits for what it
 * reports next: the outage tests wait for the uploader's own events (a
 * cycle, a retry, an upload), never for a guessed length of time.
 */
import type { EventEmitter } from 'node:events';
import { UploadError, type SpoolWriteError } from '../../src/errors.js';
import type { SealedSegment } from '../../src/segment/open-segment.js';
import type { Shipper, ShipperEvents } from '../../src/shipper.js';
import type {
  CycleEvent,
  DroppedEvent,
  PublishingEvent,
  RecoveredEvent,
  RetryEvent,
  UploadedEvent,
} from '../../src/upload/uploader-events.js';
import {
  waitForEmitted,
  type WaitOptions as EmittedWaitOptions,
} from './wait-for-emitted.js';

/** Every event of one shipper, by kind, in the order they arrived. */
export interface ShipperEventLog {
  readonly cycles: CycleEvent[];
  readonly publishing: PublishingEvent[];
  readonly uploaded: UploadedEvent[];
  readonly retries: RetryEvent[];
  readonly errors: UploadError[];
  /** Local disk errors of the writer: none are expected in a temporary directory. */
  readonly spoolErrors: SpoolWriteError[];
  readonly dropped: DroppedEvent[];
  readonly recovered: RecoveredEvent[];
  readonly sealed: SealedSegment[];
}

/** Starts recording; a listener on `error` also makes the shipper emit it. */
export function recordEvents(shipper: Shipper): ShipperEventLog {
  const log: ShipperEventLog = {
    cycles: [],
    publishing: [],
    uploaded: [],
    retries: [],
    errors: [],
    spoolErrors: [],
    dropped: [],
    recovered: [],
    sealed: [],
  };
  shipper.on('cycle', (event) => log.cycles.push(event));
  shipper.on('publishing', (event) => log.publishing.push(event));
  shipper.on('uploaded', (event) => log.uploaded.push(event));
  shipper.on('retry', (event) => log.retries.push(event));
  shipper.on('dropped', (event) => log.dropped.push(event));
  shipper.on('recovered', (event) => log.recovered.push(event));
  shipper.on('sealed', (segment) => log.sealed.push(segment));
  shipper.on('error', (error) => {
    if (error instanceof UploadError) log.errors.push(error);
    else log.spoolErrors.push(error);
  });
  return log;
}

type Payload<K extends keyof ShipperEvents> = ShipperEvents[K][0];

export type WaitOptions<K extends keyof ShipperEvents> = EmittedWaitOptions<Payload<K>>;

/** {@link waitForEmitted} on a shipper, typed by event name. */
export function waitForEvents<K extends keyof ShipperEvents>(
  shipper: Shipper,
  name: K,
  what: string,
  options: WaitOptions<K> = {},
): Promise<Payload<K>[]> {
  // EventEmitter's typings cannot follow a generic event name to its listener.
  return waitForEmitted(shipper as EventEmitter, name, what, options);
}

/** Waits for `count` upload cycles that could not publish everything. */
export function waitForFailingCycles(
  shipper: Shipper,
  count: number,
  timeoutMs = 10_000,
): Promise<CycleEvent[]> {
  return waitForEvents(shipper, 'cycle', `${count} failing upload cycles`, {
    accept: (cycle) => cycle.failed > 0,
    count,
    timeoutMs,
  });
}

/** Waits for a cycle that published something and left nothing waiting. */
export async function waitForDrainedCycle(
  shipper: Shipper,
  timeoutMs = 10_000,
): Promise<CycleEvent> {
  const [cycle] = await waitForEvents(shipper, 'cycle', 'a cycle that drains the spool', {
    accept: (event) => event.failed === 0 && event.pendingSegments === 0,
    timeoutMs,
  });
  return cycle as CycleEvent;
}
