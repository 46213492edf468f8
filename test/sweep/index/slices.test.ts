/**
 * Slices with an index: a deadline cuts the run, resuming from each cursor forgets exactly what one
 * uninterrupted run forgets, and every user the run passed has its entry stored (a second run at
 * the same time lists no one). A broken DynamoDB table (deleted) means a full sweep, never a skip.
 */
import { mergePoolReports, PoolReport, sweepDevices, SweepOptions } from '../../../src/sweep';
import { DynamoDbNextCheckIndex } from '../../../src/sweep/next-check/stores/dynamodb-index';
import { CognitoSimulator } from '../../sim';
import { DAY_SECONDS, deviceKeys, removed, scaledBudget, sorted } from '../fixture';
import { WorkClock } from '../work-clock';
import { startDynalite } from './dynalite';
import { MemoryIndex } from './memory-index';

const T = 20;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const SEED = 5;
const SELECTION = { kind: 'stale', staleAfterSeconds: 120 * DAY_SECONDS } as const;

async function startSeeded(): Promise<{ sim: CognitoSimulator; poolIds: string[] }> {
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 20, max: 60 }, seed: SEED });
  const seed = (region: string, users: number) => sim.seedPool({
    region, users, now: new Date(NOW), devicesPerUser: { min: 0, max: 3 }, statusMix: { CONFIRMED: 0.9, UNCONFIRMED: 0.1 },
  });
  return { sim, poolIds: [seed('eu-west-1', 120), seed('us-east-1', 80)] };
}

function forgotten(sim: CognitoSimulator, poolIds: string[], before: Map<string, Set<string>>): string[] {
  return sorted(poolIds.flatMap((id) => [...removed(before.get(id)!, deviceKeys(sim, id))].map((k) => `${id}/${k}`)));
}

function snapshot(sim: CognitoSimulator, poolIds: string[]): Map<string, Set<string>> {
  return new Map(poolIds.map((id) => [id, deviceKeys(sim, id)]));
}

function base(sim: CognitoSimulator, poolIds: string[]): SweepOptions {
  return { userPoolIds: poolIds, selection: SELECTION, endpoint: sim.endpoint, rateBudget: scaledBudget(T), now: () => NOW };
}

test('deadline slices with an index forget what one run forgets, and store an entry for every user they pass', async () => {
  const reference = await startSeeded();
  const refBefore = snapshot(reference.sim, reference.poolIds);
  const whole = await sweepDevices(base(reference.sim, reference.poolIds));
  const runCalls = reference.sim.stats.totals.calls;
  const expected = forgotten(reference.sim, reference.poolIds, refBefore);
  await reference.sim.stop();

  const { sim, poolIds } = await startSeeded();
  const before = snapshot(sim, poolIds);
  sim.setFaults({ throttleRate: 0.05 });
  const index = new MemoryIndex();
  // Slices of a sixth of the run's calls, on a clock moved by the simulator's answers: cut by work, not by the machine's speed.
  const work = new WorkClock(sim);
  let cursor: string | undefined;
  let pools: PoolReport[] = [];
  let slices = 0;
  do {
    const deadline = work.now() + (runCalls * work.msPerCall) / 6;
    const result = await sweepDevices({ ...base(sim, poolIds), nextCheckIndex: index, deadline, deadlineClock: work.now, cursor });
    pools = mergePoolReports(pools, result.pools);
    cursor = result.cursor;
    slices++;
  } while (cursor && slices < 500);
  expect(slices).toBeGreaterThan(2);
  expect(forgotten(sim, poolIds, before)).toEqual(expected);
  // Users past a slice's cursor point whose entries were stored are skipped when the next slice
  // lists them again: fewer devices scanned, but the same users, and the same devices forgotten.
  const lasting = (reports: readonly PoolReport[]) => reports.map((r) => ({
    userPoolId: r.userPoolId,
    usersScanned: r.usersScanned,
    devicesStale: r.devicesStale,
    devicesForgotten: r.devicesForgotten,
    devicesAlreadyGone: r.devicesAlreadyGone,
    errors: r.errors,
  }));
  expect(lasting(pools)).toEqual(lasting(whole.pools));

  sim.setFaults({});
  const again = await sweepDevices({ ...base(sim, poolIds), nextCheckIndex: index });
  await sim.stop();
  expect(again.calls.UserResourceRead).toBe(0);
  const confirmed = whole.pools.reduce((n, p) => n + p.usersScanned, 0) - again.pools.reduce((n, p) => n + p.usersScanned - p.usersSkippedByIndex, 0);
  expect(again.pools.reduce((n, p) => n + p.usersSkippedByIndex, 0)).toBe(confirmed);
  expect(index.entries.size).toBe(confirmed);
});

test('a deleted DynamoDB table means a full sweep, with a warning', async () => {
  const reference = await startSeeded();
  const refBefore = snapshot(reference.sim, reference.poolIds);
  await sweepDevices(base(reference.sim, reference.poolIds));
  const expected = forgotten(reference.sim, reference.poolIds, refBefore);
  await reference.sim.stop();

  const db = await startDynalite();
  await db.createIndexTable('gone');
  const index = new DynamoDbNextCheckIndex({ client: db.client, tableName: 'gone' });
  // Entries that would skip everyone, then the table goes.
  await index.put(reference.poolIds[0], [{ username: 'user-000000', oldestUseMs: NOW }]);
  await db.deleteTable('gone');
  const { sim, poolIds } = await startSeeded();
  const before = snapshot(sim, poolIds);
  const warnings: string[] = [];
  const result = await sweepDevices({
    ...base(sim, poolIds), nextCheckIndex: index, logger: { info: () => {}, warn: (message) => warnings.push(message) },
  });
  await sim.stop();
  await db.stop();
  expect(forgotten(sim, poolIds, before)).toEqual(expected);
  expect(result.pools.every((p) => p.usersSkippedByIndex === 0)).toBe(true);
  expect(warnings).toContain('The next-check index could not be read; those users are swept in full');
});
