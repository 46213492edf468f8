/**
 * The margin a limiter adds to its 1-second window, from the jitter the client observes. Cognito
 * counts a call when it arrives, and the limiter only knows when it granted it: two grants spaced
 * exactly 1 s + guard apart can arrive less than 1 s apart when the first one's trip was slower by
 * more than the guard. A fixed guard is either too small for a loaded machine or a slow link, or a
 * waste of budget on a fast steady one (100 ms of every second: 9%). So the guard follows the
 * spread of the round trips the limiter sees: a round trip holds the outbound trip, the answer's
 * trip and both sides' scheduling delays, so its spread above its minimum bounds the outbound
 * trip's spread in practice (a stall that delays a request usually delays answers too).
 */
import { WINDOW_GUARD_MS } from './sliding-window';

/** Tuning of a JitterGuard. */
export interface JitterGuardOptions {
  /**
   * The least guard, ms: covers what round trips do not show (the time between a grant and the
   * request leaving, a timer's ms rounding). @default 5
   */
  readonly floorMs?: number;
  /** The largest guard, ms: at most this share of the rate is given up to jitter. @default 250 */
  readonly ceilingMs?: number;
  /** The guard until `updateEvery` round trips were seen: nothing is known of the link yet. @default 100 */
  readonly initialMs?: number;
  /** Round trips remembered (the most recent ones). @default 256 */
  readonly samples?: number;
  /**
   * Which quantile of those round trips, above their minimum, is the observed jitter. One stall
   * of the client's event loop delays only the few calls in flight then, and one call too many is
   * enough to overfill a second, so the default is the largest. @default 1
   */
  readonly quantile?: number;
  /** Round trips between two estimates (each sorts the remembered ones). @default 16 */
  readonly updateEvery?: number;
  /**
   * An estimate that is lower than the guard lowers it only by half per this many ms of the
   * limiter's clock: stalls come and go, and at a high rate the remembered round trips span well
   * under a second, so a quiet second must not erase what the last stall taught. @default 5000
   */
  readonly holdHalfLifeMs?: number;
}

/**
 * The observed window guard: `clamp(max(q-quantile(round trips) - min(round trips), decayed
 * previous guard), floor, ceiling)` over the last `samples` round trips (q = 1: the largest),
 * re-estimated every `updateEvery` of them. Deterministic: it depends only on the round trips and the clock times
 * it is given.
 */
export class JitterGuard {
  private readonly ring: Float64Array;
  private observed = 0;
  private guard: number;
  private estimatedAt: number | undefined;
  private readonly floorMs: number;
  private readonly ceilingMs: number;
  private readonly quantile: number;
  private readonly updateEvery: number;
  private readonly halfLifeMs: number;

  constructor(options: JitterGuardOptions = {}) {
    this.floorMs = options.floorMs ?? 5;
    this.ceilingMs = options.ceilingMs ?? 250;
    if (!(this.floorMs >= 0 && this.ceilingMs >= this.floorMs && Number.isFinite(this.ceilingMs))) {
      throw new Error(`A jitter guard needs 0 <= floorMs <= ceilingMs < Infinity, got ${this.floorMs} and ${this.ceilingMs}`);
    }
    const samples = options.samples ?? 256;
    this.updateEvery = options.updateEvery ?? 16;
    if (!(Number.isInteger(samples) && Number.isInteger(this.updateEvery) && this.updateEvery >= 1 && samples >= this.updateEvery)) {
      throw new Error(`A jitter guard needs integer samples >= updateEvery >= 1, got ${samples} and ${this.updateEvery}`);
    }
    this.quantile = options.quantile ?? 1;
    if (!(this.quantile > 0 && this.quantile <= 1)) throw new Error(`A jitter guard's quantile must be in (0, 1], got ${this.quantile}`);
    this.halfLifeMs = options.holdHalfLifeMs ?? 5000;
    this.ring = new Float64Array(samples);
    this.guard = this.clamp(options.initialMs ?? WINDOW_GUARD_MS);
  }

  /** The guard to add to a 1-second window now, ms. */
  get ms(): number {
    return this.guard;
  }

  /** The largest guard this can ever return, ms (how long a window must remember starts). */
  get maxMs(): number {
    return this.ceilingMs;
  }

  /** A call's round trip (`latencyMs`) ended at `nowMs` on the limiter's clock. */
  observe(latencyMs: number, nowMs: number): void {
    // A clock step or a bogus measurement must not poison the estimate.
    if (!(latencyMs >= 0 && Number.isFinite(latencyMs))) return;
    this.ring[this.observed % this.ring.length] = latencyMs;
    this.observed++;
    if (this.observed % this.updateEvery === 0) this.estimate(nowMs);
  }

  private estimate(nowMs: number): void {
    const n = Math.min(this.observed, this.ring.length);
    const sorted = this.ring.slice(0, n).sort();
    const spread = sorted[Math.max(0, Math.ceil(this.quantile * n) - 1)] - sorted[0];
    // The first estimate replaces the initial guard outright: that one was a guess, not an observation.
    const held = this.estimatedAt === undefined ? 0 : this.guard * Math.pow(0.5, Math.max(0, nowMs - this.estimatedAt) / this.halfLifeMs);
    this.guard = this.clamp(Math.max(spread, held));
    this.estimatedAt = nowMs;
  }

  private clamp(ms: number): number {
    return Math.min(this.ceilingMs, Math.max(this.floorMs, ms));
  }
}
