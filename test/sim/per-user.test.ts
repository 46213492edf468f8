/** The simulator's per-user limit, on a manual clock: admission is exact, whatever the machine's speed. */
import { AdminForgetDeviceCommand, AdminListDevicesCommand, TooManyRequestsException } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, simulatorClient } from './index';

/** The simulator's clock (ms): frozen unless the test advances it. */
let clockMs = 0;
let sim: CognitoSimulator;
beforeAll(async () => {
  // Category quotas far above the per-user limit: only the per-user buckets can throttle.
  sim = await CognitoSimulator.start({ quotas: { UserResourceRead: 1_000, UserResourceUpdate: 1_000 }, clock: () => clockMs });
});
afterAll(async () => sim.stop());

test('each user gets 10 reads and 10 writes per second, apart from other users and from each other', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 2, devicesPerUser: 40 });
  const [alice, bob] = sim.usersOf(poolId).map((u) => u.username);
  const keys = sim.devicesOf(poolId, alice).map((d) => d.DeviceKey);
  const client = simulatorClient(sim, { maxAttempts: 1 });
  const settle = (calls: Promise<unknown>[]) => Promise.allSettled(calls).then((results) => ({
    ok: results.filter((r) => r.status === 'fulfilled').length,
    throttled: results.filter((r) => r.status === 'rejected' && r.reason instanceof TooManyRequestsException).length,
  }));
  const read = (Username: string) => client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username }));
  const forget = (DeviceKey: string) => client.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: alice, DeviceKey }));
  try {
    // The clock stands still: a full bucket of 10 tokens, and no refill.
    const reads = await settle(Array.from({ length: 25 }, () => read(alice)));
    const writes = await settle(keys.slice(0, 25).map(forget));
    const otherUser = await settle(Array.from({ length: 10 }, () => read(bob)));

    expect(reads).toEqual({ ok: 10, throttled: 15 });
    expect(writes).toEqual({ ok: 10, throttled: 15 });
    expect(otherUser).toEqual({ ok: 10, throttled: 0 });
    expect(sim.stats.perUserThrottled).toBe(30);
    expect(sim.stats.operations.AdminForgetDevice.throttled).toBe(15);

    // 10 per second refill: 0.25 s gives 2 more (2.5 tokens), one second gives the full 10 back.
    clockMs += 250;
    expect(await settle(Array.from({ length: 5 }, () => read(alice)))).toEqual({ ok: 2, throttled: 3 });
    clockMs += 1_000;
    expect(await settle(keys.slice(25, 40).map(forget))).toEqual({ ok: 10, throttled: 5 });
  } finally {
    client.destroy();
  }
});
