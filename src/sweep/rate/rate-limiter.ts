/**
 * One quota category's request pacing in one Region: a token bucket whose rate adapts AIMD-style.
 * A throttle (the application's own traffic is using the quota too) cuts the rate multiplicatively;
 * each success adds back a small share of the budget, so the rate climbs slowly toward it and
 * never above it. An ArrivalWindow caps the calls (first attempts and retries alike, since Cognito
 * counts both) that can arrive at Cognito in any second at the budget, whatever the bucket's burst
 * and timer lateness: a call counts until 1 s after its answer, or after it was sent plus a guard
 * that follows the jitter of the round trips it is told of (JitterGuard), whichever is sooner.
 * At the budget the window is the cap and the bucket only spaces the calls (PACE_HEADROOM).
 */
import { onAbort } from '../calls/abort-fanout';
import { SweepStoppedError } from '../errors';
import { ArrivalWindow } from './arrival-window';
import { JitterGuard, JitterGuardOptions } from './jitter-guard';
import { WaitingQueue } from './waiting-queue';

/** Tuning of a limiter; the defaults suit every rate because they are expressed per request. */
export interface RateLimiterOptions {
  /** The budget: requests/s the limiter never exceeds, in any window of one second. */
  readonly ratePerSecond: number;
  /**
   * Bucket capacity in seconds of budget (at least 2 tokens). It absorbs timer lateness so the
   * limiter reaches its rate; small enough to keep bursts negligible. @default 0.01
   */
  readonly burstSeconds?: number;
  /**
   * How much faster than the budget the bucket refills while the rate is at the budget. The window
   * caps the calls at the budget then; the bucket only spaces them, so a slot the window frees
   * finds a token instead of waiting for one. Below the budget the bucket is the rate. @default 1.1
   */
  readonly paceHeadroom?: number;
  /** Rate multiplier on a throttle. @default 0.7 */
  readonly decreaseFactor?: number;
  /** Share of the budget added back per successful call. @default 0.005 (about 100 calls from half to full rate) */
  readonly increaseShare?: number;
  /** The rate never drops below this share of the budget. @default 0.05 */
  readonly floorShare?: number;
  /** Aborting rejects waiting and future acquisitions with SweepStoppedError. @default never */
  readonly signal?: AbortSignal;
  /**
   * A fixed guard, ms: how late after it was sent an unanswered call may arrive, instead of the
   * guard observed from round trips (`jitterGuard`). @default observed
   */
  readonly windowGuardMs?: number;
  /** Tuning of the observed window guard (ignored with `windowGuardMs`). @default JitterGuard's defaults */
  readonly jitterGuard?: JitterGuardOptions;
  /** Clock in ms. @default performance.now */
  readonly now?: () => number;
  /**
   * Observes every grant, with its time on this limiter's clock (the time its window recorded):
   * what tests check the budget against, whatever the machine's speed. @default none
   */
  readonly onGrant?: (atMs: number) => void;
}

/** A waiting acquisition. */
interface Waiter {
  readonly resolve: (grant: number) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Requests after a cut before another cut (or two round trips, if longer): the throttles of one
 * congestion episode cut once, yet a busy application (whose calls the sweeper cannot see) is
 * yielded to within a few round trips. 10 took the app-load bench to 1.7-2.1 points at 90% load.
 */
const CUT_SPACING_REQUESTS = 3;
/**
 * At the budget, two limits that each allow exactly the budget waste what the other holds back:
 * the bucket drops the tokens it cannot keep while the window is full, and a slot the window frees
 * waits for the next token. The window alone keeps arrivals within the budget, so there the bucket
 * refills 10% faster and only spaces the calls (bursts stay at its small capacity). Measured with
 * `BENCH_ONLY=sweep npm run bench`, runs alternated on one machine: boundRatio 0.964 and 0.969 at 1.0, 0.978 and 0.980 at 1.1.
 */
const PACE_HEADROOM = 1.1;

export class AdaptiveRateLimiter {
  /** The rate never exceeds this (requests/s). */
  readonly budget: number;
  private rate: number;
  private tokens = 1;
  private refilledAt: number;
  private lastCutAt = Number.NEGATIVE_INFINITY;
  /** The most the rate may recover to: the budget, or less while others use the quota (UsageFollower). */
  private ceiling: number;
  private grants = 0;
  private latencyMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly waiters = new WaitingQueue<Waiter>();
  private readonly window: ArrivalWindow;
  /** Undefined with a fixed `windowGuardMs`. */
  private readonly guard: JitterGuard | undefined;
  private readonly capacitySeconds: number;
  private readonly paceHeadroom: number;
  private readonly decreaseFactor: number;
  private readonly increaseShare: number;
  private readonly floor: number;
  private readonly now: () => number;
  private readonly signal: AbortSignal | undefined;
  private readonly unsubscribe: () => void;
  private readonly onGrant: ((atMs: number) => void) | undefined;

