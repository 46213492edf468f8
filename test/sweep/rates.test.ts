/**
 * The sweep stays within its budget per category and Region: pools of one Region share it, Regions
 * each have theirs. Checked on the budget's grants (SweepOptions.onGrant), on its own clock: exact
 * on any machine.
 */
import { sweepDevices } from '../../src/sweep';
import { CognitoSimulator } from '../sim';
import { DAY_SECONDS, scaledBudget } from './fixture';
import { GrantLog } from './grant-log';

// Real simulator work bound by the budget and the CPU: 30-50 s per test on a loaded 2-core machine (measured), seconds on a fast one.
jest.setTimeout(180_000);

/** Quotas x T: the budget's grants are checked on its own clock, so any scale is exact; a low one keeps runs short. */
const T = 2;
const NOW = new Date();
const CATEGORIES = ['UserList', 'UserResourceRead', 'UserResourceUpdate'] as const;
type Category = typeof CATEGORIES[number];
let sim: CognitoSimulator;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 20, max: 60 }, seed: 41 });
});
afterAll(async () => sim.stop());
beforeEach(() => sim.resetStats());

function seed(region: string, users: number): string {
  return sim.seedPool({ region, users, now: NOW, devicesPerUser: 1, maxAgeDays: 365 });
}

/**
 * Every category of `region` drew on one budget, within floor(rate) grants per second of its clock,
 * and every call the simulator got there was granted; `busy` categories ran for several seconds
 * of budget, so their peak means something.
 */
function expectWithinBudget(log: GrantLog, region: string, rates: Record<Category, number>, busy: readonly Category[]): void {
  const target = log.targets.find((t) => t.startsWith(`${region} `));
  expect(target).toBeDefined();
  for (const category of CATEGORIES) {
    const granted = log.of(category, target);
    expect({ category, budgets: granted.budgets }).toEqual({ category, budgets: 1 });
    expect({ category, peakOk: granted.peak <= Math.max(1, Math.floor(rates[category])) }).toEqual({ category, peakOk: true });
    expect({ category, granted: granted.grants }).toEqual({ category, granted: sim.stats.arrivalTimes(category, region).length });
  }
  for (const category of busy) expect(log.of(category, target).grants).toBeGreaterThan(rates[category] * 3);
}

test('two pools of one Region share one budget', async () => {
  const pools = [seed('eu-west-1', 130), seed('eu-west-1', 130)];
  const fraction = 0.4;

  const log = new GrantLog();
  const result = await sweepDevices({
    userPoolIds: pools,
    selection: { kind: 'stale', staleAfterSeconds: 270 * DAY_SECONDS },
    endpoint: sim.endpoint,
    rateBudget: scaledBudget(T, fraction),
    onGrant: log.record,
  });

  expect(result.done).toBe(true);
  expect(result.pools.every((p) => p.usersScanned === 130 && p.devicesForgotten > 0)).toBe(true);
  expect(log.targets).toHaveLength(1);
  expectWithinBudget(log, 'eu-west-1', result.ratesPerSecond, ['UserResourceRead']);
});

test('pools in two Regions are swept together, each Region within its own budget', async () => {
  const pools = [seed('eu-west-1', 260), seed('us-east-1', 260)];

  const log = new GrantLog();
  const result = await sweepDevices({
    userPoolIds: pools,
    selection: { kind: 'stale', staleAfterSeconds: 200 * DAY_SECONDS },
    endpoint: sim.endpoint,
    rateBudget: scaledBudget(T),
    onGrant: log.record,
  });

  expect(result.done).toBe(true);
  expect(result.pools.map((p) => [p.usersScanned, p.errors])).toEqual([[260, 0], [260, 0]]);
  expect(log.targets).toHaveLength(2);
  for (const region of ['eu-west-1', 'us-east-1']) expectWithinBudget(log, region, result.ratesPerSecond, ['UserResourceRead']);
  // Both Regions were busy at the same time: their grants interleave.
  const grantTimes = (region: string) => log.grants.filter((g) => g.category === 'UserResourceRead' && g.target.startsWith(`${region} `)).map((g) => g.atMs);
  const eu = grantTimes('eu-west-1');
  const us = grantTimes('us-east-1');
  expect(us[0]).toBeLessThan(eu[eu.length - 1]);
  expect(eu[0]).toBeLessThan(us[us.length - 1]);
});

test('explicit rates are applied and reported', async () => {
  const pool = seed('eu-west-1', 60);
  const ratesPerSecond = { UserList: 2 * T, UserResourceRead: 10 * T, UserResourceUpdate: 4 * T };

  const log = new GrantLog();
  const result = await sweepDevices({ userPoolIds: [pool], selection: { kind: 'all' }, endpoint: sim.endpoint, rateBudget: { ratesPerSecond }, onGrant: log.record });

  expect(result.ratesPerSecond).toEqual(ratesPerSecond);
  expectWithinBudget(log, 'eu-west-1', ratesPerSecond, ['UserResourceUpdate']);
});
