/** The revocation entry of the engine: one user's devices, all of them, against the simulator through the real SDK client. */
import { DeviceRevoker, SweepInputError } from '../../src/sweep';
import { CognitoSimulator, SimDevice } from '../sim';
import { deviceKeys, scaledBudget, sorted } from './fixture';

const T = 20;
let sim: CognitoSimulator;
let revoker: DeviceRevoker;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 5, max: 20 }, seed: 31 });
});
afterAll(async () => sim.stop());
beforeEach(() => {
  sim.setFaults({});
  sim.resetStats();
  revoker = new DeviceRevoker({ endpoint: sim.endpoint, rateBudget: scaledBudget(T) });
});
afterEach(() => revoker.close());

let pools = 0;
function seed(): string {
  return sim.seedPool({ region: 'eu-west-1', users: 30, devicesPerUser: { min: 1, max: 3 }, statusMix: { CONFIRMED: 1 }, name: `revoke-${pools++}` });
}

function device(serial: number): SimDevice {
  const hex = serial.toString(16).padStart(12, '0');
  return { DeviceKey: `eu-west-1_00000000-0000-4000-8000-${hex}`, DeviceAttributes: [], DeviceCreateDate: new Date('2026-01-01T00:00:00Z') };
}

/** The pool's devices except those of `username`. */
function othersOf(poolId: string, username: string): string[] {
  return sorted(sim.allDevices(poolId).filter((d) => d.username !== username).map((d) => d.device.DeviceKey));
}

test('by username: forgets every device of that user and touches no other', async () => {
  const poolId = seed();
  const alice = sim.usersOf(poolId)[4];
  const others = othersOf(poolId, alice.username);

  const result = await revoker.revoke({ userPoolId: poolId, username: alice.username });

  expect(result).toEqual({ outcome: 'revoked', resolvedBy: 'username', devicesFound: alice.deviceCount, devicesForgotten: alice.deviceCount, devicesAlreadyGone: 0 });
  expect(alice.deviceCount).toBeGreaterThan(0);
  expect(sim.devicesOf(poolId, alice.username)).toEqual([]);
  expect(sorted(deviceKeys(sim, poolId))).toEqual(others);
  expect(sim.stats.operation('ListUsers').calls).toBe(0);
});

test('by the sub of a local user: used as Username, no ListUsers', async () => {
  const poolId = seed();
  const bob = sim.usersOf(poolId)[7];
  const others = othersOf(poolId, bob.username);

  const result = await revoker.revoke({ userPoolId: poolId, sub: bob.sub });

  expect(result).toMatchObject({ outcome: 'revoked', resolvedBy: 'subAsUsername', devicesForgotten: bob.deviceCount });
  expect(sim.devicesOf(poolId, bob.username)).toEqual([]);
  expect(sorted(deviceKeys(sim, poolId))).toEqual(others);
  expect(sim.stats.operation('ListUsers').calls).toBe(0);
});

test('by the sub of a federated user: found through ListUsers with a sub filter', async () => {
  const poolId = seed();
  sim.addUser(poolId, { username: 'Google_1093', status: 'EXTERNAL_PROVIDER', devices: [device(1), device(2)] });
  const fed = sim.usersOf(poolId).find((u) => u.username === 'Google_1093')!;
  const others = othersOf(poolId, fed.username);

  const result = await revoker.revoke({ userPoolId: poolId, sub: fed.sub });

  expect(result).toMatchObject({ outcome: 'revoked', resolvedBy: 'listUsers', devicesForgotten: 2 });
  expect(sim.devicesOf(poolId, fed.username)).toEqual([]);
  expect(sorted(deviceKeys(sim, poolId))).toEqual(others);
  expect(sim.stats.operation('ListUsers').calls).toBe(1);
});

test('a user with more than one page of devices loses all of them', async () => {
  const poolId = seed();
  sim.addUser(poolId, { username: 'many', devices: Array.from({ length: 130 }, (_, i) => device(100 + i)) });

  const result = await revoker.revoke({ userPoolId: poolId, username: 'many' });

  expect(result.devicesForgotten).toBe(130);
  expect(sim.devicesOf(poolId, 'many')).toEqual([]);
  expect(sim.stats.operation('AdminListDevices').calls).toBe(3);
});

