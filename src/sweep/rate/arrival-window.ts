/**
 * A category limiter's hard cap on arrivals at Cognito: at most `limit` calls in any second of
 * arrivals. Cognito counts a call when it arrives, which the client never sees; it only knows two
 * bounds for each call it granted:
 * - the call arrived after its grant (so a new grant arrives after now), and
 * - the call arrived before its answer came back (causality), or, while it is unanswered, within
 *   `guardMs` of its grant (the spread of the outbound trip, which JitterGuard estimates).
 *
 * So a granted call counts against the window until `min(answeredAt, grantedAt + guardMs) + 1 s`;
 * a new grant fits while fewer than `limit` calls count. On a fast link most calls are answered
 * well inside the guard, and the window gives up their round trip, not the guard: what a SlidingWindow
 * of `1 s + guard` would waste of every second shrinks to the few ms a call takes.
 */
export class ArrivalWindow {
  /** Grant times, oldest first from `head` on (non-decreasing: the limiter's clock is monotonic). */
  private starts: number[] = [];
  /** When each grant's call was answered, or Infinity while it is not (same index as `starts`). */
  private answers: number[] = [];
  private head = 0;
  /** The id of `starts[0]`: ids are grant sequence numbers, so an answer finds its grant in O(1). */
  private firstId = 0;
  private guard: number;
  private readonly expiry: number[] = [];

  /**
   * @param limit calls allowed in any second of arrivals (at least 1)
   * @param guardMs how late after its grant an unanswered call may still arrive, ms
   * @param maxGuardMs the largest guard it may be resized to: grants are remembered that long
   * @param secondMs the window's length, ms (a test may shorten it) @default 1000
   */
  constructor(readonly limit: number, guardMs: number, readonly maxGuardMs = guardMs, private readonly secondMs = 1000) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new Error(`An arrival window needs a limit of at least 1, got ${limit}`);
    if (!(guardMs >= 0 && maxGuardMs >= guardMs && Number.isFinite(maxGuardMs))) {
      throw new Error(`An arrival window needs 0 <= guardMs <= maxGuardMs < Infinity, got ${guardMs} and ${maxGuardMs}`);
    }
    this.guard = guardMs;
  }

  /** The guard now, ms. */
  get guardMs(): number {
    return this.guard;
  }

  /** Changes the guard (within [0, maxGuardMs]) for every later decision, recorded grants included. */
  resize(guardMs: number): void {
    if (!(guardMs >= 0 && guardMs <= this.maxGuardMs)) throw new Error(`An arrival window's guard can be resized within [0, ${this.maxGuardMs}], got ${guardMs}`);
    this.guard = guardMs;
  }

  /** Records a grant at `now` (call only when `waitMs(now)` is 0) and returns its id, for `answered`. */
  record(now: number): number {
    this.starts.push(now);
    this.answers.push(Number.POSITIVE_INFINITY);
    return this.firstId + this.starts.length - 1;
  }

  /**
   * The call of grant `id` was answered at `now` (any HTTP response: it has reached Cognito). An
   * id already forgotten, or answered before, changes nothing.
   */
  answered(id: number, now: number): void {
    const i = id - this.firstId;
    if (i >= this.head && i < this.starts.length && now < this.answers[i]) this.answers[i] = now;
  }

  /** Ms from `now` until one more grant fits (0: it fits now). */
  waitMs(now: number): number {
    // A grant counts at most until grantedAt + guard + 1 s; the guard may grow back to its maximum.
    this.forgetBefore(now - this.secondMs - this.maxGuardMs);
    // Grants of the last second count whatever their answers: each arrived after its grant.
    const recentFrom = this.firstAfter(now - this.secondMs);
    const olderFrom = this.firstAfter(now - this.secondMs - this.guard);
    let counted = this.starts.length - recentFrom;
    if (counted + (recentFrom - olderFrom) < this.limit) return 0;
    // Older grants (at most `guard` older) count until their latest possible arrival + 1 s.
    const expiry = this.expiry;
    expiry.length = 0;
    for (let i = olderFrom; i < recentFrom; i++) {
      const until = this.until(i);
      if (until > now) expiry.push(until);
    }
    counted += expiry.length;
    if (counted < this.limit) return 0;
    // Wait until `counted - limit + 1` of them stop counting. Recent grants stop counting no sooner
    // than 1 s after their grant, in grant order, so only the first few can be among them.
    const needed = counted - this.limit + 1;
    for (let i = recentFrom; i < this.starts.length; i++) {
      if (expiry.length >= needed) {
        expiry.sort((a, b) => a - b);
        if (this.starts[i] + this.secondMs >= expiry[needed - 1]) break;
      }
      expiry.push(this.until(i));
    }
    expiry.sort((a, b) => a - b);
    return Math.max(0, expiry[needed - 1] - now);
  }

  /** The latest time grant `i` may still count: its latest possible arrival + 1 s. */
  private until(i: number): number {
    return Math.min(this.answers[i], this.starts[i] + this.guard) + this.secondMs;
  }

  /** Index of the first grant after `t` (starts are sorted). */
  private firstAfter(t: number): number {
    let lo = this.head;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.starts[mid] > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Drops grants at or before `cutoff`: no guard can make them count any more. */
  private forgetBefore(cutoff: number): void {
    while (this.head < this.starts.length && this.starts[this.head] <= cutoff) this.head++;
    if (this.head > 64 && this.head * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.head);
      this.answers = this.answers.slice(this.head);
      this.firstId += this.head;
      this.head = 0;
    }
  }
}
