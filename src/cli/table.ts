/**
 * Plain-text tables (the CLI's report; the demo and the benchmark reuse it): the first
 * `textColumns` columns left-aligned, the rest (numbers) right-aligned so digits line up.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], indent = '', textColumns = 1): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    indent + cells.map((cell, column) => (column < textColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
