/**
 * Leases on files under construction. In HDFS a file being written belongs to
 * its writer's lease: other clients get AlreadyBeingCreatedException until the
 * writer closes the file or, if the writer vanished, until the soft limit
 * passes and the lease is recovered (the file is closed with what it holds).
 */

export interface Lease {
  /** Inode key of the file (see inode-table.ts). */
  readonly key: string;
  /** The DFSClient name that holds the lease. */
  readonly holder: string;
  /** Where the holder runs (the DataNode that wrote on the client's behalf). */
  readonly clientMachine: string;
  /** The file's HDFS path now; follows renames like HDFS's lease paths do. */
  path: string;
}

export class LeaseTable {
  readonly #leases = new Map<string, Lease>();
  readonly #recoveries = new Map<string, NodeJS.Timeout>();
  #stopped = false;

  get(key: string): Lease | undefined {
    return this.#leases.get(key);
  }

  /** The lease on the file now at `path`, if it is under construction. */
  atPath(path: string): Lease | undefined {
    for (const lease of this.#leases.values()) if (lease.path === path) return lease;
    return undefined;
  }

  add(lease: Lease): void {
    this.#leases.set(lease.key, lease);
  }

  /** Ends a lease (file closed, deleted or overwritten) and any pending recovery. */
  remove(key: string): void {
    this.#leases.delete(key);
    clearTimeout(this.#recoveries.get(key));
    this.#recoveries.delete(key);
  }

  /**
   * Runs `recover` after `delayMs` unless the lease ends first. The timer is
   * unref'd so that a pending recovery never keeps a process alive; once
   * recoveries are stopped (the namespace closed), none is scheduled.
   */
  scheduleRecovery(key: string, delayMs: number, recover: () => void): void {
    if (this.#stopped) return;
    clearTimeout(this.#recoveries.get(key));
    const timer = setTimeout(() => {
      this.#recoveries.delete(key);
      recover();
    }, delayMs);
    timer.unref();
    this.#recoveries.set(key, timer);
  }

  /** Moves the paths of leases at or under `source` to `destination`. */
  rename(source: string, destination: string): void {
    for (const lease of this.#leases.values()) {
      if (lease.path === source) lease.path = destination;
      else if (lease.path.startsWith(`${source}/`)) {
        lease.path = destination + lease.path.slice(source.length);
      }
    }
  }

  /** Cancels every pending recovery, now and from now on; the leases stay. */
  stopRecoveries(): void {
    this.#stopped = true;
    for (const timer of this.#recoveries.values()) clearTimeout(timer);
    this.#recoveries.clear();
  }
}
