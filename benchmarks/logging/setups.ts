/** The setups of scenario 1, each a script of this folder, and their run order. */
export interface SetupSpec {
  /** The script's name, `logging/<id>.js`. */
  readonly id: string;
  readonly logger: 'winston' | 'pino' | 'none';
  readonly role: 'ours' | 'peer' | 'floor';
  readonly label: string;
  /**
   * Floors that no target compares with run in the first rounds only: they
   * vary little, and the full run must fit in twenty minutes.
   */
  readonly rounds?: number;
}

export const SETUPS: readonly SetupSpec[] = [
  {
    id: 'winston-hdfs',
    logger: 'winston',
    role: 'ours',
    label: 'winston + HdfsTransport (ours)',
  },
  {
    id: 'winston-file',
    logger: 'winston',
    role: 'peer',
    label: 'winston + transports.File',
  },
  {
    id: 'winston-daily-rotate',
    logger: 'winston',
    role: 'peer',
    label: 'winston + winston-daily-rotate-file',
  },
  {
    id: 'winston-discard',
    logger: 'winston',
    role: 'floor',
    label: 'floor: winston + discarding transport',
  },
  {
    id: 'pino-hdfs',
    logger: 'pino',
    role: 'ours',
    label: 'pino + hdfs-log-transport/pino (ours)',
  },
  { id: 'pino-file', logger: 'pino', role: 'peer', label: 'pino + pino/file (worker)' },
  {
    id: 'pino-destination',
    logger: 'pino',
    role: 'peer',
    label: 'pino + pino.destination (main thread)',
  },
  { id: 'pino-roll', logger: 'pino', role: 'peer', label: 'pino + pino-roll (worker)' },
  {
    id: 'pino-discard',
    logger: 'pino',
    role: 'floor',
    label: 'floor: pino + discarding stream',
    rounds: 3,
  },
  {
    id: 'write-stream',
    logger: 'none',
    role: 'floor',
    label: 'floor: pre-serialized lines, fs.createWriteStream',
    rounds: 3,
  },
  {
    id: 'dd',
    logger: 'none',
    role: 'floor',
    label: 'floor: dd bs=1M of the same bytes',
    rounds: 3,
  },
];

/**
 * The order of round `round`: a logger's setups run back to back, so that
 * each of ours and its peers form pairs minutes apart at most; the groups
 * and the setups within them rotate from round to round, so that no setup
 * always runs first or right after the same one.
 */
export function roundOrder(round: number): SetupSpec[] {
  const groups = (['winston', 'pino', 'none'] as const).map((logger) =>
    SETUPS.filter((setup) => setup.logger === logger),
  );
  return rotate(groups, round).flatMap((group) => rotate(group, round));
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
