import { AdminForgetDeviceCommand, AdminListDevicesCommand, TooManyRequestsException } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, simulatorClient } from './index';

let sim: CognitoSimulator;
beforeAll(async () => {
  // Category quotas far above the per-user limit: only the per-user buckets can throttle.
  sim = await CognitoSimulator.start({ quotas: { UserResourceRead: 1_000, UserResourceUpdate: 1_000 } });
});
afterAll(async () => sim.stop());

test('each user gets 10 reads and 10 writes per second, apart from other users and from each other', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 2, devicesPerUser: 30 });
  const [alice, bob] = sim.usersOf(poolId).map((u) => u.username);
  const keys = sim.devicesOf(poolId, alice).map((d) => d.DeviceKey);
  const client = simulatorClient(sim, { maxAttempts: 1 });
  const settle = (calls: Promise<unknown>[]) => Promise.allSettled(calls).then((results) => ({
    ok: results.filter((r) => r.status === 'fulfilled').length,
    throttled: results.filter((r) => r.status === 'rejected' && r.reason instanceof TooManyRequestsException).length,
  }));
  try {
    const reads = await settle(Array.from({ length: 25 }, () => client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: alice }))));
    const forget = (DeviceKey: string) => client.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: alice, DeviceKey }));
    const writes = await settle(keys.slice(0, 25).map(forget));
    const otherUser = await settle(Array.from({ length: 10 }, () => client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: bob }))));

    // A bucket of 10 tokens refilling at 10/s: about 10 of 25 at once get through (a token may refill meanwhile).
    for (const burst of [reads, writes]) {
      expect(burst.ok).toBeGreaterThanOrEqual(10);
      expect(burst.ok).toBeLessThanOrEqual(12);
      expect(burst.ok + burst.throttled).toBe(25);
    }
    expect(otherUser).toEqual({ ok: 10, throttled: 0 });
    expect(sim.stats.perUserThrottled).toBe(reads.throttled + writes.throttled);
    expect(sim.stats.operations.AdminForgetDevice.throttled).toBe(writes.throttled);
  } finally {
    client.destroy();
  }
});
