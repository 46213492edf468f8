/** The sweep stays within its budget per category and Region: pools of one Region share it, Regions each have theirs. */
import { sweepDevices } from '../../src/sweep';
import { CognitoSimulator } from '../sim';
import { DAY_SECONDS, scaledBudget, unscaledBudget } from './fixture';

/**
 * A low time scale keeps the process (engine and simulator share it) far from CPU-bound, and makes the
 * 4 s simulated window 2 s of wall time: long against the scheduling jitter of a loaded 2-core machine,
 * which would otherwise bunch arrival times. (At T = 5 the window was 0.8 s and read 2% over under load.)
 */
const T = 2;
const NOW = new Date();
/** Peak rates are measured over sliding windows of this many simulated ms. */
const WINDOW_MS = 4_000;
/** The limiter's small bucket and the scheduling jitter between a grant and the simulator's clock. */
const TOLERANCE = 1.15;
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

/** Every category of `region` within its budget; `busy` categories ran for over two windows, so their peak means something. */
function expectWithinBudget(region: string, budget: Record<Category, number>, busy: readonly Category[]): void {
  for (const category of CATEGORIES) {
    expect(sim.peakRate(category, region, WINDOW_MS)).toBeLessThanOrEqual(budget[category] * TOLERANCE);
  }
  for (const category of busy) {
    expect(sim.stats.admittedTimes(category, region).length).toBeGreaterThan(budget[category] * 2 * (WINDOW_MS / 1000));
  }
}

test('two pools of one Region share one budget', async () => {
  const pools = [seed('eu-west-1', 130), seed('eu-west-1', 130)];
  const fraction = 0.4;

  const result = await sweepDevices({
    userPoolIds: pools, selection: { kind: 'stale', staleAfterSeconds: 270 * DAY_SECONDS }, endpoint: sim.endpoint, rateBudget: scaledBudget(T, fraction),
  });

  expect(result.done).toBe(true);
  expect(result.pools.every((p) => p.usersScanned === 130 && p.devicesForgotten > 0)).toBe(true);
  expectWithinBudget('eu-west-1', unscaledBudget(fraction), ['UserResourceRead']);
});

test('pools in two Regions are swept together, each Region within its own budget', async () => {
  const pools = [seed('eu-west-1', 260), seed('us-east-1', 260)];

  const result = await sweepDevices({
    userPoolIds: pools, selection: { kind: 'stale', staleAfterSeconds: 200 * DAY_SECONDS }, endpoint: sim.endpoint, rateBudget: scaledBudget(T),
  });

  expect(result.done).toBe(true);
  expect(result.pools.map((p) => [p.usersScanned, p.errors])).toEqual([[260, 0], [260, 0]]);
  for (const region of ['eu-west-1', 'us-east-1']) expectWithinBudget(region, unscaledBudget(), ['UserResourceRead']);
  // Both Regions were busy at the same time: their calls interleave.
  const eu = sim.stats.admittedTimes('UserResourceRead', 'eu-west-1');
  const us = sim.stats.admittedTimes('UserResourceRead', 'us-east-1');
  expect(us[0]).toBeLessThan(eu[eu.length - 1]);
  expect(eu[0]).toBeLessThan(us[us.length - 1]);
});

test('explicit rates are applied and reported', async () => {
  const pool = seed('eu-west-1', 60);
  const ratesPerSecond = { UserList: 2 * T, UserResourceRead: 10 * T, UserResourceUpdate: 4 * T };

  const result = await sweepDevices({ userPoolIds: [pool], selection: { kind: 'all' }, endpoint: sim.endpoint, rateBudget: { ratesPerSecond } });

  expect(result.ratesPerSecond).toEqual(ratesPerSecond);
  expectWithinBudget('eu-west-1', { UserList: 2, UserResourceRead: 10, UserResourceUpdate: 4 }, ['UserResourceUpdate']);
});
