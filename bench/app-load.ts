/**
 * The sweep alongside the application's own traffic (test/sim/app-load.ts) on the same quotas:
 * the application's throttle rate with and without the sweeper, at 40% and 90% of each quota, and
 * the sweeper's throughput at several budgets. Runs inside `npm run bench`, or alone:
 * `BENCH_ONLY=app-load npm run bench`.
 */
import { performance } from 'perf_hooks';
import { scaledQuotas, sweepDevices } from '../src/sweep';
import { PER_USER_RATE } from '../src/sweep/rate/user-pace';
import { AppLoad, CognitoSimulator } from '../test/sim';

/** Time scale of these runs: low, so the sweeper, the application and the simulator share the CPU comfortably. */
const TIME_SCALE = Number(process.env.BENCH_APP_TIME_SCALE ?? 5);
const USERS = Number(process.env.BENCH_APP_USERS ?? 400);
/** Wall seconds of application load alone, for its throttle rate without the sweeper. */
const ALONE_SECONDS = Number(process.env.BENCH_APP_ALONE_SECONDS ?? 8);
const REGION = 'eu-west-1';

/** One run: the application at `appShare` of each quota; the sweeper at `budget`. */
export interface AppLoadRun {
  readonly appShare: number;
  readonly budget: number;
  /** The application's throttled share of calls, alone and while the sweeper ran (%). */
  readonly appThrottlePctAlone: number;
  readonly appThrottlePctWithSweeper: number;
  /** Percentage points the sweeper added to the application's throttle rate. */
  readonly appThrottleRateDelta: number;
  /** Devices forgotten per second, in Cognito terms (wall x time scale). */
  readonly sweeperForgetsPerSecond: number;
  /** The sweeper's own throttled attempts. */
  readonly sweeperThrottled: number;
}

export interface AppLoadBench {
  readonly timeScale: number;
  readonly runs: readonly AppLoadRun[];
  /** Percentage points, by application share ("0.4", "0.9"), with the sweeper at budget 0.5. */
  readonly appThrottleRateDelta: Record<string, number>;
  /** The sweeper's forgets/s by budget, with the application at 40%. */
  readonly sweeperThroughput: Record<string, number>;
  /** Sweeper forgets/s at budget 0.5 with the application at 90%, over that at 40%: below 1 when it yields. */
  readonly sweeperYield: number;
}

async function run(appShare: number, budget: number): Promise<AppLoadRun> {
  // The engine's clients use the default credential chain; the simulator accepts any keys.
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  const sim = await CognitoSimulator.start({ timeScale: TIME_SCALE, latencyMs: { min: 30, max: 70 }, seed: 10 });
  const app = AppLoad.start(sim, { region: REGION, share: appShare, seed: 10 });
  try {
    // Every device stale: the forgets (UserResourceUpdate, the smallest quota) are the busiest calls.
    const pool = sim.seedPool({ region: REGION, users: USERS, devicesPerUser: { min: 1, max: 5 }, maxAgeDays: 0 });
    await new Promise((resolve) => setTimeout(resolve, ALONE_SECONDS * 1000));
    const alone = app.throttleRate;
    app.resetStats();
    const started = performance.now();
    const result = await sweepDevices({
      userPoolIds: [pool],
      selection: { kind: 'all' },
      endpoint: sim.endpoint,
      rateBudget: { fraction: budget, baseQuotas: scaledQuotas(TIME_SCALE), perUserRatePerSecond: PER_USER_RATE * TIME_SCALE },
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const withSweeper = app.throttleRate;
    if (result.pools[0].errors > 0 || result.pools[0].devicesForgotten === 0) throw new Error(`app-load bench: the sweep failed: ${JSON.stringify(result.pools[0])}`);
    return {
      appShare,
      budget,
      appThrottlePctAlone: round(alone * 100, 2),
      appThrottlePctWithSweeper: round(withSweeper * 100, 2),
      appThrottleRateDelta: round((withSweeper - alone) * 100, 2),
      sweeperForgetsPerSecond: round(result.pools[0].devicesForgotten / (wallSeconds * TIME_SCALE), 2),
      sweeperThrottled: result.throttled,
    };
  } finally {
    app.stop();
    await sim.stop();
  }
}

/** Runs every scenario; `print` gets one line per run. */
export async function benchAppLoad(print: (line: string) => void): Promise<AppLoadBench> {
  print(`App load: the application at a share of each quota (Poisson arrivals on the simulator's buckets), the sweeper
sweeping ${USERS} users (1-5 stale devices each) alongside, T = ${TIME_SCALE}; the application's throttle rate alone
(${ALONE_SECONDS} s) vs during the sweep.`);
  const runs: AppLoadRun[] = [];
  for (const [appShare, budget] of [[0.4, 0.5], [0.9, 0.5], [0.4, 0.25], [0.4, 0.9]]) {
    const r = await run(appShare, budget);
    runs.push(r);
    print(`  app ${pct(appShare)}, sweeper budget ${budget}: app throttled ${r.appThrottlePctAlone}% alone, ${r.appThrottlePctWithSweeper}% with the sweeper `
      + `(delta ${r.appThrottleRateDelta} points); sweeper ${r.sweeperForgetsPerSecond} forgets/s, ${r.sweeperThrottled} throttled`);
  }
  const at = (appShare: number, budget: number) => runs.find((r) => r.appShare === appShare && r.budget === budget)!;
  return {
    timeScale: TIME_SCALE,
    runs,
    appThrottleRateDelta: { 0.4: at(0.4, 0.5).appThrottleRateDelta, 0.9: at(0.9, 0.5).appThrottleRateDelta },
    sweeperThroughput: Object.fromEntries([0.25, 0.5, 0.9].map((budget) => [String(budget), at(0.4, budget).sweeperForgetsPerSecond])),
    sweeperYield: round(at(0.9, 0.5).sweeperForgetsPerSecond / at(0.4, 0.5).sweeperForgetsPerSecond, 3),
  };
}

function round(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

// Alone: `BENCH_ONLY=app-load npm run bench` runs bench.ts, which calls this; or run this file directly.
if (require.main === module) {
  benchAppLoad((line) => console.log(line))
    .then((bench) => console.log(`BENCH ${JSON.stringify({ appLoad: bench })}`))
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
}
