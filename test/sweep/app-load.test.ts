/**
 * The sweep alongside the application's own traffic on the same quotas (the benchmark's scenarios,
 * smaller): under light app load the sweeper adds no app throttles; under heavy load it yields.
 */
import { sweepDevices, SweepResult } from '../../src/sweep';
import { AppLoad, CognitoSimulator } from '../sim';
import { scaledBudget } from './fixture';

const T = 5;
const ALONE_MS = 3_000;

/** The app's throttle rate alone and during a sweep at budget 0.5, and the sweep's forgets per Cognito second. */
async function scenario(appShare: number): Promise<{ alone: number; during: number; forgetsPerSecond: number; result: SweepResult }> {
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 30, max: 70 }, seed: 12 });
  const app = AppLoad.start(sim, { region: 'eu-west-1', share: appShare, seed: 12 });
  try {
    const pool = sim.seedPool({ region: 'eu-west-1', users: 30 * T, devicesPerUser: { min: 1, max: 5 }, maxAgeDays: 0 });
    await new Promise((resolve) => setTimeout(resolve, ALONE_MS));
    const alone = app.throttleRate;
    app.resetStats();
    const started = performance.now();
    const result = await sweepDevices({ userPoolIds: [pool], selection: { kind: 'all' }, endpoint: sim.endpoint, rateBudget: scaledBudget(T) });
    const seconds = ((performance.now() - started) / 1000) * T;
    return { alone, during: app.throttleRate, forgetsPerSecond: result.pools[0].devicesForgotten / seconds, result };
  } finally {
    app.stop();
    await sim.stop();
  }
}

test('app at 40% and 90% of each quota: the sweeper adds at most 1 and 2 points to its throttle rate, and yields at 90%', async () => {
  const light = await scenario(0.4);
  const heavy = await scenario(0.9);

  expect(light.result.done && heavy.result.done).toBe(true);
  expect(light.during - light.alone).toBeLessThanOrEqual(0.01);
  expect(heavy.during - heavy.alone).toBeLessThanOrEqual(0.02);
  // Only 10% of the update quota is left at 90%: the sweeper's forget rate falls well under its 12.5/s.
  expect(heavy.forgetsPerSecond).toBeLessThan(light.forgetsPerSecond * 0.75);
  expect(light.forgetsPerSecond).toBeGreaterThan(12.5 * 0.8);
}, 120_000);
