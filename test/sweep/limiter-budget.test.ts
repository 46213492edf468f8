/**
 * "No 1-second window above floor(budget)", checked exactly where it is decided: the limiter on a
 * fake clock (jest's fake timers drive both its timers and its `now`), through a long run of
 * every phase that changes its rate: a burst after idling, steady demand, throttle cuts and
 * recovery, a ceiling set and lifted. Counted in the limiter's own grant times, so the check is
 * the same on any machine; a limiter that lets one extra call through per second fails it.
 */
import { AdaptiveRateLimiter } from '../../src/sweep/rate/rate-limiter';
import { maxInWindow } from '../sim/stats';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** What one long run recorded: every grant's time (from the limiter's onGrant hook) and the first second's steady count. */
interface Run {
  readonly grants: number[];
  readonly steadyGrants: number;
}

/**
 * 60 s of fake time against one limiter, with always more demand than budget (workers that acquire
 * again as soon as they are granted), except for an idle stretch that fills the bucket:
 *  0-10 s steady; 10-13 s a throttle every 100 ms; 13-20 s recovery on each success;
 *  20-30 s ceiling at 30%; 30-40 s ceiling lifted; 40-45 s idle; 45-50 s burst back;
 *  50-60 s one cut, then a thousand successes at once (the rate jumps back to the budget).
 */
async function longRun(ratePerSecond: number): Promise<Run> {
  const start = Date.now();
  const grants: number[] = [];
  const limiter = new AdaptiveRateLimiter({ ratePerSecond, now: () => Date.now(), onGrant: (atMs) => grants.push(atMs - start) });
  const at = (s: number) => start + s * 1000;
  let idle = false;
  let stopped = false;
  let recovering = false;
  const worker = async (): Promise<void> => {
    while (!stopped) {
      if (idle) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      await limiter.acquire();
      if (recovering) limiter.onSuccess(5);
    }
  };
  const workers = Array.from({ length: Math.max(4, Math.ceil(ratePerSecond / 5)) }, worker);
  const until = async (s: number) => jest.advanceTimersByTimeAsync(at(s) - Date.now());

  await until(10);
  const steadyGrants = grants.filter((t) => t >= 1_000 && t < 10_000).length;
  while (Date.now() < at(13)) {
    limiter.onThrottle();
    await jest.advanceTimersByTimeAsync(100);
  }
  recovering = true;
  await until(20);
  limiter.setCeiling(ratePerSecond * 0.3);
  await until(30);
  limiter.setCeiling(ratePerSecond);
  await until(40);
  idle = true;
  await until(45);
  idle = false;
  await until(50);
  recovering = false;
  limiter.onThrottle();
  await until(52);
  for (let i = 0; i < 1_000; i++) limiter.onSuccess(5);
  await until(60);
  stopped = true;
  // Let every worker see `stopped` (each holds at most one grant or one idle timer).
  await jest.advanceTimersByTimeAsync(60_000);
  await Promise.all(workers);
  return { grants, steadyGrants };
}

describe.each([1, 2.5, 12.5, 25, 50, 250])('a limiter with a budget of %p/s', (rate) => {
  let run: Run;
  beforeAll(async () => {
    jest.useFakeTimers();
    run = await longRun(rate);
    jest.useRealTimers();
  });

  test('grants at most floor(budget) in every 1-second window of a 60-second run', () => {
    expect(maxInWindow(run.grants, 1_000)).toBeLessThanOrEqual(Math.max(1, Math.floor(rate)));
  });

  test('reaches its budget under steady demand (within the window guard: floor(budget) per 1.1 s)', () => {
    const limit = Math.max(1, Math.floor(rate));
    const steady = run.grants.filter((t) => t >= 1_000 && t < 10_000);
    expect(maxInWindow(steady, 1_000)).toBe(limit);
    // 9 s of steady demand: floor(rate) per 1.1 s at the least (less one window at the edges), budget x 9 at the most.
    expect(run.steadyGrants).toBeGreaterThanOrEqual(Math.floor((9 / 1.1 - 1) * limit));
    expect(run.steadyGrants).toBeLessThanOrEqual(Math.ceil(9 * rate) + 1);
  });

  test('the ceiling holds: 20-30 s stays near 30% of the budget', () => {
    const inCeiling = run.grants.filter((t) => t >= 21_000 && t < 30_000).length;
    expect(inCeiling).toBeLessThanOrEqual(Math.ceil(9 * Math.max(rate * 0.3, rate * 0.05)) + 2);
  });
});

test('a queue of demand fills every second to exactly floor(budget), never one more', async () => {
  const grants: number[] = [];
  const limiter = new AdaptiveRateLimiter({ ratePerSecond: 12.5, now: () => Date.now(), onGrant: (atMs) => grants.push(atMs) });
  for (let i = 0; i < 60; i++) void limiter.acquire();
  await jest.advanceTimersByTimeAsync(5_000);
  expect(grants.length).toBeGreaterThanOrEqual(45);
  // 12.5/s: the 1-second windows hold 12, never 13 (the bucket alone would reach 13 in its first second).
  expect(maxInWindow(grants, 1_000)).toBe(12);
});
