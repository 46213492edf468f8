/**
 * The incremental benchmark: a daily run with the next-check index against a full sweep, on a
 * 100,000-user pool at staleAfter 90 days with a day of realistic sign-in activity in between.
 *
 * Day 0: a run with an empty index (every user listed; it fills the index). Then one day of
 * activity. Day 1: the incremental run (measured), then a full sweep without the index on the same
 * pool at the same reference time (measured): it must find no stale device left, which checks
 * that the incremental run missed nothing. Runnable alone: `BENCH_ONLY=incremental npm run bench`.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { sweepDevices, SweepResult } from '../src/sweep';
import { StateFileIndex } from '../src/sweep/next-check/stores/state-file-index';
import { CognitoSimulator } from '../test/sim';
import { SignInActivity } from '../test/sim/activity';

const USERS = Number(process.env.BENCH_INCREMENTAL_USERS ?? 100_000);
/** Listing 90,000 users at 25/s is an hour of Cognito time: scaled so that it takes about 1.5 min. */
const TIME_SCALE = Number(process.env.BENCH_INCREMENTAL_TIME_SCALE ?? 40);
const STALE_AFTER_SECONDS = 90 * 86_400;
const DAY_MS = 86_400_000;
const DAY0_MS = Date.UTC(2026, 0, 1, 3);
const SEED = 42;
const QUOTAS = { UserList: 30, UserResourceRead: 50, UserResourceUpdate: 25 };

/** What the BENCH line gains. */
export interface IncrementalBench {
  readonly incrementalUsers: number;
  /** AdminListDevices calls of the daily incremental run / of a full sweep of the same pool that day. */
  readonly incrementalListDevicesRatio: number;
  /** Wall time of the incremental run / of the full sweep. */
  readonly incrementalWallTimeRatio: number;
  readonly incrementalUsersSkippedByIndex: number;
  readonly incrementalDevicesForgotten: number;
  /** Stale devices the full sweep still found after the incremental run (must be 0). */
  readonly incrementalStaleMissed: number;
  readonly incrementalTimeScale: number;
}

export async function incrementalBench(log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<IncrementalBench> {
  // The engine's clients use the default credential chain; the simulator accepts any keys.
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  const sim = await CognitoSimulator.start({ timeScale: TIME_SCALE, seed: SEED });
  const dir = mkdtempSync(join(tmpdir(), 'bench-incremental-'));
  try {
    const poolId = sim.seedPool({
      region: 'eu-west-1',
      poolId: 'eu-west-1_BenchIncr1',
      users: USERS,
      now: new Date(DAY0_MS),
      statusMix: { CONFIRMED: 0.9, UNCONFIRMED: 0.1 },
      devicesPerUser: { min: 0, max: 2 },
      maxAgeDays: 365,
    });
    const index = StateFileIndex.load(join(dir, 'state.json'));
    const run = async (label: string, nowMs: number, withIndex: boolean): Promise<{ result: SweepResult; ms: number }> => {
      log(`incremental: ${label} on ${USERS.toLocaleString('en-US')} users (T=${TIME_SCALE}) ...`);
      const started = Date.now();
      const result = await sweepDevices({
        userPoolIds: [poolId],
        selection: { kind: 'stale', staleAfterSeconds: STALE_AFTER_SECONDS },
        endpoint: sim.endpoint,
        rateBudget: {
          fraction: 0.5,
          baseQuotas: {
            UserList: QUOTAS.UserList * TIME_SCALE,
            UserResourceRead: QUOTAS.UserResourceRead * TIME_SCALE,
            UserResourceUpdate: QUOTAS.UserResourceUpdate * TIME_SCALE,
          },
        },
        now: () => nowMs,
        nextCheckIndex: withIndex ? index : undefined,
      });
      if (!result.done || result.pools[0].errors > 0) throw new Error(`${label}: the run did not finish cleanly: ${JSON.stringify(result.pools)}`);
      return { result, ms: Date.now() - started };
    };

    await run('day 0, empty index (fills it)', DAY0_MS, true);
    const day1 = DAY0_MS + DAY_MS;
    new SignInActivity(SEED).day([sim], poolId, DAY0_MS, day1);
    const incremental = await run('day 1, incremental', day1, true);
    const full = await run('day 1, full sweep', day1, false);
    const pool = incremental.result.pools[0];
    return {
      incrementalUsers: USERS,
      incrementalListDevicesRatio: round(incremental.result.calls.UserResourceRead / full.result.calls.UserResourceRead, 4),
      incrementalWallTimeRatio: round(incremental.ms / full.ms, 4),
      incrementalUsersSkippedByIndex: pool.usersSkippedByIndex,
      incrementalDevicesForgotten: pool.devicesForgotten,
      incrementalStaleMissed: full.result.pools[0].devicesStale,
      incrementalTimeScale: TIME_SCALE,
    };
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

if (require.main === module) {
  incrementalBench().then((result) => {
    process.stdout.write(`BENCH ${JSON.stringify(result)}\n`);
  }).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
