/**
 * The limiter beside the application's own traffic on one quota, on a fake clock: the application's
 * Poisson calls (test/sim/app-load.ts) and the sweeper's forgets draw on the simulator's token bucket,
 * the sweeper through the real AdaptiveRateLimiter, and jest's fake timers drive every clock. The
 * throttle rates and forget rates are then exact for a seed, the same on any machine. (The same
 * scenarios over HTTP, in wall time, are in `npm run bench`: appThrottleRateDelta, sweeperYield.)
 */
import { AdaptiveRateLimiter } from '../../src/sweep/rate/rate-limiter';
import { AppLoad, CognitoSimulator } from '../sim';

const QUOTA = 25;
const BUDGET = QUOTA * 0.5;
/** A forget's round trip (ms): the answer (and the limiter's reaction to it) comes this long after the start. */
const LATENCY_MS = 50;
const WORKERS = 4;
let sim: CognitoSimulator;
let scenarios = 0;

beforeAll(async () => {
  // Only its buckets are used (admitExternalCall), on the fake clock; no request goes over HTTP.
  sim = await CognitoSimulator.start({ clock: () => Date.now() });
});
afterAll(async () => sim.stop());
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

interface Outcome {
  /** The application's throttle rate alone, and while the sweeper runs. */
  readonly alone: number;
  readonly during: number;
  /** The sweeper's admitted forgets per second. */
  readonly forgetsPerSecond: number;
}

/** 30 s of the application alone at `appShare` of the update quota, then 60 s with the sweeper at budget 0.5. */
async function scenario(appShare: number, seed: number): Promise<Outcome> {
  // A Region of its own: fresh buckets.
  const region = `eu-west-${++scenarios}`;
  // Every category, as in the benchmark: its throttle rate is over all of the application's calls.
  const app = AppLoad.start(sim, { region, share: appShare, seed });
  try {
    await jest.advanceTimersByTimeAsync(30_000);
    const alone = app.throttleRate;
    app.resetStats();

    const limiter = new AdaptiveRateLimiter({ ratePerSecond: BUDGET, now: () => Date.now() });
    let stopped = false;
    let forgets = 0;
    const worker = async (): Promise<void> => {
      while (!stopped) {
        await limiter.acquire();
        const admitted = sim.admitExternalCall(region, 'UserResourceUpdate');
        await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
        if (admitted) {
          forgets++;
          limiter.onSuccess(LATENCY_MS);
        } else {
          limiter.onThrottle();
        }
      }
    };
    const workers = Array.from({ length: WORKERS }, worker);
    await jest.advanceTimersByTimeAsync(60_000);
    const during = app.throttleRate;
    const forgetsPerSecond = forgets / 60;
    stopped = true;
    await jest.advanceTimersByTimeAsync(60_000);
    await Promise.all(workers);
    return { alone, during, forgetsPerSecond };
  } finally {
    app.stop();
  }
}

/**
 * 16 runs: one run's added throttle rate at 90% varies by about a point (1.1 to 2.7 points), so the
 * mean of 6 moved by 0.14 points when the window guard went from a fixed 100 ms to the observed
 * few ms, in either direction by seed; over 16 it is 1.9 points with either guard.
 */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

describe('app at 40% and 90% of each quota, the sweeper at budget 0.5', () => {
  let runs: Array<{ light: Outcome; heavy: Outcome }>;
  beforeAll(async () => {
    jest.useFakeTimers();
    runs = [];
    for (const seed of SEEDS) runs.push({ light: await scenario(0.4, seed), heavy: await scenario(0.9, seed) });
    jest.useRealTimers();
  });
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

  test('at 40% the sweeper adds at most 1 point to the application\'s throttle rate, in every run', () => {
    for (const { light } of runs) expect(light.during - light.alone).toBeLessThanOrEqual(0.01);
  });

  test('at 90% it adds at most 2 points on average (one minute of Poisson arrivals varies by about a point)', () => {
    expect(mean(runs.map(({ heavy }) => heavy.during - heavy.alone))).toBeLessThanOrEqual(0.02);
    for (const { heavy } of runs) expect(heavy.during - heavy.alone).toBeLessThanOrEqual(0.03);
  });

  test('it yields at 90%, and reaches its budget (within the window guard) at 40%', () => {
    for (const { light, heavy } of runs) {
      // Only 10% of the update quota is left at 90%: the forget rate falls well under the budget.
      expect(heavy.forgetsPerSecond).toBeLessThan(light.forgetsPerSecond * 0.75);
      expect(light.forgetsPerSecond).toBeGreaterThan(BUDGET * 0.8);
    }
  });
});
