/** Exactly the right devices are forgotten, for each selection, against the simulator through the real SDK client. */
import { createSweepClient, sweepDevices, SweepOptions, SweepProgress } from '../../src/sweep';
import { useSimulator } from '../sim';
import {
  DAY_SECONDS, deviceKeys, expectedAgePicture, isRemembered, keysWhere, lastUseMs, removed, scaledBudget, sorted, staleAt,
} from './fixture';

const T = 20;
const NOW = new Date();
const STALE_AFTER = 90 * DAY_SECONDS;
const sim = useSimulator({ timeScale: T, latencyMs: { min: 20, max: 60 }, seed: 11 });
beforeEach(() => sim.resetStats());

let pools = 0;
function seed(users = 240): string {
  return sim.seedPool({
    region: 'eu-west-1',
    users,
    statusMix: { CONFIRMED: 0.8, UNCONFIRMED: 0.1, RESET_REQUIRED: 0.05, EXTERNAL_PROVIDER: 0.05 },
    devicesPerUser: { min: 0, max: 4 },
    undatedFraction: 0.05,
    notRememberedFraction: 0.3,
    now: NOW,
    name: `selection-${pools++}`,
  });
}

function options(poolId: string, extra: Partial<SweepOptions> = {}): SweepOptions {
  return {
    userPoolIds: [poolId],
    selection: { kind: 'stale', staleAfterSeconds: STALE_AFTER },
    endpoint: sim.endpoint,
    rateBudget: scaledBudget(T),
    now: () => NOW.getTime(),
    ...extra,
  };
}

test('stale: forgets exactly the devices unused for longer than staleAfter, and reports them', async () => {
  const poolId = seed();
  const devices = sim.allDevices(poolId);
  const users = sim.usersOf(poolId);
  const expected = keysWhere(devices, staleAt(NOW.getTime(), STALE_AFTER));
  const before = deviceKeys(sim, poolId);
  const progress: SweepProgress[] = [];

  const result = await sweepDevices(options(poolId, { onProgress: (p) => progress.push(p) }));

  expect(expected.size).toBeGreaterThan(50);
  expect(sorted(removed(before, deviceKeys(sim, poolId)))).toEqual(sorted(expected));
  expect(result.done).toBe(true);
  expect(result.cursor).toBeUndefined();
  expect(result.capped).toBe(false);
  expect(result.pools).toEqual([{
    userPoolId: poolId,
    usersScanned: users.length,
    usersSkippedByIndex: 0,
    devicesScanned: devices.length,
    devicesStale: expected.size,
    devicesForgotten: expected.size,
    devicesAlreadyGone: 0,
    devicesUndated: devices.filter((d) => lastUseMs(d.device) === undefined).length,
    errors: 0,
    ages: expectedAgePicture(devices, sim.usersOf(poolId), NOW.getTime()),
  }]);
  expect(result.calls.UserResourceUpdate).toBe(expected.size);
  expect(result.ratesPerSecond).toEqual({ UserList: 15 * T, UserResourceRead: 25 * T, UserResourceUpdate: 12.5 * T });
  expect(progress.length).toBeGreaterThan(2);
  expect(progress[progress.length - 1].pools[0].devicesForgotten).toBeLessThanOrEqual(expected.size);
});

test('maxDeviceAge: forgets exactly the devices created before the limit, used yesterday or not; with staleAfter, either rule picks', async () => {
  const lifetime = 60 * DAY_SECONDS;
  const nowMs = NOW.getTime();
  const createdBefore = (d: { device: { DeviceCreateDate?: Date } }) =>
    d.device.DeviceCreateDate !== undefined && nowMs - d.device.DeviceCreateDate.getTime() > lifetime * 1000;
  const usedLastMonth = (d: { device: { DeviceLastAuthenticatedDate?: Date } }) =>
    d.device.DeviceLastAuthenticatedDate !== undefined && nowMs - d.device.DeviceLastAuthenticatedDate.getTime() < 30 * DAY_SECONDS * 1000;

  const alone = seed();
  const aloneDevices = sim.allDevices(alone);
  const expected = keysWhere(aloneDevices, createdBefore);
  const before = deviceKeys(sim, alone);
  const result = await sweepDevices(options(alone, { selection: { kind: 'stale', maxDeviceAgeSeconds: lifetime } }));
  expect(sorted(removed(before, deviceKeys(sim, alone)))).toEqual(sorted(expected));
  expect(result.pools[0].devicesForgotten).toBe(expected.size);
  // The check can fail: the pool holds old devices in use this month, which staleness alone would keep.
  expect(keysWhere(aloneDevices, (d) => createdBefore(d) && usedLastMonth(d)).size).toBeGreaterThan(10);

  const both = seed();
  const bothDevices = sim.allDevices(both);
  const either = keysWhere(bothDevices, (d) => createdBefore(d) || staleAt(nowMs, STALE_AFTER)(d));
  const bothBefore = deviceKeys(sim, both);
  await sweepDevices(options(both, { selection: { kind: 'stale', staleAfterSeconds: STALE_AFTER, maxDeviceAgeSeconds: lifetime } }));
  expect(sorted(removed(bothBefore, deviceKeys(sim, both)))).toEqual(sorted(either));
  expect(either.size).toBeGreaterThan(expected.size / 2);
});

