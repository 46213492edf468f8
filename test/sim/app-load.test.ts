import { AdminListDevicesCommand, TooManyRequestsException } from '@aws-sdk/client-cognito-identity-provider';
import { AppLoad, CognitoSimulator, simulatorClient } from './index';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let sim: CognitoSimulator;
beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: 10 });
});
afterAll(async () => sim.stop());

test('sends its share of each quota, and is not throttled while under it', async () => {
  const app = AppLoad.start(sim, { region: 'eu-west-1', share: 0.4, seed: 2 });
  await sleep(1_000);
  app.stop();
  // 0.4 x quota x 10 per wall second, Poisson: within 15%.
  expect(app.stats.UserResourceUpdate!.calls).toBeGreaterThan(0.85 * 100);
  expect(app.stats.UserResourceUpdate!.calls).toBeLessThan(1.15 * 100);
  expect(app.stats.UserResourceRead!.calls).toBeGreaterThan(0.85 * 200);
  expect(app.throttleRate).toBe(0);
  expect(sim.stats.totals.calls).toBe(0);
});

test('draws on the buckets the sweeper uses: over the quota, both are throttled', async () => {
  const app = AppLoad.start(sim, { region: 'us-east-1', share: 1.5, categories: ['UserResourceRead'], seed: 3 });
  const poolId = sim.seedPool({ region: 'us-east-1', users: 1 });
  const client = simulatorClient(sim, { region: 'us-east-1', maxAttempts: 1 });
  try {
    // The 1 s burst (500 tokens at this scale) is gone after 2 s at 1.5x the quota.
    await sleep(3_000);
    // One call at a time, so the application's arrivals keep coming in between.
    let throttled = 0;
    for (let i = 0; i < 40; i++) {
      try {
        await client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'user-000000' }));
      } catch (error) {
        if (!(error instanceof TooManyRequestsException)) throw error;
        throttled++;
      }
      await sleep(10);
    }
    expect(throttled).toBeGreaterThan(0);
    expect(app.throttleRate).toBeGreaterThan(0.1);
  } finally {
    app.stop();
    client.destroy();
  }
});
