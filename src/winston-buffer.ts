/** What the winston transport needs of the logger that pipes to it. */
export interface WinstonLogger {
  readonly levels?: Record<string, number>;
  readonly readableLength?: number;
  read(): unknown;
  listenerCount(event: string): number;
  emit(event: string, ...args: unknown[]): boolean;
  /** readable-stream 3's state (winston 3's streams): `pipes` is null once unpiped. */
  readonly _readableState?: { pipes: unknown; pipesCount?: number };
}

/**
 * A bound on the records taken at once: a logger never holds more than was
 * logged, unless something logs each time it is read (a transport that logs
 * what it receives), which would otherwise keep this from ever ending.
 */
const MAX_TAKEN = 10_000_000;

/**
 * Hands over, synchronously, what a winston logger still holds in its own
 * buffer: each record read is passed to every transport still piped from it
 * (the caller's included). A logger holds records when a slower transport
 * beside ours pushed back: winston pauses the pipe for all of them, and
 * `logger.end()`, `logger.close()` and `process.exit()` would otherwise leave
 * them there (winston issue 2219).
 *
 * A record that a transport refuses by throwing (a format that throws) is
 * handed to `onError`, and the rest are still taken.
 */
export function takeBuffered(
  logger: WinstonLogger,
  transport: object,
  onError: (error: unknown) => void,
): void {
  const state = logger._readableState;
  // Taken while winston unpipes everything (logger.close()), each record
  // would print "Attempt to write logs with no transports": it has one, this.
  const unpiped = state !== undefined && state.pipes === null;
  if (unpiped) Object.assign(state, { pipes: transport, pipesCount: 1 });
  try {
    for (let taken = 0; taken < MAX_TAKEN && (logger.readableLength ?? 0) > 0; taken++) {
      try {
        if (logger.read() === null) return;
      } catch (error) {
        onError(error);
      }
    }
  } finally {
    if (unpiped) Object.assign(state, { pipes: null, pipesCount: 0 });
  }
}
