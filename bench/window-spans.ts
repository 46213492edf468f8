/**
 * The margin the engine's window applied, read from its grants alone (SweepOptions.onGrant): while
 * a category is saturated, its arrival window lets call L + 1 start only once call 1 stops counting,
 * 1 s after its answer or its send plus the guard (L = floor(budget)), so the span of L + 1
 * consecutive grants, less 1 s, is the margin at that time. Spans of an unsaturated stretch are longer and show as a larger "guard"; the median is
 * the guard of the saturated bulk of a full sweep. A category whose median span is over 2 s was
 * never saturated (UserList in a sweep) and is left out.
 */
import type { Grant, QuotaCategory } from '../src/sweep';

/** Per category: the median and 90th percentile of (span of floor(budget) + 1 grants) - 1000, ms. */
export type GuardSpans = Partial<Record<QuotaCategory, { readonly p50: number; readonly p90: number }>>;

/** Collects grant times; `spans(budgets)` reads the guard back. */
export class WindowSpans {
  private readonly times = new Map<QuotaCategory, number[]>();

  /** Pass as `onGrant`. */
  readonly record = (grant: Grant): void => {
    let list = this.times.get(grant.category);
    if (!list) this.times.set(grant.category, (list = []));
    list.push(grant.atMs);
  };

  /** `budgets`: each category's budget in requests/s (as the engine's limiters were given it). */
  spans(budgets: Readonly<Record<QuotaCategory, number>>): GuardSpans {
    const result: GuardSpans = {};
    for (const [category, list] of this.times) {
      const limit = Math.max(1, Math.floor(budgets[category]));
      const times = [...list].sort((a, b) => a - b);
      const guards: number[] = [];
      for (let i = 0; i + limit < times.length; i++) guards.push(times[i + limit] - times[i] - 1000);
      if (guards.length === 0) continue;
      guards.sort((a, b) => a - b);
      if (guards[Math.floor(guards.length / 2)] > 1000) continue;
      const at = (q: number) => Number(guards[Math.min(guards.length - 1, Math.floor(q * guards.length))].toFixed(1));
      result[category] = { p50: at(0.5), p90: at(0.9) };
    }
    return result;
  }
}