  constructor(options: RateLimiterOptions) {
    if (!(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) {
      throw new Error(`A rate limiter needs a positive finite rate, got ${options.ratePerSecond}`);
    }
    this.budget = options.ratePerSecond;
    this.rate = this.budget;
    this.ceiling = this.budget;
    this.capacitySeconds = options.burstSeconds ?? 0.01;
    this.paceHeadroom = options.paceHeadroom ?? PACE_HEADROOM;
    if (!(this.paceHeadroom >= 1 && Number.isFinite(this.paceHeadroom))) {
      throw new Error(`A rate limiter's paceHeadroom must be a finite number >= 1, got ${this.paceHeadroom}`);
    }
    this.decreaseFactor = options.decreaseFactor ?? 0.7;
    this.increaseShare = options.increaseShare ?? 0.005;
    this.floor = this.budget * (options.floorShare ?? 0.05);
    this.now = options.now ?? (() => performance.now());
    this.refilledAt = this.now();
    const limit = Math.max(1, Math.floor(this.budget));
    if (options.windowGuardMs !== undefined) {
      this.window = new ArrivalWindow(limit, options.windowGuardMs);
    } else {
      this.guard = new JitterGuard(options.jitterGuard);
      this.window = new ArrivalWindow(limit, this.guard.ms, this.guard.maxMs);
    }
    this.signal = options.signal;
    this.onGrant = options.onGrant;
    this.unsubscribe = this.signal ? onAbort(this.signal, () => this.rejectAll()) : () => {};
  }

  /** The rate currently applied (requests/s). */
  get currentRate(): number {
    return this.rate;
  }

  /** Requests granted so far (first attempts and retries). */
  get granted(): number {
    return this.grants;
  }

  /** How late after it was sent an unanswered call is assumed to arrive, ms (observed from round trips, or fixed). */
  get windowGuardMs(): number {
    return this.window.guardMs;
  }

  /** Requests waiting for a token. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Resolves when one request may be sent, with the grant's id for `answered`; waiting requests
   * are served lowest `priority` first. Rejects with SweepStoppedError once the signal is aborted.
   */
  acquire(priority = 0): Promise<number> {
    if (this.signal?.aborted) return Promise.reject(new SweepStoppedError());
    this.refill();
    if (this.waiters.length === 0 && this.tokens >= 1 && this.window.waitMs(this.refilledAt) === 0) {
      return Promise.resolve(this.take());
    }
    return new Promise<number>((resolve, reject) => {
      this.waiters.push({ resolve, reject }, priority);
      this.schedule();
    });
  }

  /**
   * The call of `grant` is being sent now: from here on its outbound trip is what the guard covers.
   * Telling it is optional; an untold call is taken to leave at its grant.
   */
  sent(grant: number): void {
    this.window.sent(grant, this.now());
  }

  /**
   * The call of `grant` got an answer from Cognito (a result or an error response, not a network
   * failure): it has arrived, so it stops counting against the budget 1 s from now at the latest.
   * Telling it is optional; an unanswered call counts until 1 s after it was sent plus the guard.
   */
  answered(grant: number): void {
    this.window.answered(grant, this.now());
  }

  /** A call of this category was throttled: slow down (at most once per congestion episode). */
  onThrottle(): void {
    const t = this.now();
    // One episode hits every request in flight; cut again only after those and a few more went out.
    const spacingMs = Math.max((CUT_SPACING_REQUESTS / this.rate) * 1000, 2 * this.latencyMs);
    if (t - this.lastCutAt < spacingMs) return;
    this.lastCutAt = t;
    this.refill();
    this.rate = Math.max(this.floor, this.rate * this.decreaseFactor);
  }

  /**
   * A call of this category succeeded after a round trip of `latencyMs` (from just before it was
   * sent to its answer): recover a little toward the budget, and let the round trip's jitter set
   * the window guard.
   */
  onSuccess(latencyMs?: number): void {
    if (latencyMs !== undefined) {
      this.latencyMs = this.latencyMs === 0 ? latencyMs : this.latencyMs * 0.9 + latencyMs * 0.1;
      if (this.guard) {
        this.guard.observe(latencyMs, this.now());
        this.window.resize(this.guard.ms);
      }
    }
    if (this.rate < this.ceiling) {
      this.refill();
      this.rate = Math.min(this.ceiling, this.rate + this.budget * this.increaseShare);
    }
  }

  /** Caps the rate at `ratePerSecond` (within [floor, budget]) until the next call: what other callers leave of the quota. */
  setCeiling(ratePerSecond: number): void {
    this.refill();
    this.ceiling = Math.min(this.budget, Math.max(this.floor, ratePerSecond));
    this.rate = Math.min(this.rate, this.ceiling);
  }

  /** Stops watching the signal: call it once nothing acquires any more (the signal outlives the limiter). */
  close(): void {
    this.unsubscribe();
  }

  /** Tokens per second: the rate, or a little more at the budget, where the window caps (PACE_HEADROOM). */
  private paceRate(): number {
    return this.rate >= this.budget ? this.budget * this.paceHeadroom : this.rate;
  }

  private capacity(): number {
    return Math.max(2, this.paceRate() * this.capacitySeconds);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity(), this.tokens + ((t - this.refilledAt) / 1000) * this.paceRate());
    this.refilledAt = t;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.waiters.length === 0) return;
    const waitMs = Math.max(0, ((1 - this.tokens) / this.paceRate()) * 1000, this.window.waitMs(this.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.ceil(waitMs));
  }

  private pump(): void {
    this.refill();
    while (this.waiters.length > 0 && this.tokens >= 1 && this.window.waitMs(this.refilledAt) === 0) {
      const grant = this.take();
      this.waiters.shift()!.resolve(grant);
    }
    this.schedule();
  }

  /** Spends a token and records the grant (at the time of the last refill, i.e. now); returns its id. */
  private take(): number {
    this.tokens -= 1;
    this.grants++;
    const grant = this.window.record(this.refilledAt);
    this.onGrant?.(this.refilledAt);
    return grant;
  }

  private rejectAll(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters.drain()) waiter.reject(new SweepStoppedError());
  }
}
