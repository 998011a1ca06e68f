/** How a column lines up: words to the left, numbers to the right. */
export type ColumnAlign = 'left' | 'right';

/**
 * Lays out rows of cells in columns two spaces apart, for a terminal: the
 * first row is the header, its headings underlined with dashes. Trailing spaces are cut,
 * so a last column that is mostly empty costs nothing. Widths count UTF-16
 * units, which is right for the ASCII this package prints.
 */
export function formatTextTable(
  rows: ReadonlyArray<readonly string[]>,
  align: readonly ColumnAlign[],
): string {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(0, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]): string =>
    widths
      .map((width, column) => {
        const cell = row[column] ?? '';
        return align[column] === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();

  const [header, ...body] = rows;
  if (header === undefined) return '';
  // No rule under a column without a heading (notes, labels).
  const rule = widths.map((width, column) =>
    (header[column] ?? '') === '' ? '' : '-'.repeat(width),
  );
  return [line(header), line(rule), ...body.map(line)].join('\n');
}
