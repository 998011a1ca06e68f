export type Cell = string | number | undefined;

/** Formats rows as a Markdown table (readable in a terminal and in README). */
export function formatTable(headers: readonly string[], rows: readonly Cell[][]): string {
  const text = rows.map((row) => headers.map((_, index) => formatCell(row[index])));
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...text.map((row) => (row[index] as string).length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index] as number)).join(' | ')} |`;
  return [
    line(headers),
    line(widths.map((width) => '-'.repeat(width))),
    ...text.map(line),
  ].join('\n');
}

function formatCell(value: Cell): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
}
