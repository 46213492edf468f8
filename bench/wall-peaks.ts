/**
 * The sweep's peak rate as Cognito would see it: calls arriving (throttled ones too) in any second
 * of WALL time, per category, in Cognito terms (divided by the time scale). Tests check the budget
 * exactly on the limiter's own clock; how evenly the calls then arrive depends on the machine
 * (event-loop stalls bunch them), so it is measured here. Goal: at or under the budget in every
 * category (the limiter's 100 ms window guard is the margin for that jitter).
 */
import { SWEEP_CATEGORIES } from '../demo/sim-rates';
import type { CognitoSimulator } from '../test/sim';
import { maxInWindow } from '../test/sim/stats';

/** One category's busiest wall second. */
export interface WallPeak {
  /** Calls arriving in the busiest 1 s of wall time, requests/s in Cognito terms. */
  readonly peak: number;
  /** The budget: the documented quota times the budget fraction. */
  readonly budget: number;
}

/** Per category of `region`: the busiest wall second of arrivals since the last `resetStats()`, against the budget. */
export function wallPeaks(sim: CognitoSimulator, region: string, budgetFraction: number): Record<string, WallPeak> {
  const peaks: Record<string, WallPeak> = {};
  for (const { category, quota } of SWEEP_CATEGORIES) {
    const arrivals = sim.stats.arrivalTimes(category, region);
    if (arrivals.length === 0) continue;
    peaks[category] = { peak: maxInWindow(arrivals, 1_000) / sim.timeScale, budget: quota * budgetFraction };
  }
  return peaks;
}

/** True when no category's busiest wall second went over its budget. */
export function withinBudget(peaks: Record<string, WallPeak>): boolean {
  return Object.values(peaks).every((p) => p.peak <= p.budget);
}
