/**
 * The sweep's peak rate, measured as Cognito would see it: calls arriving (throttled ones too) in
 * any second of wall time, at every time scale the tests use. At budget 1 that is the quota itself.
 */
import { sweepDevices } from '../../src/sweep';
import { CognitoSimulator } from '../sim';
import { DAY_SECONDS, scaledBudget, unscaledBudget } from './fixture';

const NOW = new Date();
const CATEGORIES = ['UserList', 'UserResourceRead', 'UserResourceUpdate'] as const;

describe.each([1, 4, 10])('at time scale %p', (timeScale) => {
  let sim: CognitoSimulator;
  beforeAll(async () => {
    sim = await CognitoSimulator.start({ timeScale, latencyMs: { min: 20, max: 60 }, seed: 7 });
  });
  afterAll(async () => sim.stop());

  test.each([1, 0.5])('no second of wall time holds more calls than budget %p allows', async (fraction) => {
    sim.resetStats();
    // Every device stale, several per user: AdminForgetDevice (quota 25) is the busiest category.
    const pool = sim.seedPool({ region: 'eu-west-1', users: 30 * timeScale, now: NOW, devicesPerUser: { min: 2, max: 4 }, maxAgeDays: 0 });
    const result = await sweepDevices({
      userPoolIds: [pool], selection: { kind: 'all' }, endpoint: sim.endpoint, rateBudget: scaledBudget(timeScale, fraction),
    });

    expect(result.done).toBe(true);
    const budget = unscaledBudget(fraction);
    for (const category of CATEGORIES) expect(sim.peakWallRate(category, 'eu-west-1')).toBeLessThanOrEqual(budget[category]);
    // The forgets ran for several seconds at a good share of their budget (a loaded machine may not reach it), so the peak means something.
    expect(sim.peakWallRate('UserResourceUpdate', 'eu-west-1')).toBeGreaterThanOrEqual(budget.UserResourceUpdate * 0.5);
  });
});
