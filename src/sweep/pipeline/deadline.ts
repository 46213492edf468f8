/**
 * A sweep's deadline, in two steps: the soft stop (no new work; users in flight finish) and, closer
 * to the deadline, the hard stop (calls still waiting for a token are cancelled), so the call
 * returns before the deadline.
 */

/**
 * New work stops this share of the remaining time before the deadline (at most the cap), so the
 * users in flight can finish; the call returns as soon as they have, so a generous share costs
 * only a few more slices.
 */
const SOFT_STOP_SHARE = 0.25;
const SOFT_STOP_MAX_MS = 60_000;
/** Calls still waiting for a token are cancelled this share before the deadline (at most the cap); calls in flight finish. */
const HARD_STOP_SHARE = 0.05;
const HARD_STOP_MAX_MS = 2_000;
/** setTimeout's longest delay; later deadlines are simply not armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** An armed deadline. */
export interface DeadlineWatch {
  /** Reads the clock and stops if a step is due (only with an injected clock; timers do it otherwise). */
  check(): void;
  /** Disarms it. */
  dispose(): void;
}

/**
 * Arms the two stops of `deadline` (epoch ms). On the wall clock, timers fire them. With an
 * injected `clock` (tests: one that advances with the work done), no timer runs: each `check()`
 * reads the clock, so where a slice ends depends on the work done, never on the machine's speed.
 */
export function armDeadline(deadline: number | undefined, onStop: (hard: boolean) => void, clock?: () => number): DeadlineWatch {
  if (deadline === undefined) return { check: () => {}, dispose: () => {} };
  const remaining = deadline - (clock ?? Date.now)();
  const margin = (share: number, maxMs: number): number => Math.min(maxMs, Math.max(0, remaining * share));
  const stops = [
    { hard: false, stopAt: deadline - margin(SOFT_STOP_SHARE, SOFT_STOP_MAX_MS) },
    { hard: true, stopAt: deadline - margin(HARD_STOP_SHARE, HARD_STOP_MAX_MS) },
  ];
  if (clock) {
    const pending = [...stops];
    const check = (): void => {
      const now = clock();
      while (pending.length > 0 && pending[0].stopAt <= now) onStop(pending.shift()!.hard);
    };
    check();
    return { check, dispose: () => pending.splice(0) };
  }
  const timers: NodeJS.Timeout[] = [];
  for (const { hard, stopAt } of stops) {
    const stopIn = stopAt - deadline + remaining;
    if (stopIn <= 0) onStop(hard);
    else if (stopIn <= MAX_TIMER_MS) timers.push(setTimeout(() => onStop(hard), stopIn));
  }
  return { check: () => {}, dispose: () => timers.forEach((t) => clearTimeout(t)) };
}
