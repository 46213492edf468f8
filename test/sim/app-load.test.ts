/** The application's traffic model, on the simulator's manual clock: its calls and throttles are exact. */
import { AdminListDevicesCommand, TooManyRequestsException } from '@aws-sdk/client-cognito-identity-provider';
import { AppLoad, CognitoSimulator, simulatorClient } from './index';

/** The simulator's clock (ms): it moves only when a test advances it. */
let clockMs = 0;
let sim: CognitoSimulator;
beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: 10, clock: () => clockMs });
});
afterAll(async () => sim.stop());

/** Moves the clock `ms` forward in 5 ms steps, sending the application's arrivals due at each. */
function advance(app: AppLoad, ms: number): void {
  for (let step = 0; step < ms; step += 5) {
    clockMs += 5;
    app.sendDue();
  }
}

test('sends its share of each quota, and is not throttled while under it', () => {
  const app = AppLoad.start(sim, { region: 'eu-west-1', share: 0.4, seed: 2, autoSend: false });
  advance(app, 10_000);
  app.stop();
  // 0.4 x quota x 10 per second of the clock, Poisson over 10 s: within 5% (the seed fixes the count).
  expect(app.stats.UserResourceUpdate!.calls / 10).toBeGreaterThan(0.95 * 100);
  expect(app.stats.UserResourceUpdate!.calls / 10).toBeLessThan(1.05 * 100);
  expect(app.stats.UserResourceRead!.calls / 10).toBeGreaterThan(0.95 * 200);
  expect(app.stats.UserResourceRead!.calls / 10).toBeLessThan(1.05 * 200);
  expect(app.stats.UserList!.calls / 10).toBeGreaterThan(0.95 * 120);
  expect(app.stats.UserList!.calls / 10).toBeLessThan(1.05 * 120);
  expect(app.throttleRate).toBe(0);
  expect(sim.stats.totals.calls).toBe(0);
});

test('draws on the buckets the sweeper uses: over the quota, both are throttled', async () => {
  const app = AppLoad.start(sim, { region: 'us-east-1', share: 1.5, categories: ['UserResourceRead'], seed: 3, autoSend: false });
  const poolId = sim.seedPool({ region: 'us-east-1', users: 40 });
  const client = simulatorClient(sim, { region: 'us-east-1', maxAttempts: 1 });
  try {
    // The 1 s burst (500 tokens at this scale) is gone after 2 s at 1.5x the quota.
    advance(app, 3_000);
    expect(app.throttleRate).toBeGreaterThan(0.1);
    // One call at a time, 10 ms of the clock apart, so the application's arrivals keep coming in between.
    let throttled = 0;
    for (let i = 0; i < 40; i++) {
      try {
        await client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: `user-${String(i).padStart(6, '0')}` }));
      } catch (error) {
        if (!(error instanceof TooManyRequestsException)) throw error;
        throttled++;
      }
      advance(app, 10);
    }
    // The application takes every token as it refills: the sweeper's calls find the bucket empty.
    expect(throttled).toBeGreaterThan(20);
    expect(app.throttleRate).toBeGreaterThan(0.1);
  } finally {
    app.stop();
    client.destroy();
  }
});
