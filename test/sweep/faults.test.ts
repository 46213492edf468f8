/** Nothing is lost to throttling storms, 5xx storms, odd pages, or users and devices vanishing mid-sweep. */
import { createSweepClient, sweepDevices, SweepOptions } from '../../src/sweep';
import { useSimulator } from '../sim';
import { DAY_SECONDS, deviceKeys, keysWhere, removed, scaledBudget, sorted, staleAt } from './fixture';

// Real simulator work bound by the budget and the CPU: 30-50 s per test on a loaded 2-core machine (measured), seconds on a fast one.
jest.setTimeout(180_000);

const T = 20;
const NOW = new Date();
const STALE_AFTER = 60 * DAY_SECONDS;
const sim = useSimulator({ timeScale: T, latencyMs: { min: 20, max: 60 }, seed: 23 });
beforeEach(() => {
  sim.setFaults({});
  sim.resetStats();
});

let pools = 0;
function seed(users: number, devicesPerUser: number | { min: number; max: number } = { min: 0, max: 3 }): string {
  return sim.seedPool({
    region: 'eu-west-1', users, devicesPerUser, statusMix: { CONFIRMED: 0.9, UNCONFIRMED: 0.1 }, now: NOW, name: `faults-${pools++}`,
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

async function expectExactSweep(poolId: string, extra: Partial<SweepOptions> = {}) {
  const expected = keysWhere(sim.allDevices(poolId), staleAt(NOW.getTime(), STALE_AFTER));
  const before = deviceKeys(sim, poolId);
  const result = await sweepDevices(options(poolId, extra));
  expect(sorted(removed(before, deviceKeys(sim, poolId)))).toEqual(sorted(expected));
  expect(result.done).toBe(true);
  expect(result.pools[0]).toMatchObject({ devicesForgotten: expected.size, devicesStale: expected.size, errors: 0 });
  return result;
}

test('a throttling storm on every operation slows the sweep down but loses nothing', async () => {
  const poolId = seed(80);
  sim.setFaults({ throttleRate: 0.3 });
  const result = await expectExactSweep(poolId);
  const throttled = sim.stats.totals.throttled;
  expect(throttled).toBeGreaterThan(30);
  expect(result.throttled).toBe(throttled);
});

test('a storm of 500 InternalErrorException answers loses nothing', async () => {
  const poolId = seed(150);
  sim.setFaults({ serverErrorRate: 0.25 });
  await expectExactSweep(poolId);
  expect(sim.stats.totals.errors).toBeGreaterThan(50);
});

test('empty and short pages that carry a token do not end a list early (users and devices, with >60 devices per user)', async () => {
  const poolId = seed(200, { min: 0, max: 2 });
  for (let i = 0; i < 3; i++) {
    const devices = Array.from({ length: 150 }, (_, j) => ({
      DeviceKey: `eu-west-1_00000000-0000-4000-8000-${String(i * 1000 + j).padStart(12, '0')}`,
      DeviceAttributes: [{ Name: 'dev:device_remembered_status', Value: 'remembered' }],
      DeviceLastAuthenticatedDate: new Date(NOW.getTime() - (j % 2 === 0 ? 200 : 5) * DAY_SECONDS * 1000),
    }));
    sim.addUser(poolId, { username: `many-devices-${i}`, devices });
  }
  sim.setFaults({ emptyPageRate: 0.3, shortPageRate: 0.4, operations: ['ListUsers', 'AdminListDevices'] });
  const result = await expectExactSweep(poolId);
  expect(result.pools[0].usersScanned).toBe(203);
  for (let i = 0; i < 3; i++) expect(sim.devicesOf(poolId, `many-devices-${i}`)).toHaveLength(75);
});

test('users and devices vanishing mid-sweep are skipped or counted as already gone, not errors', async () => {
  const poolId = seed(200);
  const stale = staleAt(NOW.getTime(), STALE_AFTER);
  const staleBefore = keysWhere(sim.allDevices(poolId), stale);
  sim.setFaults({ vanishUserRate: 0.1, vanishDeviceRate: 0.2 });

  const result = await sweepDevices(options(poolId));

  sim.setFaults({});
  expect(keysWhere(sim.allDevices(poolId), stale).size).toBe(0);
  const report = result.pools[0];
  expect(report.errors).toBe(0);
  expect(report.devicesAlreadyGone).toBeGreaterThan(10);
  expect(report.devicesForgotten + report.devicesAlreadyGone).toBe(report.devicesStale);
  expect(report.devicesStale).toBeLessThan(staleBefore.size);
  expect(sim.usersOf(poolId).length).toBeLessThan(200);
});

test('a pool that does not exist counts one error, is reported stopped, and the other pools are still swept', async () => {
  const poolId = seed(60);
  const missing = 'eu-west-1_DoesNotExist1';
  const warnings: string[] = [];
  const expected = keysWhere(sim.allDevices(poolId), staleAt(NOW.getTime(), STALE_AFTER));

  const result = await sweepDevices(options(poolId, {
    userPoolIds: [missing, poolId],
    logger: { info: (message) => message === 'User pool stopped' && warnings.push(message), warn: (message) => warnings.push(message) },
  }));

  // The run is not done: the missing pool was stopped, and the cursor points at its start.
  expect(result.done).toBe(false);
  expect(result.pools.map((p) => [p.userPoolId, p.errors, p.stopped?.reason])).toEqual([[missing, 1, 'pool-not-found'], [poolId, 0, undefined]]);
  expect(result.pools[1].devicesForgotten).toBe(expected.size);
  expect(warnings).toEqual(['User pool stopped']);
});

test('a user deleted between listing and forgetting: their picked devices count as already gone', async () => {
  const poolId = seed(20, 0);
  const old = new Date(NOW.getTime() - 400 * DAY_SECONDS * 1000);
  const devices = Array.from({ length: 4 }, (_, j) => ({
    DeviceKey: `eu-west-1_00000000-0000-4000-8000-${String(9000 + j).padStart(12, '0')}`,
    DeviceAttributes: [],
    DeviceLastAuthenticatedDate: old,
  }));
  sim.addUser(poolId, { username: 'leaving', devices });
  const client = createSweepClient('eu-west-1', { endpoint: sim.endpoint });
  client.middlewareStack.add((next, context) => async (args) => {
    const result = await next(args);
    const input = args.input as { Username?: string };
    if (context.commandName === 'AdminListDevicesCommand' && input.Username === 'leaving') sim.removeUser(poolId, 'leaving');
    return result;
  }, { step: 'initialize' });

  const result = await sweepDevices(options(poolId, { clientFor: () => client }));
  client.destroy();

  expect(result.pools[0]).toMatchObject({ devicesStale: 4, devicesForgotten: 0, devicesAlreadyGone: 4, errors: 0 });
  expect(sim.stats.operation('AdminForgetDevice').calls).toBe(1);
});

test('a non-retryable error on one user is counted and logged, and the sweep goes on', async () => {
  const poolId = seed(10, 0);
  const old = new Date(NOW.getTime() - 400 * DAY_SECONDS * 1000);
  sim.addUser(poolId, { username: 'kept', devices: [{ DeviceKey: 'eu-west-1_00000000-0000-4000-8000-000000009999', DeviceAttributes: [], DeviceLastAuthenticatedDate: old }] });
  const warnings: object[] = [];

  const result = await sweepDevices(options(poolId, {
    // A space is not allowed in a username: Cognito answers InvalidParameterException.
    selection: { kind: 'users', usernames: ['bad name', 'kept'] },
    logger: { info: () => {}, warn: (message, extra) => warnings.push({ ...extra, logMessage: message }) },
  }));

  expect(result.pools[0]).toMatchObject({ usersScanned: 2, devicesForgotten: 1, errors: 1 });
  expect(sim.devicesOf(poolId, 'kept')).toHaveLength(0);
  expect(warnings).toEqual([expect.objectContaining({
    logMessage: 'Device sweep call failed; the sweep continues',
    operation: 'AdminListDevices',
    error: 'InvalidParameterException',
    userPoolId: poolId,
    message: expect.stringContaining('<username>'),
  })]);
  expect(JSON.stringify(warnings)).not.toContain('bad name');
});
