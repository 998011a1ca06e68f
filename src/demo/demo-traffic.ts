/** What the demo logs, and at what pace. */

/** How often the traffic loop wakes up to log what is due. */
const TICK_MS = 20;

const ROUTES = ['/orders', '/orders/{id}', '/cart', '/users/{id}', '/search'] as const;
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT'] as const;
const STATUSES = [200, 200, 200, 200, 201, 204, 304, 404, 500] as const;

/** One stream of the demo: something that logs a record by its number. */
export interface TrafficSink {
  log(seq: number): void;
}

/**
 * The fields of a demo record: an access-log-like line whose `id`
 * (`winston-17`, `pino-17`) is what the final check counts.
 */
export function demoRecord(stream: string, seq: number): Record<string, unknown> {
  // A cheap deterministic scramble, so lines differ without a random source.
  const mix = Math.imul(seq + 1, 2_654_435_761) >>> 0;
  return {
    id: demoLineId(stream, seq),
    method: METHODS[mix % METHODS.length],
    route: ROUTES[(mix >>> 3) % ROUTES.length]?.replace('{id}', String(mix % 10_000)),
    status: STATUSES[(mix >>> 7) % STATUSES.length],
    durationMs: (mix >>> 11) % 250,
  };
}

/** The id a line logged with {@link demoRecord} carries. */
export function demoLineId(stream: string, seq: number): string {
  return `${stream}-${seq}`;
}

/**
 * Logs `rate` records a second to every sink for `durationMs`, or until
 * `signal` aborts. Records are numbered from 0 in every sink. The number due
 * is computed from the time elapsed, so a slow tick catches up instead of
 * lowering the rate.
 */
export async function driveTraffic(
  sinks: readonly TrafficSink[],
  options: {
    readonly rate: number;
    readonly durationMs: number;
    readonly signal?: AbortSignal;
  },
): Promise<void> {
  const { rate, durationMs, signal } = options;
  const started = performance.now();
  let sent = 0;

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const elapsed = Math.min(performance.now() - started, durationMs);
      const due = Math.floor((elapsed * rate) / 1000);
      for (; sent < due; sent++) for (const sink of sinks) sink.log(sent);
      if (elapsed >= durationMs || signal?.aborted === true) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, TICK_MS);
    signal?.addEventListener('abort', tick, { once: true });
  });
}
