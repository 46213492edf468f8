/** The sweep stays within its budget per category and Region: pools of one Region share it, Regions each have theirs. */
import { CognitoSimulator } from '../sim';
import { sweepDevices } from '../../src/sweep';
import { DAY_SECONDS, scaledBudget, unscaledBudget } from './fixture';

const T = 10;
const NOW = new Date();
/** Peak rates are measured over windows of this many simulated ms (the limiter's burst is a few tokens). */
const WINDOW_MS = 4_000;
/** The limiter's bucket may add a couple of requests per window on top of the rate. */
const BURST_TOLERANCE = 1.1;
const CATEGORIES = ['UserList', 'UserResourceRead', 'UserResourceUpdate'] as const;
let sim: CognitoSimulator;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 20, max: 60 }, seed: 41 });
});
afterAll(async () => sim.stop());
beforeEach(() => sim.resetStats());

function seed(region: string, users: number): string {
  return sim.seedPool({ region, users, now: NOW, devicesPerUser: { min: 1, max: 3 } });
}

test('two pools of one Region share one budget', async () => {
  const pools = [seed('eu-west-1', 150), seed('eu-west-1', 150)];
  const fraction = 0.4;

  const result = await sweepDevices({
    userPoolIds: pools, selection: { kind: 'stale', staleAfterSeconds: 30 * DAY_SECONDS }, endpoint: sim.endpoint, rateBudget: scaledBudget(T, fraction),
  });

  expect(result.done).toBe(true);
  expect(result.pools.every((p) => p.usersScanned === 150 && p.devicesForgotten > 0)).toBe(true);
  const budget = unscaledBudget(fraction);
  for (const category of CATEGORIES) {
    expect(sim.peakRate(category, 'eu-west-1', WINDOW_MS)).toBeLessThanOrEqual(budget[category] * BURST_TOLERANCE);
  }
  // The read budget was used, not left idle (the bound is far below the budget to stay machine-independent).
  expect(sim.peakRate('UserResourceRead', 'eu-west-1', WINDOW_MS)).toBeGreaterThan(budget.UserResourceRead * 0.3);
});

test('pools in two Regions are swept together, each Region within its own budget', async () => {
  const pools = [seed('eu-west-1', 120), seed('us-east-1', 120)];

  const result = await sweepDevices({ userPoolIds: pools, selection: { kind: 'all' }, endpoint: sim.endpoint, rateBudget: scaledBudget(T) });

  expect(result.done).toBe(true);
  for (const pool of pools) expect(sim.allDevices(pool)).toHaveLength(0);
  expect(result.pools.map((p) => p.errors)).toEqual([0, 0]);
  const budget = unscaledBudget();
  for (const region of ['eu-west-1', 'us-east-1']) {
    for (const category of CATEGORIES) {
      expect(sim.peakRate(category, region, WINDOW_MS)).toBeLessThanOrEqual(budget[category] * BURST_TOLERANCE);
    }
  }
  // Both Regions were busy at the same time: their calls interleave.
  const eu = sim.stats.admittedTimes('UserResourceUpdate', 'eu-west-1');
  const us = sim.stats.admittedTimes('UserResourceUpdate', 'us-east-1');
  expect(us[0]).toBeLessThan(eu[eu.length - 1]);
  expect(eu[0]).toBeLessThan(us[us.length - 1]);
});

test('explicit rates are applied and reported', async () => {
  const pool = seed('eu-west-1', 60);
  const ratesPerSecond = { UserList: 2 * T, UserResourceRead: 10 * T, UserResourceUpdate: 4 * T };

  const result = await sweepDevices({ userPoolIds: [pool], selection: { kind: 'all' }, endpoint: sim.endpoint, rateBudget: { ratesPerSecond } });

  expect(result.ratesPerSecond).toEqual(ratesPerSecond);
  expect(sim.peakRate('UserResourceUpdate', 'eu-west-1', WINDOW_MS)).toBeLessThanOrEqual(4 * BURST_TOLERANCE);
  expect(sim.peakRate('UserResourceRead', 'eu-west-1', WINDOW_MS)).toBeLessThanOrEqual(10 * BURST_TOLERANCE);
});
