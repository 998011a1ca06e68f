import type { NameNodeEndpoint } from './namenode-url.js';

/**
 * The NameNodes of one cluster (one, or an HA pair or more). Requests go to the
 * one believed active; a StandbyException or a refused connection moves that
 * belief to the next one, for every request that follows (Hadoop's client does
 * the same with its failover proxy).
 */
export class NameNodePool {
  readonly #endpoints: readonly NameNodeEndpoint[];
  #active = 0;

  constructor(endpoints: readonly NameNodeEndpoint[]) {
    if (endpoints.length === 0) throw new RangeError('a NameNode pool needs an endpoint');
    this.#endpoints = endpoints;
  }

  get size(): number {
    return this.#endpoints.length;
  }

  /** The endpoint requests go to now. */
  get active(): NameNodeEndpoint {
    return this.#endpoints[this.#active] as NameNodeEndpoint;
  }

  /** All endpoints, the active one first, in failover order. */
  inFailoverOrder(): NameNodeEndpoint[] {
    return this.#endpoints.map(
      (_, offset) =>
        this.#endpoints[(this.#active + offset) % this.size] as NameNodeEndpoint,
    );
  }

  /**
   * Records that `failed` is not the active NameNode. Only moves on when the
   * belief still points at it, so that concurrent requests that saw the same
   * standby do not skip past the real active one.
   */
  failOver(failed: NameNodeEndpoint): void {
    if (this.active === failed) this.#active = (this.#active + 1) % this.size;
  }
}
