/**
 * Errors no retry can fix stop a pool (or the run) at once, with one line that says what fixes
 * it; the counts stay honest and the cursor exact. Transient storms are still ridden out.
 */
import { createServer } from 'node:net';
import { sweepDevices, SweepOptions, SweepResult } from '../../src/sweep';
import { CognitoSimulator, Operation } from '../sim';
import { DAY_SECONDS, deviceKeys, keysWhere, removed, scaledBudget, sorted, staleAt } from './fixture';

// Real simulator work bound by the budget and the CPU: 30-50 s per test on a loaded 2-core machine (measured), seconds on a fast one.
jest.setTimeout(180_000);

const T = 50;
const NOW = new Date();
const STALE_AFTER = 30 * DAY_SECONDS;
/** The most denied calls a pool may make before it stops (the bound). */
const MAX_DENIED_PER_POOL = 5;
let sim: CognitoSimulator;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 5, max: 20 }, seed: 41 });
});
afterAll(async () => sim.stop());
beforeEach(() => {
  sim.setFaults({});
  sim.setAccess({});
  sim.resetStats();
});

let pools = 0;
function seed(users = 60): string {
  // Every device stale: AdminForgetDevice is called for each of them unless the sweep stops.
  return sim.seedPool({ region: 'eu-west-1', users, devicesPerUser: 2, maxAgeDays: 1, now: new Date(NOW.getTime() - 60 * DAY_SECONDS * 1000), name: `stops-${pools++}` });
}

function options(userPoolIds: string[], extra: Partial<SweepOptions> = {}): SweepOptions {
  return {
    userPoolIds,
    selection: { kind: 'stale', staleAfterSeconds: STALE_AFTER },
    endpoint: sim.endpoint,
    rateBudget: scaledBudget(T),
    now: () => NOW.getTime(),
    ...extra,
  };
}

function refused(operation: Operation): number {
  return sim.stats.operations[operation].refused;
}

describe.each<[Operation, string]>([
  ['ListUsers', 'scanDevices(role)'],
  ['AdminListDevices', 'scanDevices(role)'],
  ['AdminForgetDevice', 'sweepDevices(role)'],
])('a role denied %s', (operation, grant) => {
  test('stops the denied pool after a few calls, names the action and the grant, and sweeps the other pool', async () => {
    const denied = seed();
    const allowed = seed();
    const allowedStale = keysWhere(sim.allDevices(allowed), staleAt(NOW.getTime(), STALE_AFTER));
    const deniedBefore = deviceKeys(sim, denied);
    sim.setAccess({ deny: [operation], denyPools: [denied] });

    const result = await sweepDevices(options([denied, allowed]));

    expect(refused(operation)).toBeGreaterThan(0);
    expect(refused(operation)).toBeLessThanOrEqual(MAX_DENIED_PER_POOL);
    const [deniedReport, allowedReport] = result.pools;
    expect(deniedReport.stopped?.reason).toBe('access-denied');
    expect(deniedReport.stopped?.message).toContain(`cognito-idp:${operation} denied on user pool ${denied}`);
    expect(deniedReport.stopped?.message).toContain(`UserPoolDeviceGrants.fromUserPool(pool).${grant}`);
    expect(deniedReport.stopped?.message).not.toMatch(/\n/);
    // Each denied answer is counted.
    expect(deniedReport.errors).toBe(refused(operation));
    expect(deniedReport.devicesForgotten).toBe(0);
    expect(deviceKeys(sim, denied)).toEqual(deniedBefore);
    expect(result.stopped).toEqual(deniedReport.stopped);
    expect(result.done).toBe(false);
    expect(result.cursor).toBeDefined();

    expect(allowedReport.stopped).toBeUndefined();
    expect(allowedReport).toMatchObject({ devicesForgotten: allowedStale.size, errors: 0 });
    expect(deviceKeys(sim, allowed).size).toBe(sim.allDevices(allowed).length);
    expect([...allowedStale].some((key) => deviceKeys(sim, allowed).has(key))).toBe(false);
  });
});

test('the cursor of a stopped pool is exact: once the grant is fixed, the resumed sweep forgets exactly the rest', async () => {
  const poolId = seed(120);
  const stale = keysWhere(sim.allDevices(poolId), staleAt(NOW.getTime(), STALE_AFTER));
  const before = deviceKeys(sim, poolId);
  // Forgets are allowed for a while, then denied: the pool stops part-way.
  const firstPart = await (async () => {
    let denying = false;
    const result = sweepDevices(options([poolId], {
      onProgress: (progress) => {
        if (!denying && progress.calls.UserResourceUpdate >= 50) {
          denying = true;
          sim.setAccess({ deny: ['AdminForgetDevice'] });
        }
      },
    }));
    return result;
  })();
  expect(firstPart.pools[0].stopped?.reason).toBe('access-denied');
  expect(firstPart.pools[0].devicesForgotten).toBeGreaterThanOrEqual(50);
  expect(firstPart.pools[0].devicesForgotten).toBeLessThan(stale.size);
  const forgottenFirst = removed(before, deviceKeys(sim, poolId)).size;
  expect(firstPart.pools[0].devicesForgotten).toBe(forgottenFirst);

  sim.setAccess({});
  const rest: SweepResult = await sweepDevices(options([poolId], { cursor: firstPart.cursor }));
  expect(rest.done).toBe(true);
  expect(rest.pools[0].stopped).toBeUndefined();
  expect(sorted(removed(before, deviceKeys(sim, poolId)))).toEqual(sorted(stale));
  // Nothing forgotten twice, nothing missed: the two parts add up to the pool's stale devices.
  expect(firstPart.pools[0].devicesForgotten + rest.pools[0].devicesForgotten).toBe(stale.size);
});

