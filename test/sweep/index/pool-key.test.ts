/**
 * One pool, one set of next-check entries, whatever form names it: a Multi-Region replica's ARN,
 * the bare id or the primary's ARN all file and find entries under the bare id. Entries the
 * previous version filed under an ARN are still found (and copied to the id), so upgrading costs
 * no full sweep.
 */
import { sweepDevices, SweepOptions, SweepResult } from '../../../src/sweep';
import { indexKeyOf, legacyIndexKeyOf } from '../../../src/sweep/next-check/pool-key';
import { CognitoSimulator, SimDevice } from '../../sim';
import { DAY_SECONDS, scaledBudget } from '../fixture';
import { MemoryIndex } from './memory-index';

const T = 100;
const DAY_MS = DAY_SECONDS * 1000;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const USERS = 12;

let sim: CognitoSimulator;
beforeEach(async () => {
  sim = await CognitoSimulator.start({ timeScale: T });
});
afterEach(async () => sim.stop());

function device(serial: number, lastAuthDaysAgo: number): SimDevice {
  const at = new Date(NOW - lastAuthDaysAgo * DAY_MS);
  return {
    DeviceKey: `us-east-1_00000000-0000-4000-8000-${serial.toString(16).padStart(12, '0')}`,
    DeviceAttributes: [{ Name: 'dev:device_remembered_status', Value: 'remembered' }],
    DeviceCreateDate: at,
    DeviceLastModifiedDate: at,
    DeviceLastAuthenticatedDate: at,
  };
}

/** A replicated pool whose users each have one fresh device and, with `stale`, one stale device. */
function replicatedPool(stale = true): string {
  const poolId = sim.seedPool({ region: 'us-east-1', users: 0, replicaRegions: ['us-west-2'] });
  for (let i = 0; i < USERS; i++) {
    sim.addUser(poolId, { username: `user-${i}`, status: 'CONFIRMED', createdAt: new Date(NOW - 200 * DAY_MS), devices: stale ? [device(2 * i, 5), device(2 * i + 1, 45)] : [device(2 * i, 5)] });
  }
  return poolId;
}

function run(ref: string, nowMs: number, index: MemoryIndex, extra: Partial<SweepOptions> = {}): Promise<SweepResult> {
  return sweepDevices({
    userPoolIds: [ref],
    selection: { kind: 'stale', staleAfterSeconds: 30 * DAY_SECONDS },
    endpoint: sim.endpoint,
    rateBudget: scaledBudget(T),
    now: () => nowMs,
    nextCheckIndex: index,
    ...extra,
  });
}

test('the key: the bare id for every form; the ARN as given is the legacy key', () => {
  const replica = 'arn:aws:cognito-idp:us-west-2:111122223333:userpool/us-east-1_AbC123';
  const primary = 'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_AbC123';
  expect([replica, primary, 'us-east-1_AbC123'].map(indexKeyOf)).toEqual(['us-east-1_AbC123', 'us-east-1_AbC123', 'us-east-1_AbC123']);
  expect([replica, primary, 'us-east-1_AbC123'].map(legacyIndexKeyOf)).toEqual([replica, primary, undefined]);
});

test('a run by the replica\'s ARN, then by id, then by the primary\'s ARN: one set of entries, users cleared are not listed again', async () => {
  const poolId = replicatedPool();
  const index = new MemoryIndex();

  const byReplica = await run(sim.replicaArn(poolId, 'us-west-2'), NOW, index);
  expect(byReplica.done).toBe(true);
  expect(byReplica.pools[0]).toMatchObject({ usersScanned: USERS, devicesForgotten: USERS });
  expect(byReplica.calls.UserResourceRead).toBe(USERS);
  expect([...index.entries.keys()].every((key) => key.startsWith(`${poolId}/`))).toBe(true);
  expect(index.entries.size).toBe(USERS);

  const byId = await run(poolId, NOW + DAY_MS, index);
  expect(byId.pools[0]).toMatchObject({ usersScanned: USERS, usersSkippedByIndex: USERS });
  expect(byId.calls.UserResourceRead).toBe(0);

  const byPrimary = await run(sim.poolArn(poolId), NOW + 2 * DAY_MS, index);
  expect(byPrimary.pools[0]).toMatchObject({ usersScanned: USERS, usersSkippedByIndex: USERS });
  expect(byPrimary.calls.UserResourceRead).toBe(0);
  expect(index.entries.size).toBe(USERS);
});

test('entries the previous version filed under the replica\'s ARN are still found, and copied to the id for the next run', async () => {
  const poolId = replicatedPool(false);
  const replicaArn = sim.replicaArn(poolId, 'us-west-2');
  const index = new MemoryIndex();
  // As the previous version left them: under the ARN the run named the pool by, all stale devices forgotten.
  await index.put(replicaArn, Array.from({ length: USERS }, (_, i) => ({ username: `user-${i}`, oldestUseMs: NOW - 5 * DAY_MS })));

  const upgraded = await run(replicaArn, NOW + DAY_MS, index, { dryRun: true });
  expect(upgraded.pools[0]).toMatchObject({ usersScanned: USERS, usersSkippedByIndex: USERS });
  expect(upgraded.calls.UserResourceRead).toBe(0);
  expect(index.boundOf(poolId, 'user-0')).toBe(NOW - 5 * DAY_MS);

  const byId = await run(poolId, NOW + 2 * DAY_MS, index, { dryRun: true });
  expect(byId.pools[0]).toMatchObject({ usersScanned: USERS, usersSkippedByIndex: USERS });
  expect(byId.calls.UserResourceRead).toBe(0);
});
