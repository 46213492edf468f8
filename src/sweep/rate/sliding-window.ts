/**
 * A hard cap on call starts: at most `limit` in any window of `windowMs`. A token bucket paces calls
 * evenly but lets its burst and timer lateness add up to more than the budget within one second;
 * this window cannot. It keeps only the starts still inside the longest window it may be resized to
 * (at most `limit`), so a high limit costs nothing until it is used: a sweep makes two per-user
 * windows per user it visits.
 */
export class SlidingWindow {
  /** Start times still in the window, oldest first, from `head` on. */
  private starts: number[] = [];
  private head = 0;
  private length: number;

  /**
   * @param limit starts allowed in any window (at least 1)
   * @param windowMs the window's length, in the clock's ms
   * @param maxWindowMs the longest the window may be resized to: starts are remembered that long
   */
  constructor(readonly limit: number, windowMs: number, readonly maxWindowMs = windowMs) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new Error(`A sliding window needs a limit of at least 1, got ${limit}`);
    if (!(windowMs > 0)) throw new Error(`A sliding window needs a positive length, got ${windowMs}`);
    if (!(maxWindowMs >= windowMs)) throw new Error(`A sliding window's longest length must be at least its length, got ${maxWindowMs} < ${windowMs}`);
    this.length = windowMs;
  }

  /** The window's length now, ms. */
  get windowMs(): number {
    return this.length;
  }

  /**
   * Changes the window's length (within (0, maxWindowMs]) for every later decision. The starts
   * already recorded count against the new length at once: a longer window can hold back a start
   * the shorter one allowed, never the reverse.
   */
  resize(windowMs: number): void {
    if (!(windowMs > 0 && windowMs <= this.maxWindowMs)) throw new Error(`A sliding window can be resized within (0, ${this.maxWindowMs}], got ${windowMs}`);
    this.length = windowMs;
  }

  /** Ms from `now` until one more start fits (0: it fits now). */
  waitMs(now: number): number {
    // Forgetting only what no window up to the longest can count keeps a later lengthening exact.
    this.forgetBefore(now - this.maxWindowMs);
    if (this.starts.length - this.head < this.limit) return 0;
    return Math.max(0, this.starts[this.head] + this.length - now);
  }

  /** Records a start at `now` (call only when `waitMs(now)` is 0). */
  record(now: number): void {
    this.starts.push(now);
    // Only the last `limit` starts can ever decide a wait.
    if (this.starts.length - this.head > this.limit) this.head++;
    this.compact();
  }

  /** Drops starts at or before `cutoff`: they no longer count against any window ending after it. */
  private forgetBefore(cutoff: number): void {
    while (this.head < this.starts.length && this.starts[this.head] <= cutoff) this.head++;
    this.compact();
  }

  private compact(): void {
    if (this.head > 64 && this.head * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * Fixed margin added to the per-user 1-second windows, in ms, and the category limiters' guard until
 * they have observed round trips (JitterGuard): a call is counted by Cognito when it arrives, and
 * two calls' trips differ by scheduling and network jitter, so starts spaced exactly one second
 * apart could arrive less than one second apart (measured: up to about 100 ms on a loaded 2-core
 * machine). Per-user windows are far from their budget in a sweep, so a fixed margin costs nothing there.
 */
export const WINDOW_GUARD_MS = 100;

/** A window for `ratePerSecond` that no second of arrivals can exceed: floor(rate) starts per (1 s + guard). */
export function perSecondWindow(ratePerSecond: number): SlidingWindow {
  return new SlidingWindow(Math.max(1, Math.floor(ratePerSecond)), 1000 + WINDOW_GUARD_MS);
}
