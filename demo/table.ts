/** Plain-text tables for the demo and the benchmark: the CLI's own layout (pass an indent). */
export { formatTable } from '../src/cli/table';

/** `12345` -> `12,345`. */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A rate with one decimal, e.g. `24.8/s`. */
export function rate(value: number): string {
  return `${value.toFixed(1)}/s`;
}
