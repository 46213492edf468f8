import { SweepStoppedError } from '../../src/sweep/errors';
import { AdaptiveRateLimiter } from '../../src/sweep/rate/rate-limiter';

describe('AdaptiveRateLimiter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Starts `n` acquisitions and records the fake-clock time each is granted. */
  function acquireMany(limiter: AdaptiveRateLimiter, n: number): number[] {
    const grantedAt: number[] = [];
    for (let i = 0; i < n; i++) void limiter.acquire().then(() => grantedAt.push(Date.now()));
    return grantedAt;
  }

  async function advance(ms: number): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
  }

  test('grants at the budget rate, with at most a small burst', async () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 100, now: () => Date.now() });
    const start = Date.now();
    const grantedAt = acquireMany(limiter, 500);
    await advance(2_000);
    const inFirstSecond = grantedAt.filter((t) => t - start < 1_000).length;
    // 100/s plus the bucket (2 tokens at this rate) and the first token.
    expect(inFirstSecond).toBeGreaterThanOrEqual(95);
    expect(inFirstSecond).toBeLessThanOrEqual(103);
    // Any 100 ms window holds at most 10 + burst.
    for (let i = 0; i + 13 < grantedAt.length; i++) expect(grantedAt[i + 13] - grantedAt[i]).toBeGreaterThanOrEqual(100);
  });

  test('a throttle cuts the rate, repeated throttles of one episode cut once, successes recover up to the budget', () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 100, now: () => Date.now() });
    limiter.onThrottle();
    expect(limiter.currentRate).toBeCloseTo(70);
    limiter.onThrottle();
    expect(limiter.currentRate).toBeCloseTo(70);
    jest.setSystemTime(Date.now() + 1_000);
    limiter.onThrottle();
    expect(limiter.currentRate).toBeCloseTo(49);
    for (let i = 0; i < 40; i++) limiter.onSuccess(5);
    expect(limiter.currentRate).toBeCloseTo(69);
    for (let i = 0; i < 1_000; i++) limiter.onSuccess(5);
    expect(limiter.currentRate).toBe(100);
  });

  test('a pace headroom below 1 (a bucket slower than the budget at the budget) is refused', () => {
    expect(() => new AdaptiveRateLimiter({ ratePerSecond: 100, paceHeadroom: 0.9 })).toThrow(/paceHeadroom must be a finite number >= 1, got 0.9/);
    expect(() => new AdaptiveRateLimiter({ ratePerSecond: 100, paceHeadroom: Infinity })).toThrow(/paceHeadroom/);
  });

  test('never drops below its floor', () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 100, floorShare: 0.1, now: () => Date.now() });
    for (let i = 0; i < 50; i++) {
      jest.setSystemTime(Date.now() + 10_000);
      limiter.onThrottle();
    }
    expect(limiter.currentRate).toBeCloseTo(10);
  });

  test('a slower rate spaces grants further apart', async () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 100, now: () => Date.now() });
    limiter.onThrottle(); // 70/s
    const start = Date.now();
    const grantedAt = acquireMany(limiter, 300);
    await advance(1_000);
    const inSecond = grantedAt.filter((t) => t - start < 1_000).length;
    expect(inSecond).toBeLessThanOrEqual(74);
    expect(inSecond).toBeGreaterThanOrEqual(60);
  });

  test('aborting rejects waiting and later acquisitions', async () => {
    const controller = new AbortController();
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 1, signal: controller.signal, now: () => Date.now() });
    await limiter.acquire();
    const waiting = limiter.acquire();
    expect(limiter.waiting).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(SweepStoppedError);
    await expect(limiter.acquire()).rejects.toBeInstanceOf(SweepStoppedError);
  });
});
