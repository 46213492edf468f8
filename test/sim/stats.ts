/**
 * Counters for assertions: per operation (calls, outcomes) and, per region and category, the
 * simulated time of every call that got past the token bucket, for rate checks.
 */
import { OPERATIONS } from './quotas';
import type { Category, Operation } from './types';

/** Counters of one operation. `calls` = `succeeded` + `throttled` + `errors`. */
export interface OperationStats {
  /** Requests received. */
  calls: number;
  /** Requests answered with HTTP 200. */
  succeeded: number;
  /** Requests answered TooManyRequestsException (bucket or injected). */
  throttled: number;
  /** Requests answered with any other error (not found, invalid parameter, injected 500, ...). */
  errors: number;
  /** Of `errors`: requests refused for access (denied by IAM, credentials refused; see `setAccess`). */
  refused: number;
}

function zero(): OperationStats {
  return { calls: 0, succeeded: 0, throttled: 0, errors: 0, refused: 0 };
}

export class SimulatorStats {
  /** Counters per operation; every operation is present (zeros until called). */
  readonly operations: Record<Operation, OperationStats> = {} as Record<Operation, OperationStats>;
  /** Admitted-call times in simulated ms (real ms x timeScale since start), by `${region}/${category}`. */
  private readonly admitted = new Map<string, number[]>();
  /** Arrival times (real ms since start, on the simulator's clock: the wall clock unless injected) of every call, throttled or not, by `${region}/${category}`. */
  private readonly arrived = new Map<string, number[]>();
  /** Calls answered TooManyRequestsException by a per-user bucket (Cognito's 10 reads / 10 writes per second per user). */
  perUserThrottled = 0;

  constructor() {
    this.reset();
  }

  /** Counters of one operation (zeros for an operation never called). */
  operation(name: Operation): OperationStats {
    return this.operations[name];
  }

  /** The sum of all operations' counters. */
  get totals(): OperationStats {
    const t = zero();
    for (const s of Object.values(this.operations)) {
      t.calls += s.calls;
      t.succeeded += s.succeeded;
      t.throttled += s.throttled;
      t.errors += s.errors;
      t.refused += s.refused;
    }
    return t;
  }

  /** Regions that have received calls. */
  get regions(): string[] {
    return [...new Set([...this.arrived.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))))];
  }

  /** Simulated times (ms, ascending) of the calls of `category` in `region` that passed the bucket. */
  admittedTimes(category: Category, region: string): readonly number[] {
    return this.admitted.get(`${region}/${category}`) ?? [];
  }

  /** Times (real ms of the simulator's clock, ascending) at which calls of `category` in `region` arrived, throttled or not. */
  arrivalTimes(category: Category, region: string): readonly number[] {
    return this.arrived.get(`${region}/${category}`) ?? [];
  }

  /** @internal */
  recordArrival(region: string, category: Category, realMs: number): void {
    const key = `${region}/${category}`;
    let times = this.arrived.get(key);
    if (!times) this.arrived.set(key, (times = []));
    times.push(realMs);
  }

  /** @internal */
  recordAdmitted(region: string, category: Category, simMs: number): void {
    const key = `${region}/${category}`;
    let times = this.admitted.get(key);
    if (!times) this.admitted.set(key, (times = []));
    times.push(simMs);
  }

  /** Clears every counter and time, in place (references to `operations` stay valid). */
  reset(): void {
    for (const op of OPERATIONS) this.operations[op] = zero();
    this.admitted.clear();
    this.arrived.clear();
    this.perUserThrottled = 0;
  }
}

/** The most entries of ascending `times` inside any window [t, t + windowMs). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
