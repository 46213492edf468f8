/** The request-rate budget: documented quotas times a fraction, or explicit rates. */
import { SweepInputError, throwInputProblem } from '../errors';
import { rateBudgetProblem, requestRateProblem } from '../input/rules';
import type { QuotaCategory, RateBudget } from '../types';

/** The categories the engine draws on, in pipeline order. */
export const QUOTA_CATEGORIES: readonly QuotaCategory[] = ['UserList', 'UserResourceRead', 'UserResourceUpdate'];

/**
 * Documented default quotas, requests/s per account and Region, shared by every pool there
 * ("Quotas in Amazon Cognito", category table: https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html).
 */
export const DOCUMENTED_QUOTAS: Readonly<Record<QuotaCategory, number>> = {
  UserList: 30,
  UserResourceRead: 50,
  UserResourceUpdate: 25,
};

/**
 * The documented quotas times `scale`: the base quotas of a time-scaled simulator (its quotas are
 * `scale` times Cognito's, so the sweep may spend that many more requests per second).
 */
export function scaledQuotas(scale: number): Record<QuotaCategory, number> {
  const quotas = {} as Record<QuotaCategory, number>;
  for (const category of QUOTA_CATEGORIES) quotas[category] = DOCUMENTED_QUOTAS[category] * scale;
  return quotas;
}

/** The application's own traffic shares the quotas, so a sweep takes half of them unless told otherwise. */
export const DEFAULT_BUDGET_FRACTION = 0.5;

/**
 * Requests/s per category that a sweep may use in one quota domain (account and Region). Throws
 * SweepInputError on a bad budget.
 *
 * @param readQuotas the domain's real quotas where they were read (`readProvisionedLimits`, see
 *   provisioned-limits.ts): the base of the categories `budget.baseQuotas` does not name, instead of
 *   the documented default. Explicit `baseQuotas`, then explicit `ratesPerSecond`, still win.
 */
export function resolveRates(budget?: RateBudget, readQuotas?: Partial<Record<QuotaCategory, number>>): Record<QuotaCategory, number> {
  const fraction = budget?.fraction ?? DEFAULT_BUDGET_FRACTION;
  throwInputProblem(rateBudgetProblem('rateBudget.fraction', fraction));
  rejectUnknownCategories(budget?.baseQuotas, 'baseQuotas');
  rejectUnknownCategories(budget?.ratesPerSecond, 'ratesPerSecond');
  const read = budget?.readProvisionedLimits;
  if (read !== undefined && typeof read !== 'boolean') {
    throw new SweepInputError(`rateBudget.readProvisionedLimits must be true or false, got ${String(read)}.`);
  }
  const rates = {} as Record<QuotaCategory, number>;
  for (const category of QUOTA_CATEGORIES) {
    const base = positive(budget?.baseQuotas?.[category], `rateBudget.baseQuotas.${category}`) ?? readQuotas?.[category] ?? DOCUMENTED_QUOTAS[category];
    rates[category] = positive(budget?.ratesPerSecond?.[category], `rateBudget.ratesPerSecond.${category}`) ?? base * fraction;
  }
  return rates;
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  throwInputProblem(requestRateProblem(name, value));
  return value;
}

function rejectUnknownCategories(rates: object | undefined, name: string): void {
  for (const key of Object.keys(rates ?? {})) {
    if (!(QUOTA_CATEGORIES as readonly string[]).includes(key)) {
      throw new SweepInputError(`rateBudget.${name} has an unknown quota category "${key}": use ${QUOTA_CATEGORIES.join(', ')}.`);
    }
  }
}
