/**
 * What a shipper reported, kept in order, and bounded waits for what it
 * reports next: the outage tests wait for the uploader's own events (a
 * cycle, a retry, an upload), never for a guessed length of time.
 */
import assert from 'node:assert/strict';
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

export interface WaitOptions<K extends keyof ShipperEvents> {
  /** Only events that pass count. @default every event */
  readonly accept?: (event: Payload<K>) => boolean;
  /** How many accepted events to wait for. @default 1 */
  readonly count?: number;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/**
 * Resolves with the accepted events once `count` of them have arrived after
 * this call; fails the test, naming `what`, when they do not come in time.
 */
export function waitForEvents<K extends keyof ShipperEvents>(
  shipper: Shipper,
  name: K,
  what: string,
  options: WaitOptions<K> = {},
): Promise<Payload<K>[]> {
  const { accept = () => true, count = 1, timeoutMs = 10_000 } = options;
  // EventEmitter's typings cannot follow a generic event name to its listener.
  const emitter = shipper as EventEmitter;
  const seen: Payload<K>[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(name, listener);
      const message = `timed out after ${timeoutMs} ms waiting for ${what}`;
      reject(
        new assert.AssertionError({ message: `${message} (${seen.length} of ${count})` }),
      );
    }, timeoutMs);
    const listener = (event: Payload<K>): void => {
      if (!accept(event)) return;
      seen.push(event);
      if (seen.length < count) return;
      clearTimeout(timer);
      emitter.off(name, listener);
      resolve(seen);
    };
    emitter.on(name, listener);
  });
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
