import { sweepDevices } from '../../src/sweep';
import type { PoolReport, SweepOptions, SweepResult } from '../../src/sweep';
import { encodeCursor } from '../../src/sweep/input/cursor';
import { SliceInputError, SweepRunProgress } from '../../src/workflow/contract';
import {
  MAX_SLICE_MS,
  nextProgress,
  runSlice,
  SLICE_SAFETY_MARGIN_MS,
  sliceBudgetMs,
  sliceMetrics,
} from '../../src/workflow/runtime/slice-logic';

const POOL = 'eu-west-1_AAA';
const T0 = Date.parse('2026-01-01T00:00:00Z');
const CONFIG = { userPoolIds: [POOL], selection: { kind: 'stale', staleAfterSeconds: 86_400 }, dryRun: false };

function report(counts: Partial<PoolReport> = {}): PoolReport {
  return {
    userPoolId: POOL,
    usersScanned: 0,
    devicesScanned: 0,
    devicesStale: 0,
    devicesForgotten: 0,
    devicesAlreadyGone: 0,
    devicesUndated: 0,
    errors: 0,
    usersSkippedByIndex: 0,
    ...counts,
  };
}

function result(fields: Partial<SweepResult> = {}): SweepResult {
  return {
    done: true,
    capped: false,
    pools: [report()],
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:14:00.000Z',
    calls: { UserList: 0, UserResourceRead: 0, UserResourceUpdate: 0 },
    throttled: 0,
    ratesPerSecond: { UserList: 15, UserResourceRead: 25, UserResourceUpdate: 12.5 },
    ...fields,
  };
}

function progress(fields: Partial<SweepRunProgress> = {}): SweepRunProgress {
  return {
    done: false,
    cursor: '{"v":1}',
    capped: false,
    totals: [report({ usersScanned: 10, devicesForgotten: 4 })],
    slices: 3,
    startedAt: '2025-12-31T23:00:00.000Z',
    finishedAt: '2025-12-31T23:42:00.000Z',
    ...fields,
  };
}

describe('sliceBudgetMs', () => {
  test('keeps the safety margin back from the remaining time', () => {
    expect(sliceBudgetMs(SLICE_SAFETY_MARGIN_MS + 5_000)).toBe(5_000);
  });

  test('never exceeds the longest slice', () => {
    expect(sliceBudgetMs(60 * 60_000)).toBe(MAX_SLICE_MS);
  });

  test('refuses to run without time left after the margin, saying what to change', () => {
    expect(() => sliceBudgetMs(SLICE_SAFETY_MARGIN_MS)).toThrow(/less than the 60000 ms safety margin: give the function a timeout/);
  });
});