test('an unknown username or sub changes nothing and says so', async () => {
  const poolId = seed();
  const before = sorted(deviceKeys(sim, poolId));

  await expect(revoker.revoke({ userPoolId: poolId, username: 'nobody' })).resolves.toMatchObject({ outcome: 'unknownUser', devicesFound: 0 });
  await expect(revoker.revoke({ userPoolId: poolId, sub: '00000000-0000-4000-8000-0000000000aa' }))
    .resolves.toMatchObject({ outcome: 'unknownUser', resolvedBy: 'none' });
  expect(sorted(deviceKeys(sim, poolId))).toEqual(before);
  expect(sim.stats.operation('AdminForgetDevice').calls).toBe(0);
});

test('devices already gone count as success: two revocations of one user at once both succeed', async () => {
  const poolId = seed();
  sim.addUser(poolId, { username: 'twice', devices: Array.from({ length: 6 }, (_, i) => device(300 + i)) });

  const results = await Promise.all([
    revoker.revoke({ userPoolId: poolId, username: 'twice' }),
    revoker.revoke({ userPoolId: poolId, username: 'twice' }),
  ]);

  expect(sim.devicesOf(poolId, 'twice')).toEqual([]);
  for (const result of results) expect(result.devicesForgotten + result.devicesAlreadyGone).toBe(6);
  expect(results[0].devicesForgotten + results[1].devicesForgotten).toBe(6);
});

test('devices vanishing while listed, throttles and 5xx: still every device forgotten or gone', async () => {
  const poolId = seed();
  sim.addUser(poolId, { username: 'storm', devices: Array.from({ length: 40 }, (_, i) => device(400 + i)) });
  sim.setFaults({ vanishDeviceRate: 0.2, throttleRate: 0.2, serverErrorRate: 0.05 });

  const result = await revoker.revoke({ userPoolId: poolId, username: 'storm' });

  expect(sim.devicesOf(poolId, 'storm')).toEqual([]);
  expect(result.devicesForgotten + result.devicesAlreadyGone).toBe(result.devicesFound);
  expect(result.devicesAlreadyGone).toBeGreaterThan(0);
  expect(revoker.stats.throttled).toBeGreaterThan(0);
});

test('a dry run lists and counts, forgets nothing', async () => {
  const poolId = seed();
  const dry = new DeviceRevoker({ endpoint: sim.endpoint, rateBudget: scaledBudget(T), dryRun: true });
  const carol = sim.usersOf(poolId)[2];
  try {
    await expect(dry.revoke({ userPoolId: poolId, username: carol.username }))
      .resolves.toMatchObject({ outcome: 'revoked', devicesFound: carol.deviceCount, devicesForgotten: 0 });
  } finally {
    dry.close();
  }
  expect(sim.devicesOf(poolId, carol.username)).toHaveLength(carol.deviceCount);
  expect(sim.stats.operation('AdminForgetDevice').calls).toBe(0);
});

test('a pool Cognito does not know fails the revocation (the caller retries it)', async () => {
  await expect(revoker.revoke({ userPoolId: 'eu-west-1_Missing99', username: 'alice' })).rejects.toThrow(/ResourceNotFound|not found|does not exist/i);
});

test.each([
  ['no pool id', { username: 'alice' }, /userPoolId must be a user pool id/],
  ['a bad pool id', { userPoolId: 'AbC', username: 'alice' }, /Invalid user pool id/],
  ['neither username nor sub', { userPoolId: 'eu-west-1_AbC123' }, /exactly one of username or sub/],
  ['both username and sub', { userPoolId: 'eu-west-1_AbC123', username: 'a', sub: '00000000-0000-4000-8000-000000000001' }, /exactly one/],
  ['a sub that is not a UUID (it would reach a filter)', { userPoolId: 'eu-west-1_AbC123', sub: 'x" or sub ^= "' }, /sub must be the user's sub attribute/],
  ['an empty username', { userPoolId: 'eu-west-1_AbC123', username: '' }, /username is empty/],
])('refuses %s before any call', async (_name, target, message) => {
  const rejection = revoker.revoke(target as never);
  await expect(rejection).rejects.toBeInstanceOf(SweepInputError);
  await expect(rejection).rejects.toThrow(message);
  expect(sim.stats.totals.calls).toBe(0);
});
