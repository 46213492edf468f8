/** Progress per pool in the execution output: users done and the time left, from counted work. */
import { sweepDevices } from '../../src/sweep';
import type { PoolReport } from '../../src/sweep';
import { SweepRunProgress } from '../../src/workflow/contract';
import { parseSliceEvent } from '../../src/workflow/runtime/slice-event';
import { poolProgress, runSlice, SLICE_SAFETY_MARGIN_MS } from '../../src/workflow/runtime/slice-logic';
import { CognitoSimulator } from '../sim';
import { WorkClock } from '../sweep/work-clock';

process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';

function totals(...users: number[]): PoolReport[] {
  return users.map((usersScanned, i) => ({
    userPoolId: `eu-west-1_P${i}`,
    usersScanned,
    devicesScanned: 0,
    devicesStale: 0,
    devicesForgotten: 0,
    devicesAlreadyGone: 0,
    devicesUndated: 0,
    errors: 0,
    usersSkippedByIndex: 0,
  }));
}

test('time left per pool is its users not yet done at the run\'s users per second of sweeping', () => {
  // 400 users in 40 s of sweeping: 10 users/s.
  const estimates = new Map([['eu-west-1_P0', 1000], ['eu-west-1_P1', 100]]);
  expect(poolProgress(totals(300, 100), 40, false, estimates)).toEqual([
    { userPoolId: 'eu-west-1_P0', usersDone: 300, estimatedUsers: 1000, estimatedSecondsLeft: 70 },
    { userPoolId: 'eu-west-1_P1', usersDone: 100, estimatedUsers: 100, estimatedSecondsLeft: 0 },
  ]);
  // No estimate, or no work counted yet: no time left is claimed. A finished run has none left.
  expect(poolProgress(totals(300), 40, false)).toEqual([{ userPoolId: 'eu-west-1_P0', usersDone: 300 }]);
  expect(poolProgress(totals(0), 0, false, estimates)[0].estimatedSecondsLeft).toBeUndefined();
  expect(poolProgress(totals(5), 1, true, estimates)[0].estimatedSecondsLeft).toBe(0);
  // Cognito's estimate may be below the users already done (it lags): never a negative time.
  expect(poolProgress(totals(2000), 10, false, estimates)[0].estimatedSecondsLeft).toBe(0);
});

test('each slice reports users done per pool; the estimate is asked once per run and carried through the progress', async () => {
  const sim = await CognitoSimulator.start({ timeScale: 10, latencyMs: 1, seed: 3 });
  const poolIds = [
    sim.seedPool({ region: 'eu-west-1', users: 60, devicesPerUser: { min: 0, max: 3 } }),
    sim.seedPool({ region: 'eu-west-1', users: 30, devicesPerUser: { min: 0, max: 3 } }),
  ];
  const asked: string[][] = [];
  const config = { userPoolIds: poolIds, selection: { kind: 'stale', staleAfterSeconds: 90 * 86_400 }, dryRun: true };
  const outputs: SweepRunProgress[] = [];
  let progress: SweepRunProgress | null = null;
  // Slices end by work done (10 ms of this clock per call answered), never by the machine's speed.
  const work = new WorkClock(sim);
  try {
    do {
      const event = JSON.parse(JSON.stringify({ config, progress }));
      const outcome = await runSlice(event, {
        allowedUserPoolIds: poolIds,
        sweep: sweepDevices,
        clock: work.now,
        remainingTimeMs: SLICE_SAFETY_MARGIN_MS + 300,
        engineOptions: { endpoint: sim.endpoint, baseQuotas: { UserList: 300, UserResourceRead: 500, UserResourceUpdate: 250 } },
        estimateUsers: async (ids) => {
          asked.push([...ids]);
          return new Map([[poolIds[0], 60]]);
        },
      });
      progress = JSON.parse(JSON.stringify(outcome.progress)) as SweepRunProgress;
      // What the next slice receives parses back (the state machine hands it on).
      if (!progress.done) expect(parseSliceEvent({ config, progress }, poolIds).progress?.pools).toBeDefined();
      outputs.push(progress);
    } while (!progress.done && outputs.length < 500);
  } finally {
    await sim.stop();
  }

  expect(outputs.length).toBeGreaterThan(2);
  expect(asked).toEqual([poolIds]);
  for (const output of outputs) {
    expect(output.pools!.map((p) => p.usersDone)).toEqual(output.totals.map((t) => t.usersScanned));
    expect(output.pools![0].estimatedUsers).toBe(60);
    expect(output.pools![1].estimatedUsers).toBeUndefined();
    if (!output.done) expect(output.pools![1].estimatedSecondsLeft).toBeUndefined();
  }
  // Users done only grow, and the run ends with every user done and nothing left.
  for (let i = 1; i < outputs.length; i++) {
    expect(outputs[i].pools![0].usersDone).toBeGreaterThanOrEqual(outputs[i - 1].pools![0].usersDone);
  }
  const last = outputs[outputs.length - 1];
  expect(last.done).toBe(true);
  expect(last.pools!.map((p) => p.usersDone)).toEqual([60, 30]);
  expect(last.pools![0].estimatedSecondsLeft).toBe(0);
  // Midway, a pool with an estimate has a time left. Its size follows the slices' own (wall) sweeping
  // time, which a fast machine makes round to 0: the arithmetic is checked exactly in the test above.
  const midway = outputs.find((o) => o.pools![0].usersDone > 0 && o.pools![0].usersDone < 60);
  expect(midway?.pools![0].estimatedSecondsLeft).toBeGreaterThanOrEqual(0);
  expect(midway?.pools![1].estimatedSecondsLeft).toBeUndefined();
}, 180_000);
