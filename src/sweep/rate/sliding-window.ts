/**
 * A hard cap on call starts: at most `limit` in any window of `windowMs`, kept as a ring of the
 * last `limit` start times. A token bucket paces calls evenly but lets its burst and timer
 * lateness add up to more than the budget within one second; this window cannot.
 */
export class SlidingWindow {
  private readonly starts: Float64Array;
  private oldest = 0;

  /**
   * @param limit starts allowed in any window (at least 1)
   * @param windowMs the window's length, in the clock's ms
   */
  constructor(readonly limit: number, readonly windowMs: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new Error(`A sliding window needs a limit of at least 1, got ${limit}`);
    if (!(windowMs > 0)) throw new Error(`A sliding window needs a positive length, got ${windowMs}`);
    this.starts = new Float64Array(limit).fill(Number.NEGATIVE_INFINITY);
  }

  /** Ms from `now` until one more start fits (0: it fits now). */
  waitMs(now: number): number {
    return Math.max(0, this.starts[this.oldest] + this.windowMs - now);
  }

  /** Records a start at `now` (call only when `waitMs(now)` is 0). */
  record(now: number): void {
    this.starts[this.oldest] = now;
    this.oldest = (this.oldest + 1) % this.limit;
  }
}

/**
 * Margin added to every 1-second window, in ms: a call is counted by Cognito when it arrives, and
 * two calls' trips differ by a few ms of scheduling and network jitter, so starts spaced exactly
 * one second apart could arrive less than one second apart (measured: up to about 100 ms on a loaded
 * 2-core machine, client and simulator sharing one event loop).
 */
export const WINDOW_GUARD_MS = 100;

/** A window for `ratePerSecond` that no second of arrivals can exceed: floor(rate) starts per (1 s + guard). */
export function perSecondWindow(ratePerSecond: number): SlidingWindow {
  return new SlidingWindow(Math.max(1, Math.floor(ratePerSecond)), 1000 + WINDOW_GUARD_MS);
}
