import { AdaptiveRateLimiter } from '../../src/sweep/rate/rate-limiter';
import { SlidingWindow } from '../../src/sweep/rate/sliding-window';
import { maxInWindow } from '../sim/stats';

describe('SlidingWindow', () => {
  test('allows `limit` starts per window, then waits for the oldest to leave it', () => {
    const w = new SlidingWindow(3, 1000);
    for (const t of [0, 10, 20]) {
      expect(w.waitMs(t)).toBe(0);
      w.record(t);
    }
    expect(w.waitMs(30)).toBe(970);
    expect(w.waitMs(1000)).toBe(0);
    w.record(1000);
    expect(w.waitMs(1000)).toBe(10);
  });

  test.each([0, 1.5])('rejects a limit of %p', (limit) => {
    expect(() => new SlidingWindow(limit, 1000)).toThrow(/limit of at least 1/);
  });
});

describe('AdaptiveRateLimiter peak', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Grant times of `n` acquisitions over `ms` of fake time. */
  async function grants(ratePerSecond: number, n: number, ms: number): Promise<number[]> {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond, now: () => Date.now() });
    const grantedAt: number[] = [];
    for (let i = 0; i < n; i++) void limiter.acquire().then(() => grantedAt.push(Date.now()));
    await jest.advanceTimersByTimeAsync(ms);
    return grantedAt;
  }

  // Before the window, the bucket's first token plus its refill let 13 through in the first second at 12.5/s.
  test.each([1, 12.5, 25, 250])('no second holds more grants than a budget of %p/s', async (rate) => {
    const grantedAt = await grants(rate, Math.ceil(rate * 4), 4_000);
    expect(grantedAt.length).toBeGreaterThanOrEqual(Math.floor(rate) * 3);
    expect(maxInWindow(grantedAt, 1000)).toBeLessThanOrEqual(Math.floor(rate));
  });

  test('a lost and regained rate still never bursts over the budget', async () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 25, now: () => Date.now() });
    limiter.onThrottle();
    for (let i = 0; i < 1_000; i++) limiter.onSuccess(5);
    const grantedAt: number[] = [];
    for (let i = 0; i < 100; i++) void limiter.acquire().then(() => grantedAt.push(Date.now()));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(maxInWindow(grantedAt, 1000)).toBeLessThanOrEqual(25);
  });
});
