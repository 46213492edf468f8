/**
 * A category limiter's hard cap on arrivals at Cognito: at most `limit` calls in any second of
 * arrivals. Cognito counts a call when it arrives, which the client never sees; it only knows
 * bounds for each call it granted:
 * - the call arrives after its grant (so a new grant arrives after now);
 * - it arrived before its answer came back (causality);
 * - it arrives within `guardMs` of leaving the client (the spread of the outbound trip, which
 *   JitterGuard estimates from round trips). A call leaves when it is sent, which can be well after
 *   its grant when the client's event loop stalls in between; until it is told, the grant time stands.
 *
 * So a granted call counts against the window until `min(answeredAt, sentAt + guardMs) + 1 s`;
 * a new grant fits while fewer than `limit` calls count. On a fast link most calls are answered
 * well inside the guard, and the window gives up their round trip, not the guard: what a window
 * of `1 s + guard` would waste of every second shrinks to the few ms a call takes.
 */

/**
 * How long after its grant a call may still be sent and be counted: a call not sent by then
 * (never sent, its pool stopped; or behind a stall of over a second) is forgotten.
 */
export const MAX_SEND_DELAY_MS = 1000;

export class ArrivalWindow {
  /** Grant times, oldest first from `head` on (non-decreasing: the limiter's clock is monotonic). */
  private starts: number[] = [];
  /** When each grant's call was sent (its grant time until told), same index as `starts`. */
  private sends: number[] = [];
  /** When each grant's call was answered, or Infinity while it is not (same index as `starts`). */
  private answers: number[] = [];
  private head = 0;
  /** The id of `starts[0]`: ids are grant sequence numbers, so an answer finds its grant in O(1). */
  private firstId = 0;
  private guard: number;
  /** The latest send after its grant told so far (at most MAX_SEND_DELAY_MS): how far back a grant may still count. */
  private lateMs = 0;
  private readonly expiry: number[] = [];

  /**
   * @param limit calls allowed in any second of arrivals (at least 1)
   * @param guardMs how late after it was sent an unanswered call may still arrive, ms
   * @param maxGuardMs the largest guard it may be resized to: grants are remembered long enough for it
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

  /** Records a grant at `now` (call only when `waitMs(now)` is 0) and returns its id, for `sent` and `answered`. */
  record(now: number): number {
    this.starts.push(now);
    this.sends.push(now);
    this.answers.push(Number.POSITIVE_INFINITY);
    return this.firstId + this.starts.length - 1;
  }

  /** The call of grant `id` left the client at `now`. An id already forgotten changes nothing. */
  sent(id: number, now: number): void {
    const i = this.indexOf(id);
    if (i !== undefined && now > this.sends[i]) {
      this.sends[i] = now;
      this.lateMs = Math.max(this.lateMs, Math.min(now - this.starts[i], MAX_SEND_DELAY_MS));
    }
  }

  /**
   * The call of grant `id` was answered at `now` (any HTTP response: it has reached Cognito). An
   * id already forgotten, or answered before, changes nothing.
   */
  answered(id: number, now: number): void {
    const i = this.indexOf(id);
    if (i !== undefined && now < this.answers[i]) this.answers[i] = now;
  }

  /** Ms from `now` until one more grant fits (0: it fits now). */
  waitMs(now: number): number {
    this.forgetBefore(now - this.secondMs - this.maxGuardMs - MAX_SEND_DELAY_MS);
    // Grants of the last second count whatever their answers: each arrived after its grant.
    const recentFrom = this.firstAfter(now - this.secondMs);
    // Older grants (sent at most `lateMs` after their grant) count until their latest possible arrival + 1 s.
    const olderFrom = this.firstAfter(now - this.secondMs - this.guard - this.lateMs);
    let counted = this.starts.length - recentFrom;
    if (counted + (recentFrom - olderFrom) < this.limit) return 0;
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
    return Math.min(this.answers[i], this.sends[i] + this.guard) + this.secondMs;
  }

  private indexOf(id: number): number | undefined {
    const i = id - this.firstId;
    return i >= this.head && i < this.starts.length ? i : undefined;
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

  /** Drops grants at or before `cutoff`: no guard or late send can make them count any more. */
  private forgetBefore(cutoff: number): void {
    while (this.head < this.starts.length && this.starts[this.head] <= cutoff) this.head++;
    if (this.head > 64 && this.head * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.head);
      this.sends = this.sends.slice(this.head);
      this.answers = this.answers.slice(this.head);
      this.firstId += this.head;
      this.head = 0;
    }
  }
}
