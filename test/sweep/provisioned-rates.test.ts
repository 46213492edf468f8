/** The arithmetic of readProvisionedLimits, without a simulator: which categories are read, which value wins, and the spacing. */
import { resolveRates, SweepInputError } from '../../src/sweep';
import type { RateBudget } from '../../src/sweep';
import { planSweep } from '../../src/sweep/input/validate';
import {
  ADJUSTABLE_CATEGORIES, baseQuotaOf, categoriesToRead, LimitManagementPace, PROVISIONED_LIMIT_SPACING_MS,
} from '../../src/sweep/rate/provisioned-limits';

test('only UserResourceRead is adjustable of the categories the sweep uses', () => {
  expect(ADJUSTABLE_CATEGORIES).toEqual(['UserResourceRead']);
});

test('the base quota is the larger of the documented default and ProvisionedLimitValue; an unusable answer gives none', () => {
  expect(baseQuotaOf('UserResourceRead', 200)).toBe(200);
  expect(baseQuotaOf('UserResourceRead', 50)).toBe(50);
  // Below the documented default (which UpdateProvisionedLimit would not accept): never slower than not reading.
  expect(baseQuotaOf('UserResourceRead', 20)).toBe(50);
  for (const bad of [undefined, 0, -5, Number.NaN, Number.POSITIVE_INFINITY, '200']) expect(baseQuotaOf('UserResourceRead', bad)).toBeUndefined();
});

test('read quotas are the base of the categories the budget does not name; explicit base quotas and rates win', () => {
  const read = { UserResourceRead: 400 };
  expect(resolveRates({ readProvisionedLimits: true }, read)).toEqual({ UserList: 15, UserResourceRead: 200, UserResourceUpdate: 12.5 });
  expect(resolveRates({ fraction: 0.25, readProvisionedLimits: true }, read).UserResourceRead).toBe(100);
  expect(resolveRates({ baseQuotas: { UserResourceRead: 60 } }, read).UserResourceRead).toBe(30);
  expect(resolveRates({ ratesPerSecond: { UserResourceRead: 7 } }, read).UserResourceRead).toBe(7);
  // Without read quotas: the documented defaults, as before.
  expect(resolveRates({ readProvisionedLimits: true })).toEqual(resolveRates());
});

test('categories read: those the budget leaves to the quota; an explicit rate is read only when the domain\'s usage is followed', () => {
  const cases: Array<[RateBudget | undefined, boolean, string[]]> = [
    [undefined, false, ['UserResourceRead']],
    [{ baseQuotas: { UserResourceRead: 100 } }, false, []],
    [{ baseQuotas: { UserResourceRead: 100 } }, true, []],
    [{ ratesPerSecond: { UserResourceRead: 10 } }, false, []],
    [{ ratesPerSecond: { UserResourceRead: 10 } }, true, ['UserResourceRead']],
    [{ baseQuotas: { UserList: 60 }, ratesPerSecond: { UserResourceUpdate: 3 } }, false, ['UserResourceRead']],
  ];
  for (const [budget, follows, expected] of cases) expect(categoriesToRead(budget, follows)).toEqual(expected);
});

test('readProvisionedLimits must be a boolean, refused before any call', () => {
  const options = { userPoolIds: ['eu-west-1_AbC123'], selection: { kind: 'all' as const } };
  expect(() => planSweep({ ...options, rateBudget: { readProvisionedLimits: 'yes' as unknown as boolean } })).toThrow(SweepInputError);
  expect(() => planSweep({ ...options, rateBudget: { readProvisionedLimits: 'yes' as unknown as boolean } }))
    .toThrow('rateBudget.readProvisionedLimits must be true or false, got yes.');
  expect(() => planSweep({ ...options, rateBudget: { readProvisionedLimits: true } })).not.toThrow();
});

test('LimitManagementPace: the first call at once, each next one a full second after the previous answer', async () => {
  let now = 10_000;
  const slept: number[] = [];
  const pace = new LimitManagementPace(() => now, async (ms) => {
    slept.push(ms);
    now += ms;
  });
  const starts: number[] = [];
  for (const latency of [30, 250, 5]) {
    expect(await pace.next()).toBe(true);
    starts.push(now);
    now += latency;
    pace.answered();
  }
  expect(slept).toEqual([PROVISIONED_LIMIT_SPACING_MS, PROVISIONED_LIMIT_SPACING_MS]);
  expect(starts).toEqual([10_000, 10_000 + 30 + 1000, 10_000 + 30 + 1000 + 250 + 1000]);
});

test('LimitManagementPace: a stop while waiting ends the wait, and no call follows', async () => {
  let now = 0;
  const stop = new AbortController();
  const pace = new LimitManagementPace(() => now, async () => {
    stop.abort();
  });
  expect(await pace.next(stop.signal)).toBe(true);
  pace.answered();
  expect(await pace.next(stop.signal)).toBe(false);
  now += 5_000;
  expect(await pace.next(stop.signal)).toBe(false);
});
