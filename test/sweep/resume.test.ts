/**
 * Deadlines cut a sweep into slices; resuming from each slice's cursor forgets exactly what one
 * uninterrupted run forgets, and the slice reports sum to its report. Deadlines are read on a work
 * clock (SweepOptions.deadlineClock, test/sweep/work-clock.ts) that advances per call answered, so
 * slices are cut by work done: a slow machine makes the test slower, never red.
 */
import { mergePoolReports, PoolReport, sweepDevices, SweepOptions, SweepResult } from '../../src/sweep';
import { CognitoSimulator } from '../sim';
import { DAY_SECONDS, deviceKeys, removed, scaledBudget, sorted } from './fixture';
import { WorkClock } from './work-clock';

// Slices are cut by work, so a busy machine only makes them slower: allow it.
jest.setTimeout(180_000);

const T = 20;
const NOW = new Date();
const SEED = 31;

/** Two pools in eu-west-1 and one in us-east-1, identical in every simulator started with SEED. */
async function startSeeded(): Promise<{ sim: CognitoSimulator; poolIds: string[] }> {
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 20, max: 60 }, seed: SEED });
  const seed = (region: string, users: number) => sim.seedPool({
    region, users, now: NOW, devicesPerUser: { min: 0, max: 3 }, statusMix: { CONFIRMED: 0.9, UNCONFIRMED: 0.1 },
  });
  return { sim, poolIds: [seed('eu-west-1', 100), seed('us-east-1', 80), seed('eu-west-1', 60)] };
}

function forgottenKeys(sim: CognitoSimulator, poolIds: string[], before: Map<string, Set<string>>): string[] {
  return sorted(poolIds.flatMap((id) => [...removed(before.get(id)!, deviceKeys(sim, id))].map((k) => `${id}/${k}`)));
}

function snapshot(sim: CognitoSimulator, poolIds: string[]): Map<string, Set<string>> {
  return new Map(poolIds.map((id) => [id, deviceKeys(sim, id)]));
}

type Base = Omit<SweepOptions, 'userPoolIds' | 'endpoint'>;

describe.each<[string, Base, number[]]>([
  ['stale', { selection: { kind: 'stale', staleAfterSeconds: 120 * DAY_SECONDS } }, [4, 12]],
  ['users', { selection: { kind: 'users', usernames: Array.from({ length: 60 }, (_, i) => `user-${String(i * 2).padStart(6, '0')}`) } }, [8]],
])('%s selection', (_, base, cutsList) => {
  let reference: { forgotten: string[]; pools: readonly PoolReport[]; calls: number };

  beforeAll(async () => {
    const { sim, poolIds } = await startSeeded();
    const before = snapshot(sim, poolIds);
    const result = await sweepDevices({
      ...base, userPoolIds: poolIds, endpoint: sim.endpoint, rateBudget: scaledBudget(T), now: () => NOW.getTime(),
    });
    expect(result.done).toBe(true);
    reference = { forgotten: forgottenKeys(sim, poolIds, before), pools: result.pools, calls: sim.stats.totals.calls };
    await sim.stop();
  });

  // Slice lengths are shares of the uninterrupted run's calls, so each run is cut several times.
  test.each(cutsList)('deadlines at 1/%i of the run resume to the same forgotten set and summed report', async (cuts) => {
    const { sim, poolIds } = await startSeeded();
    const work = new WorkClock(sim);
    const sliceMs = (reference.calls * work.msPerCall) / cuts;
    const before = snapshot(sim, poolIds);
    // Throttles make slices end with work queued; nothing may be lost or repeated because of them.
    sim.setFaults({ throttleRate: 0.05 });
    let cursor: string | undefined;
    let pools: PoolReport[] = [];
    const slices: SweepResult[] = [];
    // The reference time comes from the cursor after the first slice; a drifting clock must not matter.
    let clock = NOW.getTime();
    do {
      const result = await sweepDevices({
        ...base,
        userPoolIds: poolIds,
        endpoint: sim.endpoint,
        rateBudget: scaledBudget(T),
        now: () => clock,
        deadline: work.now() + sliceMs,
        deadlineClock: work.now,
        cursor,
      });
      clock += 30 * DAY_SECONDS * 1000;
      slices.push(result);
      pools = mergePoolReports(pools, result.pools);
      cursor = result.cursor;
      if (cursor) expect(cursor.length).toBeLessThan(4096);
    } while (cursor && slices.length < 500);
    await sim.stop();

    expect(slices[slices.length - 1].done).toBe(true);
    expect(slices.length).toBeGreaterThan(2);
    expect(slices.slice(0, -1).every((s) => !s.done && s.cursor !== undefined)).toBe(true);
    expect(forgottenKeys(sim, poolIds, before)).toEqual(reference.forgotten);
    expect(pools).toEqual(reference.pools);
  });
});

test('maxForgets counts across resumed slices', async () => {
  const { sim, poolIds } = await startSeeded();
  const before = snapshot(sim, poolIds);
  const work = new WorkClock(sim);
  const base = {
    selection: { kind: 'all' } as const,
    userPoolIds: poolIds,
    endpoint: sim.endpoint,
    rateBudget: scaledBudget(T),
    maxForgets: 150,
    deadlineClock: work.now,
  };
  // About 60 calls answered per slice (the last quarter only finishes users in flight).
  const sliceMs = 60 * work.msPerCall;
  let result = await sweepDevices({ ...base, deadline: work.now() + sliceMs });
  const first = result.pools.reduce((n, p) => n + p.devicesForgotten, 0);
  let total = first;
  while (result.cursor) {
    result = await sweepDevices({ ...base, deadline: work.now() + sliceMs, cursor: result.cursor });
    total += result.pools.reduce((n, p) => n + p.devicesForgotten, 0);
  }
  await sim.stop();

  expect(first).toBeLessThan(150);
  expect(result).toMatchObject({ done: true, capped: true });
  expect(total).toBe(150);
  expect(forgottenKeys(sim, poolIds, before)).toHaveLength(150);
});

test('a deadline already past makes no call and hands back a cursor to start from', async () => {
  const { sim, poolIds } = await startSeeded();
  const base = { selection: { kind: 'all' } as const, userPoolIds: poolIds, endpoint: sim.endpoint, rateBudget: scaledBudget(T) };

  const first = await sweepDevices({ ...base, deadline: Date.now() - 1 });
  const calls = sim.stats.totals.calls;
  const second = await sweepDevices({ ...base, cursor: first.cursor });
  await sim.stop();

  expect(first).toMatchObject({ done: false, capped: false });
  expect(first.pools.every((p) => p.usersScanned === 0)).toBe(true);
  expect(calls).toBe(0);
  expect(second.done).toBe(true);
  for (const id of poolIds) expect(sim.allDevices(id)).toHaveLength(0);
});
