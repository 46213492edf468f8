/** Which sweeps may use a next-check index (rule: sweep/input/rules). */
import { throwInputProblem } from '../errors';
import { indexUseProblem } from '../input/rules';
import type { SweepOptions } from '../types';

/** The index bounds staleness only: other selections forget devices whatever their age. */
export function checkIndexUse(options: SweepOptions): void {
  if (options.nextCheckIndex !== undefined) throwInputProblem(indexUseProblem('nextCheckIndex', options.selection.kind));
}
