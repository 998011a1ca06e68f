/** A target of issue 6, checked against this run's numbers. */
export interface TargetCheck {
  readonly target: string;
  /** The measured value (a ratio, MB/s, MiB), or undefined when not measured. */
  readonly value: number | undefined;
  readonly unit: string;
  /** undefined when the value could not be measured. */
  readonly met: boolean | undefined;
  /** Why it was not measured. */
  readonly reason?: string;
}

/** `value` must be at least `goal`. */
export function atLeast(
  target: string,
  value: number | undefined,
  goal: number,
  unit = '×',
  reason?: string,
): TargetCheck {
  return check(
    target,
    value,
    unit,
    value === undefined ? undefined : value >= goal,
    reason,
  );
}

/** `value` must be at most `goal`. */
export function atMost(
  target: string,
  value: number | undefined,
  goal: number,
  unit = '×',
  reason?: string,
): TargetCheck {
  return check(
    target,
    value,
    unit,
    value === undefined ? undefined : value <= goal,
    reason,
  );
}

function check(
  target: string,
  value: number | undefined,
  unit: string,
  met: boolean | undefined,
  reason: string | undefined,
): TargetCheck {
  const measured = value !== undefined && Number.isFinite(value);
  return {
    target,
    value: measured ? value : undefined,
    unit,
    met: measured ? met : undefined,
    ...(measured ? {} : { reason: reason ?? 'not measured' }),
  };
}

/** One line per target: MET, MISSED, or NOT MEASURED with the reason. */
export function formatTargets(checks: readonly TargetCheck[]): string {
  return checks
    .map((item) => {
      if (item.met === undefined || item.value === undefined) {
        return `- NOT MEASURED: ${item.target} (${item.reason ?? 'not measured'})`;
      }
      const shown =
        item.unit === '×' ? `${ratio(item.value)}×` : `${round(item.value)} ${item.unit}`;
      return `- ${item.met ? 'MET' : 'MISSED'}: ${item.target}: ${shown}`;
    })
    .join('\n');
}

/** Two decimals; three when two would round onto a round target (0.797, not 0.80). */
function ratio(value: number): string {
  const two = value.toFixed(2);
  return Math.abs(Number(two) - value) > 0.001 && /0$/.test(two) ? value.toFixed(3) : two;
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}
