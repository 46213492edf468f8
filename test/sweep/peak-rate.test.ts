/**
 * The sweep's peak rate at every time scale the tests use, checked where it is decided: every call
 * the simulator received (throttled ones too) was granted by the budget, and no second of the
 * budget's own clock holds more grants than floor(budget). Exact on any machine; how evenly those
 * calls arrive in wall time is measured by `npm run bench` (wallPeaks in the BENCH line).
 */
import { sweepDevices } from '../../src/sweep';
import { CognitoSimulator } from '../sim';
import { scaledBudget } from './fixture';
import { GrantLog } from './grant-log';

// Real simulator work bound by the budget and the CPU: 30-50 s per test on a loaded 2-core machine (measured), seconds on a fast one.
jest.setTimeout(180_000);

const NOW = new Date();
const CATEGORIES = ['UserList', 'UserResourceRead', 'UserResourceUpdate'] as const;
const OPERATION_OF = { UserList: 'ListUsers', UserResourceRead: 'AdminListDevices', UserResourceUpdate: 'AdminForgetDevice' } as const;

describe.each([1, 4, 10])('at time scale %p', (timeScale) => {
  let sim: CognitoSimulator;
  beforeAll(async () => {
    sim = await CognitoSimulator.start({ timeScale, latencyMs: { min: 20, max: 60 }, seed: 7 });
  });
  afterAll(async () => sim.stop());

  test.each([1, 0.5])('no second holds more calls than budget %p allows', async (fraction) => {
    sim.resetStats();
    // Every device stale, several per user: AdminForgetDevice (quota 25) is the busiest category.
    const pool = sim.seedPool({ region: 'eu-west-1', users: 30 * timeScale, now: NOW, devicesPerUser: { min: 2, max: 4 }, maxAgeDays: 0 });
    const log = new GrantLog();
    const result = await sweepDevices({
      userPoolIds: [pool], selection: { kind: 'all' }, endpoint: sim.endpoint, rateBudget: scaledBudget(timeScale, fraction), onGrant: log.record,
    });

    expect(result.done).toBe(true);
    for (const category of CATEGORIES) {
      const granted = log.of(category);
      expect({ category, budgets: granted.budgets }).toEqual({ category, budgets: 1 });
      expect({ category, peakOk: granted.peak <= Math.floor(result.ratesPerSecond[category]) }).toEqual({ category, peakOk: true });
      // Every call that reached the simulator went through the budget: none bypassed it.
      expect({ category, granted: granted.grants }).toEqual({ category, granted: sim.stats.operations[OPERATION_OF[category]].calls });
    }
    // The forgets filled several seconds of their budget, so the peak check covers windows that could overflow.
    expect(log.of('UserResourceUpdate').grants).toBeGreaterThan(3 * result.ratesPerSecond.UserResourceUpdate);
  });
});
