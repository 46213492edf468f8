import {
  AdminListDevicesCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, simulatorClient } from './index';
import { maxInWindow } from './stats';

/** The simulators' clock (ms): frozen unless a test advances it, so admission is exact on any machine. */
let clockMs = 0;
const sims: CognitoSimulator[] = [];
const clients: CognitoIdentityProviderClient[] = [];

async function start(options: Parameters<typeof CognitoSimulator.start>[0]): Promise<CognitoSimulator> {
  const sim = await CognitoSimulator.start({ clock: () => clockMs, ...options });
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

test('three times the burst at once is throttled; the bucket admits its burst, then its refill', async () => {
  // burst = 50 calls, refill 10/s: the 150 calls would have to trickle in over 10 s to escape throttling.
  const sim = await start({ quotas: { UserResourceRead: 10 }, burstSeconds: 5 });
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1 });
  const client = clientOf(sim);
  const read = () => new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'user-000000' });

  // The clock stands still during each burst.
  expect(await burst(client, 150, read)).toEqual({ ok: 50, throttled: 100 });
  clockMs += 1_000;
  expect(await burst(client, 150, read)).toEqual({ ok: 10, throttled: 140 });

  expect(sim.stats.operations.AdminListDevices).toEqual({ calls: 300, throttled: 240, succeeded: 60, errors: 0, refused: 0 });
  // A token bucket admits at most its burst plus one second of refill in any one second: here the
  // burst at 0 and the refill at 1 s, 1 s apart, so no window of [t, t + 1 s) holds both.
  expect(sim.peakRate('UserResourceRead', 'eu-west-1')).toBe(50);
  expect(sim.peakRate('UserResourceRead', 'eu-west-1', 1_001)).toBeCloseTo(60 / 1.001, 10);
});

test('a paced loop well under the quota is never throttled', async () => {
  // rate 500 calls/s real (50 x 10), burst only 50 calls; the loop sends one call per 20 ms of the clock
  // (50/s, also under the per-user 10 x 10/s of its one user).
  const sim = await start({ quotas: { UserResourceRead: 50 }, timeScale: 10, burstSeconds: 0.1 });
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1 });
  const client = clientOf(sim);

  for (let i = 0; i < 100; i++) {
    await client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'user-000000' }));
    clockMs += 20;
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

  // Simulated time runs 1000x faster: two bursts of 5 calls, 3 s of the clock apart (3000 simulated
  // s), fall within one simulated hour, so the peak over a one-hour window is 10 calls per 3600 s.
  clockMs += 3_000;
  await burst(client, 5, () => new ListUsersCommand({ UserPoolId: poolId }));
  expect(sim.peakRate('UserList', 'eu-west-1', 3_600_000)).toBeCloseTo(10 / 3600, 10);
  // And over one simulated second, 5 calls each second: the two bursts are 3000 simulated s apart.
  expect(sim.peakRate('UserList', 'eu-west-1', 1_000)).toBe(5);
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
