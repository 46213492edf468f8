/** Which sweeps may use a next-check index. */
import { SweepInputError } from './errors';
import type { SweepOptions } from './types';

/** The index bounds staleness only: other selections forget devices whatever their age. */
export function checkIndexUse(options: SweepOptions): void {
  if (options.nextCheckIndex !== undefined && options.selection.kind !== 'stale') {
    throw new SweepInputError(`nextCheckIndex applies only to staleness selections, not to '${options.selection.kind}'`);
  }
}
