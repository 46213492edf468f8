/**
 * A deadline clock (SweepOptions.deadlineClock) that moves with the work done, not with the
 * machine: `msPerCall` per call the simulator has answered. A slice's soft stop, hard stop and end
 * then fall after the same amount of work on a fast or a slow machine. (Answers, not call starts:
 * a clock moved by grants lets the reads of queued users run a short slice out while the first
 * answers are still on their way, and no user finishes.)
 */
import type { CognitoSimulator } from '../sim';

/** Where work clocks start, epoch ms. */
const START_MS = Date.parse('2026-01-01T00:00:00Z');

export class WorkClock {
  private readonly base: number;

  /**
   * @param sim the simulator whose answers (successes, throttles and errors) move the clock
   * @param msPerCall how far one answer moves it
   */
  constructor(private readonly sim: CognitoSimulator, readonly msPerCall = 10) {
    this.base = this.answered();
  }

  /** Pass as `deadlineClock`: epoch ms. */
  readonly now = (): number => START_MS + (this.answered() - this.base) * this.msPerCall;

  /** Calls answered since the clock was made. */
  get calls(): number {
    return this.answered() - this.base;
  }

  private answered(): number {
    const t = this.sim.stats.totals;
    return t.succeeded + t.throttled + t.errors;
  }
}