test('never lists the devices of UNCONFIRMED users, and pages ListUsers with Limit 60 and no attributes', async () => {
  const poolId = seed();
  const users = sim.usersOf(poolId);
  const listUsersInputs: Record<string, unknown>[] = [];
  const listedDevicesOf: string[] = [];
  const client = createSweepClient('eu-west-1', { endpoint: sim.endpoint });
  client.middlewareStack.add((next, context) => async (args) => {
    const input = args.input as Record<string, unknown>;
    if (context.commandName === 'ListUsersCommand') listUsersInputs.push(input);
    if (context.commandName === 'AdminListDevicesCommand') listedDevicesOf.push(input.Username as string);
    return next(args);
  }, { step: 'initialize' });

  const result = await sweepDevices(options(poolId, { clientFor: () => client, dryRun: true }));
  client.destroy();

  const confirmed = users.filter((u) => u.status !== 'UNCONFIRMED').map((u) => u.username);
  expect(users.length - confirmed.length).toBeGreaterThan(5);
  expect(sorted(listedDevicesOf)).toEqual(sorted(confirmed));
  expect(result.pools[0].usersScanned).toBe(users.length);
  expect(listUsersInputs.length).toBe(Math.ceil(users.length / 60));
  for (const input of listUsersInputs) {
    expect(input).toMatchObject({ UserPoolId: poolId, Limit: 60, AttributesToGet: [] });
  }
});

test('all with excluded users: forgets every device except those of excluded users, who get no call', async () => {
  const poolId = seed();
  const users = sim.usersOf(poolId).filter((u) => u.deviceCount > 0);
  const excluded = users.slice(0, 5).map((u) => u.username);
  const devices = sim.allDevices(poolId);
  const expected = keysWhere(devices, (d) => !excluded.includes(d.username));
  const before = deviceKeys(sim, poolId);

  const result = await sweepDevices(options(poolId, { selection: { kind: 'all' }, excludeUsernames: excluded }));

  expect(sorted(removed(before, deviceKeys(sim, poolId)))).toEqual(sorted(expected));
  for (const username of excluded) expect(sim.devicesOf(poolId, username).length).toBeGreaterThan(0);
  expect(result.pools[0]).toMatchObject({ devicesForgotten: expected.size, devicesStale: expected.size, errors: 0 });
  expect(sim.stats.operation('AdminListDevices').calls).toBe(sim.usersOf(poolId).filter((u) => u.status !== 'UNCONFIRMED').length - excluded.length);
});

test('users: forgets every device of the named users only, without listing the pool; a missing user is no error', async () => {
  const poolId = seed();
  const withDevices = sim.usersOf(poolId).filter((u) => u.deviceCount > 0).map((u) => u.username);
  const named = [withDevices[0], withDevices[3], withDevices[7], withDevices[3], 'no-such-user', withDevices[9]];
  const excluded = [withDevices[9]];
  const devices = sim.allDevices(poolId);
  const expected = keysWhere(devices, (d) => [withDevices[0], withDevices[3], withDevices[7]].includes(d.username));
  const before = deviceKeys(sim, poolId);

  const result = await sweepDevices(options(poolId, { selection: { kind: 'users', usernames: named }, excludeUsernames: excluded }));

  expect(sorted(removed(before, deviceKeys(sim, poolId)))).toEqual(sorted(expected));
  expect(sim.stats.operation('ListUsers').calls).toBe(0);
  expect(result.pools[0]).toMatchObject({ usersScanned: 4, devicesForgotten: expected.size, devicesAlreadyGone: 0, errors: 0 });
});

test('onlyRemembered: leaves stale devices that are not remembered', async () => {
  const poolId = seed();
  const devices = sim.allDevices(poolId);
  const stale = staleAt(NOW.getTime(), STALE_AFTER);
  const expected = keysWhere(devices, (d) => stale(d) && isRemembered(d));
  const before = deviceKeys(sim, poolId);

  const result = await sweepDevices(options(poolId, { onlyRemembered: true }));

  expect(keysWhere(devices, stale).size).toBeGreaterThan(expected.size);
  expect(sorted(removed(before, deviceKeys(sim, poolId)))).toEqual(sorted(expected));
  expect(result.pools[0].devicesForgotten).toBe(expected.size);
});

test('dry run: decides and reports, forgets nothing, makes no write call', async () => {
  const poolId = seed();
  const devices = sim.allDevices(poolId);
  const expected = keysWhere(devices, staleAt(NOW.getTime(), STALE_AFTER));
  const before = deviceKeys(sim, poolId);

  const result = await sweepDevices(options(poolId, { dryRun: true }));

  expect(deviceKeys(sim, poolId)).toEqual(before);
  expect(sim.stats.operation('AdminForgetDevice').calls).toBe(0);
  expect(result.pools[0]).toMatchObject({ devicesStale: expected.size, devicesForgotten: 0, devicesScanned: devices.length });
  expect(result.calls.UserResourceUpdate).toBe(0);
});

test('maxForgets: forgets exactly that many picked devices, then stops cleanly, capped and done', async () => {
  const poolId = seed();
  const expected = keysWhere(sim.allDevices(poolId), staleAt(NOW.getTime(), STALE_AFTER));
  const before = deviceKeys(sim, poolId);

  const result = await sweepDevices(options(poolId, { maxForgets: 25 }));

  const forgotten = removed(before, deviceKeys(sim, poolId));
  expect(forgotten.size).toBe(25);
  for (const key of forgotten) expect(expected.has(key)).toBe(true);
  expect(result).toMatchObject({ capped: true, done: true, cursor: undefined });
  expect(result.pools[0].devicesForgotten).toBe(25);
});

test('maxForgets above what the selection picks: not capped', async () => {
  const poolId = seed(60);
  const expected = keysWhere(sim.allDevices(poolId), staleAt(NOW.getTime(), STALE_AFTER));

  const result = await sweepDevices(options(poolId, { maxForgets: expected.size }));

  expect(result).toMatchObject({ capped: false, done: true });
  expect(result.pools[0].devicesForgotten).toBe(expected.size);
});