test('expired credentials stop every pool with one line, after a handful of calls', async () => {
  const a = seed(20);
  const b = sim.seedPool({ region: 'us-east-1', users: 20, name: `stops-${pools++}` });
  sim.setAccess({ credentials: 'expired' });

  const result = await sweepDevices(options([a, b]));

  expect(result.stopped?.reason).toBe('credentials-rejected');
  expect(result.stopped?.message).toMatch(/^the AWS credentials were refused \(ExpiredTokenException: The security token included in the request is expired\); renew them/);
  expect(result.pools.map((p) => p.stopped?.reason)).toEqual(['credentials-rejected', 'credentials-rejected']);
  // One ListUsers per Region at most got through before the run stopped.
  expect(refused('ListUsers')).toBeLessThanOrEqual(2);
  expect(sim.stats.totals.calls).toBe(refused('ListUsers'));
});

test('unrecognized credentials are refused the same way', async () => {
  const a = seed(10);
  sim.setAccess({ credentials: 'unrecognized' });
  const result = await sweepDevices(options([a]));
  expect(result.pools[0].stopped?.message).toContain('UnrecognizedClientException');
  expect(refused('ListUsers')).toBe(1);
});

test('a pool that does not exist is stopped with the pool and the Region named; the next pool is swept', async () => {
  const real = seed(10);
  const missing = 'eu-west-1_NoSuchPool';
  const result = await sweepDevices(options([missing, real]));
  expect(result.pools[0]).toMatchObject({
    userPoolId: missing,
    errors: 1,
    stopped: {
      reason: 'pool-not-found',
      message: 'user pool eu-west-1_NoSuchPool does not exist in Region eu-west-1 (ListUsers: ResourceNotFoundException); check the pool id and the Region',
    },
  });
  expect(result.pools[1].stopped).toBeUndefined();
  expect(result.pools[1].usersScanned).toBe(10);
  expect(sim.stats.operations.ListUsers.errors).toBe(1);
});

test('an endpoint that cannot be reached stops the run with one line after the SDK retries', async () => {
  const port = await closedPort();
  const result = await sweepDevices(options(['eu-west-1_AbC123'], { endpoint: `http://127.0.0.1:${port}` }));
  expect(result.stopped?.reason).toBe('endpoint-unreachable');
  expect(result.stopped?.message).toMatch(/^the Cognito endpoint for Region eu-west-1 cannot be reached \(ECONNREFUSED: .*\); check the network/);
  expect(result.pools[0]).toMatchObject({ errors: 1, usersScanned: 0 });
});

test('aborting the signal stops at once with what was forgotten so far, and a cursor that resumes exactly', async () => {
  const poolId = seed(200);
  const stale = keysWhere(sim.allDevices(poolId), staleAt(NOW.getTime(), STALE_AFTER));
  const before = deviceKeys(sim, poolId);
  const controller = new AbortController();
  const first = await sweepDevices(options([poolId], {
    signal: controller.signal,
    onProgress: (progress) => {
      if (progress.calls.UserResourceUpdate >= 50) controller.abort();
    },
  }));
  expect(first.interrupted).toBe(true);
  expect(first.done).toBe(false);
  expect(first.pools[0].stopped).toBeUndefined();
  expect(first.pools[0].devicesForgotten).toBe(removed(before, deviceKeys(sim, poolId)).size);
  expect(first.pools[0].devicesForgotten).toBeLessThan(stale.size);

  const rest = await sweepDevices(options([poolId], { cursor: first.cursor }));
  expect(rest.done).toBe(true);
  expect(first.pools[0].devicesForgotten + rest.pools[0].devicesForgotten).toBe(stale.size);
  expect(sorted(removed(before, deviceKeys(sim, poolId)))).toEqual(sorted(stale));
});

test('a storm of throttles and 5xx answers is ridden out to the end: nothing stopped, nothing skipped', async () => {
  const poolId = seed(100);
  const stale = keysWhere(sim.allDevices(poolId), staleAt(NOW.getTime(), STALE_AFTER));
  const before = deviceKeys(sim, poolId);
  sim.setFaults({ throttleRate: 0.2, serverErrorRate: 0.15 });
  const result = await sweepDevices(options([poolId]));
  expect(result.stopped).toBeUndefined();
  expect(result.done).toBe(true);
  expect(result.pools[0]).toMatchObject({ devicesForgotten: stale.size, errors: 0, usersScanned: 100 });
  expect(sorted(removed(before, deviceKeys(sim, poolId)))).toEqual(sorted(stale));
  expect(sim.stats.totals.throttled).toBeGreaterThan(0);
  expect(sim.stats.totals.errors).toBeGreaterThan(0);
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
