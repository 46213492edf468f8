import {
  AdminListDevicesCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, simulatorClient } from './index';
import { maxInWindow } from './stats';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sims: CognitoSimulator[] = [];
const clients: CognitoIdentityProviderClient[] = [];

async function start(options: Parameters<typeof CognitoSimulator.start>[0]): Promise<CognitoSimulator> {
  const sim = await CognitoSimulator.start(options);
  sims.push(sim);
  return sim;
}
function clientOf(sim: CognitoSimulator, region = 'eu-west-1'): CognitoIdentityProviderClient {
  const client = simulatorClient(sim, { region, maxAttempts: 1 });
  clients.push(client);
  return client;
}
afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await Promise.all(sims.map((s) => s.stop()));
});

/** Sends `command` n times at once and counts the outcomes. */
async function burst(client: CognitoIdentityProviderClient, n: number, command: () => AdminListDevicesCommand | ListUsersCommand) {
  const results = await Promise.allSettled(Array.from({ length: n }, () => client.send(command() as AdminListDevicesCommand)));
  const throttled = results.filter((r) => r.status === 'rejected' && r.reason instanceof TooManyRequestsException).length;
  const other = results.filter((r) => r.status === 'rejected' && !(r.reason instanceof TooManyRequestsException));
  expect(other).toEqual([]);
  return { ok: n - throttled, throttled };
}

test('three times the burst at once is throttled; the bucket admits at least its burst and at most burst + refill', async () => {
  // burst = 50 calls, refill 10/s: the 150 calls would have to trickle in over 10 s to escape throttling.
  const sim = await start({ quotas: { UserResourceRead: 10 }, burstSeconds: 5 });
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1 });
  const client = clientOf(sim);

  const { ok, throttled } = await burst(client, 150, () => new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'user-000000' }));

  expect(throttled).toBeGreaterThan(0);
  expect(ok).toBeGreaterThanOrEqual(50);
  expect(sim.stats.operations.AdminListDevices).toMatchObject({ calls: 150, throttled, succeeded: ok });
  // In any one second a token bucket admits at most its burst plus one second of refill.
  expect(sim.peakRate('UserResourceRead', 'eu-west-1')).toBeLessThanOrEqual(60);
  expect(sim.peakRate('UserResourceRead', 'eu-west-1')).toBeGreaterThanOrEqual(50);
});

test('a paced loop well under the quota is never throttled', async () => {
  // rate 500 calls/s real (50 x 10), burst only 50 calls; the loop sends at most one call per 5 ms (200/s).
  const sim = await start({ quotas: { UserResourceRead: 50 }, timeScale: 10, burstSeconds: 0.1 });
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1 });
  const client = clientOf(sim);

  for (let i = 0; i < 100; i++) {
    await client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'user-000000' }));
    await sleep(5);
  }

  expect(sim.stats.operations.AdminListDevices).toEqual({ calls: 100, succeeded: 100, throttled: 0, errors: 0, refused: 0 });
});

test('all pools of a Region share one bucket per category; other Regions and categories have their own', async () => {
  const sim = await start({ quotas: { UserList: 0.1, UserResourceRead: 0.1 } }); // one call each, then empty for 10 s
  const a = sim.seedPool({ region: 'eu-west-1', users: 1 });
  const b = sim.seedPool({ region: 'eu-west-1', users: 1 });
  const us = sim.seedPool({ region: 'us-east-1', users: 1 });
  const eu = clientOf(sim);

  await eu.send(new ListUsersCommand({ UserPoolId: a }));
  await expect(eu.send(new ListUsersCommand({ UserPoolId: b }))).rejects.toBeInstanceOf(TooManyRequestsException);
  await expect(eu.send(new AdminListDevicesCommand({ UserPoolId: b, Username: 'user-000000' }))).resolves.toBeDefined();
  await expect(clientOf(sim, 'us-east-1').send(new ListUsersCommand({ UserPoolId: us }))).resolves.toBeDefined();
  expect(sim.stats.operations.ListUsers).toEqual({ calls: 3, succeeded: 2, throttled: 1, errors: 0, refused: 0 });
});

test('peakRate converts simulated time back to unscaled requests/s and resetStats clears it', async () => {
  const sim = await start({ timeScale: 1000 });
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1 });
  const client = clientOf(sim);
  await burst(client, 5, () => new ListUsersCommand({ UserPoolId: poolId }));

  // Simulated time runs 1000x faster: the 5 calls fall within one simulated hour (3.6 s real),
  // so the peak over a one-hour window is 5 calls per 3600 s.
  const peak = sim.peakRate('UserList', 'eu-west-1', 3_600_000);
  expect(peak).toBeCloseTo(5 / 3600, 10);
  expect(sim.peakRate('UserList', 'us-east-1')).toBe(0);
  expect(sim.peakRate('UserList')).toBeCloseTo(sim.peakRate('UserList', 'eu-west-1'));

  sim.resetStats();
  expect(sim.peakRate('UserList')).toBe(0);
  expect(sim.stats.totals).toEqual({ calls: 0, succeeded: 0, throttled: 0, errors: 0, refused: 0 });
});

test('maxInWindow counts the most timestamps inside any half-open window', () => {
  expect(maxInWindow([], 1000)).toBe(0);
  expect(maxInWindow([0, 100, 999, 1000, 1500, 1999], 1000)).toBe(3); // [t, t+1000) never holds 4 of them
  expect(maxInWindow([0, 1000, 2000], 1000)).toBe(1);
  expect(maxInWindow([0, 1, 2, 3], 10)).toBe(4);
  expect(maxInWindow([0, 5, 5, 5, 9, 20], 10)).toBe(5);
});
