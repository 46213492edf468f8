/**
 * The observed window guard (issue 19): it follows the spread of the round trips it is told of,
 * within its floor and ceiling, and forgets a stall slowly. Pure arithmetic on given round trips
 * and clock times: no timer, no wall clock.
 */
import { JitterGuard } from '../../src/sweep/rate/jitter-guard';
import { WINDOW_GUARD_MS } from '../../src/sweep/rate/sliding-window';
import { Random } from '../sim/random';

/** Feeds `latencies` one per `stepMs` from `fromMs`; returns the clock time after the last one. */
function feed(guard: JitterGuard, latencies: readonly number[], fromMs = 0, stepMs = 20): number {
  let t = fromMs;
  for (const ms of latencies) guard.observe(ms, (t += stepMs));
  return t;
}

const steady = (n: number, ms = 40): number[] => Array.from({ length: n }, () => ms);
/** Round trips of `baseMs` plus a uniform jitter in [0, jitterMs), seeded. */
function jittery(n: number, jitterMs: number, seed = 7, baseMs = 40): number[] {
  const random = new Random(seed);
  return Array.from({ length: n }, () => baseMs + random.next() * jitterMs);
}

test('nothing observed yet: the initial guard (the former fixed 100 ms)', () => {
  const guard = new JitterGuard();
  expect(guard.ms).toBe(WINDOW_GUARD_MS);
  feed(guard, steady(15));
  expect(guard.ms).toBe(WINDOW_GUARD_MS);
});

test('a steady link: the guard drops to its floor of a few ms', () => {
  const guard = new JitterGuard();
  feed(guard, steady(16));
  expect(guard.ms).toBe(5);
  feed(guard, jittery(512, 2), 1_000);
  expect(guard.ms).toBe(5);
});

test('a jittery link: the guard grows to the spread, whatever the base latency', () => {
  for (const baseMs of [5, 40, 300]) {
    const guard = new JitterGuard();
    feed(guard, jittery(512, 60, 7, baseMs));
    // The largest of a uniform 0-60 ms spread, above the smallest.
    expect(guard.ms).toBeGreaterThan(57);
    expect(guard.ms).toBeLessThanOrEqual(60);
  }
});

test('the spread, not the latency: a slow steady link keeps a small guard', () => {
  const guard = new JitterGuard();
  feed(guard, jittery(512, 3, 9, 800));
  expect(guard.ms).toBeLessThanOrEqual(5);
});

test('one stall among 256 round trips sets the guard (one call too many overfills a second); a chosen quantile can ignore it', () => {
  const stalled = steady(256).map((ms, i) => (i === 100 ? ms + 80 : ms));
  const largest = new JitterGuard();
  feed(largest, stalled);
  expect(largest.ms).toBe(80);
  const p99 = new JitterGuard({ quantile: 0.99 });
  feed(p99, stalled);
  expect(p99.ms).toBe(5);
});

test('clamped: never above the ceiling, never below the floor', () => {
  const guard = new JitterGuard({ floorMs: 2, ceilingMs: 150 });
  feed(guard, jittery(256, 1_000));
  expect(guard.ms).toBe(150);
  // Steady for minutes: the stall is forgotten.
  feed(guard, steady(512), 1_000_000, 1_000);
  expect(guard.ms).toBe(2);
});

test('a stall is forgotten by half per half-life of the clock, not as soon as it leaves the samples', () => {
  const guard = new JitterGuard({ holdHalfLifeMs: 5_000 });
  let t = feed(guard, jittery(256, 80));
  const afterStalls = guard.ms;
  expect(afterStalls).toBeGreaterThan(70);
  // 256 steady round trips in 0.5 s: the samples hold no jitter any more, the guard barely moved.
  t = feed(guard, steady(256), t, 2);
  expect(guard.ms).toBeGreaterThan(afterStalls * 0.9);
  // 5 s later (one half-life), about half.
  t = feed(guard, steady(16), t + 5_000 - 16 * 2, 2);
  expect(guard.ms).toBeGreaterThan(afterStalls * 0.45);
  expect(guard.ms).toBeLessThan(afterStalls * 0.55);
  // A minute later: the floor.
  feed(guard, steady(16), t + 60_000);
  expect(guard.ms).toBe(5);
});

test('measurements that cannot be round trips are ignored', () => {
  const guard = new JitterGuard();
  feed(guard, steady(16));
  feed(guard, [Number.NaN, -5, Number.POSITIVE_INFINITY, ...steady(13)], 1_000);
  expect(guard.ms).toBe(5);
});

test.each([
  [{ floorMs: -1 }, /floorMs <= ceilingMs/],
  [{ floorMs: 10, ceilingMs: 5 }, /floorMs <= ceilingMs/],
  [{ samples: 8, updateEvery: 16 }, /samples >= updateEvery/],
  [{ quantile: 0 }, /quantile/],
])('rejects %p', (options, message) => {
  expect(() => new JitterGuard(options)).toThrow(message);
});
