/**
 * Achieved request rates read back from the simulator, in Cognito terms: the simulator keeps the
 * simulated time of every admitted call (real time x timeScale), so rates computed from it are
 * directly comparable with Cognito's documented quotas whatever the time scale.
 */
import type { CognitoSimulator } from '../test/sim';

/** The quota categories a sweep draws on, with the documented default quota of each. */
export const SWEEP_CATEGORIES = [
  { category: 'UserList', quota: 30 },
  { category: 'UserResourceRead', quota: 50 },
  { category: 'UserResourceUpdate', quota: 25 },
] as const;

/** One Region's use of one category. */
export interface CategoryRate {
  readonly region: string;
  readonly category: (typeof SWEEP_CATEGORIES)[number]['category'];
  /** Calls admitted by the simulator's quota bucket. */
  readonly calls: number;
  /** calls / (first to last admitted call), requests/s in Cognito terms; 0 for fewer than 2 calls. */
  readonly average: number;
  /** The most calls in any 1 s window, requests/s in Cognito terms. */
  readonly peak: number;
  /** The documented default quota times the budget fraction. */
  readonly budget: number;
}

/** Per Region and category: what the sweep since the last `resetStats()` achieved. */
export function achievedRates(sim: CognitoSimulator, budgetFraction: number): CategoryRate[] {
  const rates: CategoryRate[] = [];
  for (const region of [...sim.stats.regions].sort()) {
    for (const { category, quota } of SWEEP_CATEGORIES) {
      const times = sim.stats.admittedTimes(category, region);
      if (times.length === 0) continue;
      const spanSeconds = (times[times.length - 1] - times[0]) / 1000;
      rates.push({
        region,
        category,
        calls: times.length,
        average: times.length > 1 && spanSeconds > 0 ? (times.length - 1) / spanSeconds : 0,
        peak: sim.peakRate(category, region),
        budget: quota * budgetFraction,
      });
    }
  }
  return rates;
}
