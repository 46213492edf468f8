/**
 * The workflow's loop, played locally against the Cognito simulator: many short slices, each resuming
 * from the previous cursor, must end where one uninterrupted sweep of an identical pool ends. Slices
 * are cut by work done (runLoop's clock advances per call answered), so a slow machine makes the
 * loop slower, never different.
 */
import { sweepDevices } from '../../src/sweep';
import type { PoolCounterName, PoolReport, SweepOptions } from '../../src/sweep';
import { SweepConfig } from '../../src/workflow/contract';
import { SliceContext } from '../../src/workflow/runtime/slice-logic';
import { CognitoSimulator } from '../sim';
import { MS_PER_CALL, runLoop } from './slice-runner';

// Slices are cut by work, so a busy machine only makes them slower: allow it.
jest.setTimeout(180_000);

/** Simulator speed-up; the engine's base quotas are scaled the same way so ratios stay real. */
const TIME_SCALE = 10;
const BASE_QUOTAS = { UserList: 30 * TIME_SCALE, UserResourceRead: 50 * TIME_SCALE, UserResourceUpdate: 25 * TIME_SCALE };
const NOW = Date.parse('2026-06-01T00:00:00Z');
/** Per slice: 40 calls answered (MS_PER_CALL each); the last quarter only finishes users in flight. */
const SLICE_BUDGET_MS = 40 * MS_PER_CALL;

/** Two pools in two Regions, seeded identically on every simulator (same seed, same order). */
async function seededSimulator(): Promise<{ sim: CognitoSimulator; poolIds: string[] }> {
  const sim = await CognitoSimulator.start({ timeScale: TIME_SCALE, latencyMs: 1, seed: 7 });
  const poolIds = [
    sim.seedPool({ region: 'eu-west-1', users: 80, devicesPerUser: { min: 0, max: 4 }, maxAgeDays: 365, now: new Date(NOW) }),
    sim.seedPool({ region: 'us-east-1', users: 40, devicesPerUser: { min: 0, max: 3 }, maxAgeDays: 365, now: new Date(NOW) }),
  ];
  return { sim, poolIds };
}

function deviceKeys(sim: CognitoSimulator, poolIds: string[]): string[] {
  return poolIds.flatMap((id) => sim.allDevices(id).map(({ username, device }) => `${id}/${username}/${device.DeviceKey}`)).sort();
}

function engineOptions(sim: CognitoSimulator): SliceContext['engineOptions'] {
  return { endpoint: sim.endpoint, baseQuotas: BASE_QUOTAS, now: () => NOW };
}

/** One uninterrupted sweep on a fresh identical pool: the reference the loop must reproduce. */
async function uninterrupted(config: SweepConfig): Promise<{ totals: PoolReport[]; remaining: string[]; capped: boolean }> {
  const { sim, poolIds } = await seededSimulator();
  try {
    const options: SweepOptions = {
      ...config,
      userPoolIds: poolIds,
      maxForgets: config.maxForgets,
      rateBudget: { fraction: config.rateBudget?.fraction, baseQuotas: BASE_QUOTAS },
      endpoint: sim.endpoint,
      now: () => NOW,
    };
    const result = await sweepDevices(options);
    expect(result.done).toBe(true);
    return { totals: [...result.pools], remaining: deviceKeys(sim, poolIds), capped: result.capped };
  } finally {
    await sim.stop();
  }
}

// The engine's clients take credentials from the default chain; the simulator accepts any.
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';

function sum(totals: PoolReport[], counter: PoolCounterName): number {
  return totals.reduce((n, report) => n + report[counter], 0);
}

describe('the slice loop against the simulator', () => {
  const stale = (poolIds: string[]): SweepConfig => ({
    userPoolIds: poolIds,
    selection: { kind: 'stale', staleAfterSeconds: 90 * 86_400 },
    dryRun: false,
    rateBudget: { fraction: 0.5 },
  });

  test('many short slices forget exactly what one uninterrupted sweep forgets, with the same totals', async () => {
    const { sim, poolIds } = await seededSimulator();
    try {
      const before = deviceKeys(sim, poolIds);
      const { output, outcomes } = await runLoop(sim, stale(poolIds), {
        allowedUserPoolIds: poolIds,
        sweep: sweepDevices,
        engineOptions: engineOptions(sim),
      }, SLICE_BUDGET_MS);

      const reference = await uninterrupted(stale(poolIds));
      expect(outcomes.length).toBeGreaterThanOrEqual(4);
      expect(sum(output.totals, 'errors')).toBe(0);
      expect(sum(output.totals, 'usersScanned')).toBe(120);
      expect(output.slices).toBe(outcomes.length);
      expect(output).toMatchObject({ done: true, capped: false });
      expect(output.cursor).toBeUndefined();
      expect(output.totals).toEqual(reference.totals);
      expect(deviceKeys(sim, poolIds)).toEqual(reference.remaining);
      // The run did forget something, and the counts add up to what left the pools.
      const forgotten = sum(output.totals, 'devicesForgotten') + sum(output.totals, 'devicesAlreadyGone');
      expect(forgotten).toBeGreaterThan(0);
      expect(before.length - reference.remaining.length).toBe(forgotten);
      expect(Date.parse(output.startedAt)).toBeLessThanOrEqual(Date.parse(output.finishedAt));
      expect(output.startedAt).toBe(outcomes[0].result.startedAt);
    } finally {
      await sim.stop();
    }
  });

  test('a dry run through many slices counts like one uninterrupted dry run and forgets nothing', async () => {
    const { sim, poolIds } = await seededSimulator();
    try {
      const before = deviceKeys(sim, poolIds);
      const config = { ...stale(poolIds), dryRun: true };
      const { output, outcomes } = await runLoop(sim, config, {
        allowedUserPoolIds: poolIds,
        sweep: sweepDevices,
        engineOptions: engineOptions(sim),
      }, SLICE_BUDGET_MS);

      const reference = await uninterrupted(config);
      expect(outcomes.length).toBeGreaterThanOrEqual(2);
      expect(output.totals).toEqual(reference.totals);
      expect(sum(output.totals, 'errors')).toBe(0);
      expect(sum(output.totals, 'devicesStale')).toBeGreaterThan(0);
      expect(sum(output.totals, 'devicesForgotten')).toBe(0);
      expect(deviceKeys(sim, poolIds)).toEqual(before);
    } finally {
      await sim.stop();
    }
  });

  test('the cap holds for the whole run, not per slice: the run ends capped after exactly that many forgets', async () => {
    const { sim, poolIds } = await seededSimulator();
    try {
      const before = deviceKeys(sim, poolIds);
      const { output, outcomes } = await runLoop(sim, { ...stale(poolIds), maxForgets: 40 }, {
        allowedUserPoolIds: poolIds,
        sweep: sweepDevices,
        engineOptions: engineOptions(sim),
      }, SLICE_BUDGET_MS);

      const forgettingSlices = outcomes.filter((outcome) => sum([...outcome.result.pools], 'devicesForgotten') > 0);
      expect(forgettingSlices.length).toBeGreaterThanOrEqual(2);
      expect(output).toMatchObject({ done: true, capped: true });
      // As in one uninterrupted sweep: neither more (a cap per slice) nor fewer (forgets reserved
      // under the cap but cut off by a slice's deadline must not count as reaching it).
      expect(sum(output.totals, 'devicesForgotten')).toBe(40);
      expect(before.length - deviceKeys(sim, poolIds).length).toBe(40);
    } finally {
      await sim.stop();
    }
  });
});
