/**
 * A bounded wait for events an emitter sends next: the tests wait for what
 * the code reports (a cycle, a retry, an upload), never for a guessed length
 * of time, and fail naming what did not come.
 */
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';

export interface WaitOptions<T> {
  /** Only events that pass count. @default every event */
  readonly accept?: (event: T) => boolean;
  /** How many accepted events to wait for. @default 1 */
  readonly count?: number;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/**
 * Resolves with the accepted events once `count` of them have arrived after
 * this call; fails the test, naming `what`, when they do not come in time.
 */
export function waitForEmitted<T>(
  emitter: EventEmitter,
  name: string,
  what: string,
  options: WaitOptions<T> = {},
): Promise<T[]> {
  const { accept = () => true, count = 1, timeoutMs = 10_000 } = options;
  const seen: T[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(name, listener);
      const message = `timed out after ${timeoutMs} ms waiting for ${what}`;
      reject(
        new assert.AssertionError({ message: `${message} (${seen.length} of ${count})` }),
      );
    }, timeoutMs);
    const listener = (event: T): void => {
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
