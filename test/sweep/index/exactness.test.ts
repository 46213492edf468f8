/**
 * Exactness over 120 simulated days: two identical copies of a pool live through the same
 * sign-in activity; every day one is swept in full and the other incrementally (DynamoDB index on
 * dynalite). Both must forget exactly the same devices, day by day, while the incremental runs
 * list far fewer users. The trust lifetime (maxDeviceAge) is covered alone and beside staleAfter:
 * creation dates never move, so the index bounds them exactly too.
 */
import { sweepDevices, SweepOptions } from '../../../src/sweep';
import { DynamoDbNextCheckIndex } from '../../../src/sweep/next-check/stores/dynamodb-index';
import { CognitoSimulator } from '../../sim';
import { SignInActivity } from '../../sim/activity';
import { DAY_SECONDS, deviceKeys, removed, scaledBudget, sorted } from '../fixture';
import { startDynalite } from './dynalite';

const T = 1000;
const DAYS = 120;
const DAY_MS = DAY_SECONDS * 1000;
const T0 = Date.parse('2026-01-01T06:00:00Z');
const SEED = 9;

async function copy(): Promise<{ sim: CognitoSimulator; poolId: string }> {
  const sim = await CognitoSimulator.start({ timeScale: T, seed: SEED });
  const poolId = sim.seedPool({
    region: 'eu-west-1',
    users: 100,
    now: new Date(T0),
    maxAgeDays: 150,
    devicesPerUser: { min: 0, max: 4 },
    statusMix: { CONFIRMED: 0.95, UNCONFIRMED: 0.05 },
  });
  return { sim, poolId };
}

/** The rules of one case, in days (undefined: rule off). */
interface Rules {
  readonly staleDays?: number;
  readonly maxAgeDays?: number;
}

// A case is about a minute of work on a quiet 2-core machine and several on a busy one (240 sweeps):
// the timeout only catches a hang.
test.each<[string, Rules]>([
  ['staleAfter 30 d', { staleDays: 30 }],
  ['staleAfter 90 d', { staleDays: 90 }],
  ['maxDeviceAge 60 d alone', { maxAgeDays: 60 }],
  ['staleAfter 90 d and maxDeviceAge 45 d', { staleDays: 90, maxAgeDays: 45 }],
])('daily incremental runs with %s forget exactly what daily full sweeps forget, for 120 days', async (_name, rules) => {
  const full = await copy();
  const incremental = await copy();
  expect(incremental.poolId).toBe(full.poolId);
  const poolId = full.poolId;
  const db = await startDynalite();
  await db.createIndexTable('next-check');
  const index = new DynamoDbNextCheckIndex({ client: db.client, tableName: 'next-check' });
  const activity = new SignInActivity(SEED);
  const base: Omit<SweepOptions, 'endpoint'> = {
    userPoolIds: [poolId],
    selection: {
      kind: 'stale',
      staleAfterSeconds: rules.staleDays === undefined ? undefined : rules.staleDays * DAY_SECONDS,
      maxDeviceAgeSeconds: rules.maxAgeDays === undefined ? undefined : rules.maxAgeDays * DAY_SECONDS,
    },
    rateBudget: scaledBudget(T),
  };
  const listed = { full: 0, incremental: 0 };
  let skipped = 0;
  let forgottenTotal = 0;
  // Devices forgotten although used within the last week: only the lifetime rule picks those.
  let forgottenWhileInUse = 0;
  try {
    for (let day = 0; day < DAYS; day++) {
      const nowMs = T0 + day * DAY_MS;
      if (day > 0) activity.day([full.sim, incremental.sim], poolId, nowMs - DAY_MS, nowMs);
      const recentlyUsed = new Set(full.sim.allDevices(poolId)
        .filter(({ device }) => nowMs - (device.DeviceLastAuthenticatedDate?.getTime() ?? -Infinity) < 7 * DAY_MS)
        .map(({ device }) => device.DeviceKey));
      const sweep = async (copyOf: { sim: CognitoSimulator }, extra: Partial<SweepOptions>) => {
        const before = deviceKeys(copyOf.sim, poolId);
        const result = await sweepDevices({ ...base, ...extra, endpoint: copyOf.sim.endpoint, now: () => nowMs });
        expect(result.done).toBe(true);
        expect(result.pools[0].errors).toBe(0);
        return { result, forgotten: sorted(removed(before, deviceKeys(copyOf.sim, poolId))) };
      };
      const f = await sweep(full, {});
      const i = await sweep(incremental, { nextCheckIndex: index });
      // Day by day: same devices forgotten, same devices left.
      expect({ day, forgotten: i.forgotten }).toEqual({ day, forgotten: f.forgotten });
      expect(sorted(deviceKeys(incremental.sim, poolId))).toEqual(sorted(deviceKeys(full.sim, poolId)));
      expect(i.result.pools[0].devicesStale).toBe(f.result.pools[0].devicesStale);
      listed.full += f.result.calls.UserResourceRead;
      listed.incremental += i.result.calls.UserResourceRead;
      skipped += i.result.pools[0].usersSkippedByIndex;
      forgottenTotal += f.forgotten.length;
      forgottenWhileInUse += f.forgotten.filter((key) => recentlyUsed.has(key)).length;
    }
  } finally {
    await full.sim.stop();
    await incremental.sim.stop();
    await db.stop();
  }
  // The activity really turned devices stale all along, and the index really saved calls.
  expect(forgottenTotal).toBeGreaterThan(50);
  expect(skipped).toBeGreaterThan(0);
  expect(listed.incremental).toBeLessThan(listed.full / 3);
  if (rules.maxAgeDays === undefined) expect(forgottenWhileInUse).toBe(0);
  else expect(forgottenWhileInUse).toBeGreaterThan(10);
}, 600_000);