describe('runSlice', () => {
  test('a sweep stopped by a systemic error fails the slice with SweepSystemicError, its reasons once each, and keeps the outcome', async () => {
    const denied = { reason: 'access-denied' as const, message: `cognito-idp:ListUsers denied on user pool ${POOL} (AccessDeniedException); allow it ...` };
    const expired = { reason: 'credentials-rejected' as const, message: 'the AWS credentials were refused (ExpiredTokenException: ...)' };
    const stopped = result({
      done: false,
      cursor: '{"v":1}',
      pools: [report({ errors: 1, stopped: denied } as Partial<PoolReport>), report({ userPoolId: 'eu-west-1_BBB', errors: 1, stopped: expired } as Partial<PoolReport>),
        report({ userPoolId: 'eu-west-1_CCC', stopped: expired } as Partial<PoolReport>)],
      stopped: denied,
    });
    const error = await runSlice({ config: { ...CONFIG, userPoolIds: [POOL, 'eu-west-1_BBB', 'eu-west-1_CCC'] } }, {
      allowedUserPoolIds: [POOL, 'eu-west-1_BBB', 'eu-west-1_CCC'], remainingTimeMs: 900_000, sweep: async () => stopped,
    }).then(() => undefined, (e: any) => e);
    expect(error.name).toBe('SweepSystemicError');
    expect(error.message).toBe(`${denied.message}; ${expired.message}`);
    // The counts up to the stop are kept for the metrics; the progress is not done, and names each stop.
    expect(error.outcome.progress).toMatchObject({ done: false, slices: 1 });
    expect(error.outcome.progress.totals.map((p: any) => p.stopped?.reason)).toEqual(['access-denied', 'credentials-rejected', 'credentials-rejected']);
    expect(sliceMetrics(error.outcome).find((m) => m.name === 'Errors')?.value).toBe(2);
  });

  test('a domain\'s slice stopped by a systemic error returns its progress with `stopped` (its counts reach the merge) instead of failing', async () => {
    const denied = { reason: 'access-denied' as const, message: `cognito-idp:ListUsers denied on user pool ${POOL} (AccessDeniedException); allow it ...` };
    const stopped = result({
      done: false,
      cursor: '{"v":1}',
      pools: [report({ errors: 1, stopped: denied } as Partial<PoolReport>), report({ userPoolId: 'eu-west-1_BBB', devicesForgotten: 3 })],
      stopped: denied,
    });
    const domain = { key: '/eu-west-1', region: 'eu-west-1' };
    const outcome = await runSlice({ config: { ...CONFIG, userPoolIds: [POOL, 'eu-west-1_BBB'] }, domain }, {
      allowedUserPoolIds: [POOL, 'eu-west-1_BBB'], remainingTimeMs: 900_000, sweep: async () => stopped,
    });
    expect(outcome.progress.stopped).toEqual({ error: 'SweepSystemicError', cause: denied.message });
    expect(outcome.progress).toMatchObject({ done: false, slices: 1 });
    // What the slice did on the pool that was not stopped is in the progress the Map hands on.
    expect(outcome.progress.totals.map((p) => [p.userPoolId, p.devicesForgotten, p.stopped?.reason])).toEqual([
      [POOL, 0, 'access-denied'], ['eu-west-1_BBB', 3, undefined],
    ]);
    // A slice that was not stopped never says so.
    const finished = await runSlice({ config: { ...CONFIG, userPoolIds: [POOL] }, domain }, {
      allowedUserPoolIds: [POOL], remainingTimeMs: 900_000, sweep: async () => result(),
    });
    expect(finished.progress.stopped).toBeUndefined();
  });

  test('calls the engine with the config, the previous cursor and a deadline one budget away', async () => {
    const calls: SweepOptions[] = [];
    const { cursor } = encodeCursor(
      { nowMs: T0, forgets: 4, regions: new Map([['eu-west-1', { pool: 0, done: 7 }]]) },
      { userPoolIds: [POOL], selection: { kind: 'stale', staleAfterSeconds: 86_400 }, poolsPerRegion: new Map([['eu-west-1', 1]]) },
    );
    const previous = progress({ cursor });
    await runSlice({ config: { ...CONFIG, maxForgets: 100, rateBudget: { fraction: 0.3 }, excludeUsernames: ['root'], onlyRemembered: true, followAccountUsage: true }, progress: previous }, {
      allowedUserPoolIds: [POOL],
      remainingTimeMs: SLICE_SAFETY_MARGIN_MS + 2_000,
      clock: () => T0,
      sweep: async (options) => {
        calls.push(options);
        return result();
      },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      userPoolIds: [POOL],
      selection: CONFIG.selection,
      dryRun: false,
      // The engine counts the run's forgets in the cursor: the cap is passed unchanged.
      maxForgets: 100,
      rateBudget: { fraction: 0.3 },
      excludeUsernames: ['root'],
      onlyRemembered: true,
      followAccountUsage: true,
      cursor: previous.cursor,
      deadline: T0 + 2_000,
    });
  });

  test('refuses foreign pools before calling the engine', async () => {
    const sweep = jest.fn();
    await expect(runSlice({ config: { ...CONFIG, userPoolIds: ['eu-west-1_EVIL'] } }, {
      allowedUserPoolIds: [POOL], remainingTimeMs: 900_000, sweep,
    })).rejects.toThrow(SliceInputError);
    expect(sweep).not.toHaveBeenCalled();
  });

  test('turns an engine refusal (a cursor of another run) into SliceInputError, which the workflow does not retry', async () => {
    const error = await runSlice({ config: CONFIG, progress: progress({ cursor: 'not-a-cursor' }) }, {
      allowedUserPoolIds: [POOL], remainingTimeMs: 900_000, sweep: sweepDevices,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SliceInputError);
    expect((error as Error).message).toMatch(/The engine refused the event: Invalid cursor/);
  });
});

describe('nextProgress', () => {
  test('the first slice starts the totals and the run clock', () => {
    const next = nextProgress(undefined, result({ done: false, cursor: 'c1', pools: [report({ usersScanned: 5 })] }));
    expect(next).toEqual({
      done: false,
      cursor: 'c1',
      capped: false,
      totals: [report({ usersScanned: 5 })],
      slices: 1,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:14:00.000Z',
      // The slice's own 14 minutes of sweeping; no estimate of the pool's users, so no time left.
      sweepSeconds: 14 * 60,
      pools: [{ userPoolId: POOL, usersDone: 5 }],
    });
  });

  test('later slices add their counts and keep the run\'s start', () => {
    const next = nextProgress(progress(), result({ pools: [report({ usersScanned: 7, devicesForgotten: 1 })] }));
    expect(next.totals).toEqual([report({ usersScanned: 17, devicesForgotten: 5 })]);
    expect(next.slices).toBe(4);
    expect(next.startedAt).toBe('2025-12-31T23:00:00.000Z');
    expect(next.finishedAt).toBe('2026-01-01T00:14:00.000Z');
    expect(next).toMatchObject({ done: true, capped: false });
    expect(next.cursor).toBeUndefined();
  });

  test('a capped slice ends the run', () => {
    expect(nextProgress(progress(), result({ done: true, capped: true }))).toMatchObject({ done: true, capped: true, cursor: undefined });
  });

  test('an unfinished slice without a cursor is an engine fault, not a silent end', () => {
    expect(() => nextProgress(undefined, result({ done: false, cursor: undefined }))).toThrow(/without a cursor/);
  });
});

describe('sliceMetrics', () => {
  const slice = result({
    done: false,
    cursor: 'c',
    throttled: 3,
    pools: [report({ usersScanned: 9, devicesScanned: 8, devicesStale: 5, devicesForgotten: 4, devicesAlreadyGone: 1, errors: 2 })],
  });

  test('an unfinished slice reports its own counts only', () => {
    const metrics = sliceMetrics({ progress: progress(), result: slice });
    expect(metrics.slice(0, 8)).toEqual([
      { name: 'UsersScanned', value: 9 },
      { name: 'DevicesScanned', value: 8 },
      { name: 'DevicesStale', value: 5 },
      { name: 'DevicesForgotten', value: 4 },
      { name: 'DevicesAlreadyGone', value: 1 },
      { name: 'Errors', value: 2 },
      { name: 'UsersSkippedByIndex', value: 0 },
      { name: 'Throttled', value: 3 },
    ]);
    expect(metrics.map((m) => m.name)).not.toContain('RunsCompleted');
  });

  test('the age picture of the slice, summed over its pools, as one metric per bucket', () => {
    const ages = (offset: number) => ({
      remembered: { under7Days: 1 + offset, days7To30: 2, days30To90: 3, days90To180: 4, days180To365: 5, over365Days: 6, undated: 7 },
      notRemembered: { under7Days: 10, days7To30: 0, days30To90: 0, days90To180: 0, days180To365: 0, over365Days: 0, undated: 1 },
      usersByDeviceCount: { none: 1, one: 2, two: 3, threeToFive: 4, sixOrMore: 5 + offset, notListed: 6 },
    });
    const twoPools = result({ pools: [report({ ages: ages(0) }), report({ userPoolId: 'eu-west-1_BBB', ages: ages(100) })] });
    const metrics = new Map(sliceMetrics({ progress: progress(), result: twoPools }).map((m) => [m.name, m.value]));
    expect(metrics.get('DevicesLastUsedUnder7Days')).toBe(1 + 10 + 101 + 10);
    expect(metrics.get('DevicesLastUsed180To365Days')).toBe(10);
    expect(metrics.get('DevicesUndated')).toBe(16);
    expect(metrics.get('DevicesRemembered')).toBe(2 * 28 + 100);
    expect(metrics.get('UsersHolding6OrMoreDevices')).toBe(110);
    expect(metrics.get('UsersHoldingNoDevice')).toBe(2);
  });

  test('the last slice also reports how the run ended', () => {
    const clean = sliceMetrics({ progress: progress({ done: true, cursor: undefined }), result: slice });
    expect(clean).toEqual(expect.arrayContaining([
      // progress() runs from 23:00 to 23:42.
      { name: 'RunDurationSeconds', value: 42 * 60 },
      { name: 'RunsCompleted', value: 1 },
      { name: 'RunsCapped', value: 0 },
      { name: 'RunsFailed', value: 0 },
    ]));

    const cappedWithErrors = sliceMetrics({
      progress: progress({ done: true, cursor: undefined, capped: true, totals: [report({ errors: 1 })] }),
      result: slice,
    });
    expect(cappedWithErrors).toEqual(expect.arrayContaining([
      { name: 'RunsCapped', value: 1 },
      { name: 'RunsFailed', value: 1 },
    ]));
  });
});
