/**
 * The budget's grants as the engine reports them (SweepOptions.onGrant): which budget granted
 * each call start, and when on that budget's own clock. Checks on them are exact on any machine,
 * unlike arrival times at the simulator, which a busy event loop bunches.
 */
import type { Grant, QuotaCategory } from '../../src/sweep/types';
import { maxInWindow } from '../sim/stats';

/** What one Region/endpoint and category drew from the budget. */
export interface GrantSummary {
  /** Distinct budgets that granted calls here: 1 when pools share one budget. */
  readonly budgets: number;
  /** Calls granted (first attempts and retries). */
  readonly grants: number;
  /** The most grants in any 1-second window of the budget's clock (all budgets' grants merged). */
  readonly peak: number;
}

export class GrantLog {
  readonly grants: Grant[] = [];
  /** Pass as `onGrant`. */
  readonly record = (grant: Grant): void => {
    this.grants.push(grant);
  };

  /** The targets (`region endpoint`) granted calls. */
  get targets(): string[] {
    return [...new Set(this.grants.map((g) => g.target))];
  }

  /** Grants of one category, over every target unless one is given. */
  of(category: QuotaCategory, target?: string): GrantSummary {
    const grants = this.grants.filter((g) => g.category === category && (target === undefined || g.target === target));
    return {
      budgets: new Set(grants.map((g) => g.budgetId)).size,
      grants: grants.length,
      peak: maxInWindow(grants.map((g) => g.atMs).sort((a, b) => a - b), 1_000),
    };
  }
}
