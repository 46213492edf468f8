/**
 * Cognito's per-user limits: besides the account quotas, each user may receive at most 10 reads
 * (AdminListDevices pages) and 10 writes (AdminForgetDevice) per second. A user with many stale
 * devices would hit that long before the category budget, and each throttle would slow the whole
 * category down; so each user's calls are paced by a window of their own.
 */
import { sleep } from '../calls/abort-fanout';
import { throwInputProblem } from '../errors';
import { perSecondWindow, SlidingWindow } from './sliding-window';
import { requestRateProblem } from '../input/rules';
import type { RateBudget } from '../types';

/**
 * Cognito's per-user reads and writes per second (the per-user quotas of "Quotas in Amazon Cognito":
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html).
 */
export const PER_USER_RATE = 10;

/**
 * One user's calls of one kind (reads or writes): spaced evenly at the per-user rate (Cognito's
 * per-user burst is not documented, so none is assumed), and never more than it in any second.
 */
export class UserPace {
  private readonly window: SlidingWindow;
  private readonly intervalMs: number;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(ratePerSecond: number, private readonly now: () => number = () => performance.now()) {
    this.window = perSecondWindow(ratePerSecond);
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Resolves when the user may start another call of this kind (at once if they may now, or on abort). */
  async ready(signal: AbortSignal): Promise<void> {
    for (let wait = this.waitMs(); wait > 0 && !signal.aborted; wait = this.waitMs()) await sleep(Math.ceil(wait), signal);
  }

  /** A call of this kind is being sent now. */
  record(): void {
    this.lastAt = this.now();
    this.window.record(this.lastAt);
  }

  private waitMs(): number {
    const now = this.now();
    return Math.max(this.window.waitMs(now), this.lastAt + this.intervalMs - now);
  }
}

/** The paces of one user. */
export interface UserPaces {
  readonly reads: UserPace;
  readonly writes: UserPace;
}

/** The per-user rate of a budget. Throws SweepInputError when it is not a positive number. */
export function resolvePerUserRate(budget?: RateBudget): number {
  const rate = budget?.perUserRatePerSecond ?? PER_USER_RATE;
  throwInputProblem(requestRateProblem('rateBudget.perUserRatePerSecond', rate));
  return rate;
}

