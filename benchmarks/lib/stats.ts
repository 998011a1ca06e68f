/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The value below which `q` (0..1) of the values lie, by nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * The median of per-pair ratios a[i] / b[i]. Runs are interleaved A B A B so
 * that each pair shares the machine's state of the moment; on these noisy
 * machines a ratio of medians would mix moments.
 */
export function medianRatio(a: readonly number[], b: readonly number[]): number {
  const ratios = a.slice(0, b.length).map((value, index) => value / (b[index] as number));
  return median(ratios);
}
