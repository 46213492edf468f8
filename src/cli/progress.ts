import { SingleBar } from 'cli-progress';
import { formatCount, formatElapsed, totalOf } from './report';
import type { PoolReport } from '../sweep/types';

/** What the engine reports through onProgress: counters so far. */
export interface ProgressSnapshot {
  readonly pools: readonly PoolReport[];
  readonly throttled: number;
}

/** Shows a running sweep on stderr. */
export interface ProgressReporter {
  /** Called on every engine progress event; implementations throttle their own output. */
  update(snapshot: ProgressSnapshot): void;
  /**
   * Called once at the end with the last counters; `completed` is false after a failure or a cap;
   * `counted` false when the run stopped with nothing counted (plain lines then add none).
   */
  finish(snapshot: ProgressSnapshot, completed: boolean, counted?: boolean): void;
}

/** Where plain progress lines go. */
export interface LineSink {
  write(text: string): unknown;
}

/** Options of plainProgress. */
export interface PlainProgressOptions {
  /** Least time between two lines. @default 5000 */
  readonly intervalMs?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

/**
 * One line every few seconds and one at the end: for logs and CI, where a redrawn bar would write
 * thousands of control sequences.
 */
export function plainProgress(sink: LineSink, options: PlainProgressOptions = {}): ProgressReporter {
  const intervalMs = options.intervalMs ?? 5000;
  const now = options.now ?? Date.now;
  const startedAt = now();
  let lastLineAt = startedAt;
  const writeLine = (snapshot: ProgressSnapshot, at: number) => {
    sink.write(`[${formatElapsed((at - startedAt) / 1000)}] ${describe(snapshot)}\n`);
    lastLineAt = at;
  };
  return {
    update(snapshot) {
      const at = now();
      if (at - lastLineAt >= intervalMs) {
        writeLine(snapshot, at);
      }
    },
    finish(snapshot, _completed, counted = true) {
      if (counted) writeLine(snapshot, now());
    },
  };
}

/** `users 1,200  devices 3,400  stale 800  forgotten 790  already gone 2  undated 5  errors 0  throttled 3` */
export function describe(snapshot: ProgressSnapshot): string {
  const total = totalOf(snapshot.pools);
  return [
    `users ${formatCount(total.usersScanned)}`,
    `devices ${formatCount(total.devicesScanned)}`,
    `stale ${formatCount(total.devicesStale)}`,
    `forgotten ${formatCount(total.devicesForgotten)}`,
    `already gone ${formatCount(total.devicesAlreadyGone)}`,
    `undated ${formatCount(total.devicesUndated)}`,
    `errors ${formatCount(total.errors)}`,
    `throttled ${formatCount(snapshot.throttled)}`,
  ].join('  ');
}

/**
 * A progress bar on a terminal. Cognito has no cheap exact user count, so the bar's total is the
 * pools' EstimatedNumberOfUsers when the caller could get it; without it the line shows counts only.
 */
export function barProgress(stream: NodeJS.WritableStream, estimatedUsers: number | undefined): ProgressReporter {
  const counts = 'stale {stale} | forgotten {forgotten} | errors {errors} | throttled {throttled}';
  const bar = new SingleBar({
    stream,
    format:
      estimatedUsers === undefined
        ? `users {users} | ${counts} | {duration_formatted}`
        : `{bar} {percentage}% | users {users}/~{estimate} | ${counts} | ETA {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 100,
  });
  // The total is only an estimate: grow it rather than show more than 100%.
  let total = estimatedUsers ?? 0;
  const payload = (sums: PoolReport, throttled: number) => ({
    users: formatCount(sums.usersScanned),
    stale: formatCount(sums.devicesStale),
    forgotten: formatCount(sums.devicesForgotten),
    errors: formatCount(sums.errors),
    throttled: formatCount(throttled),
    estimate: formatCount(total),
  });
  bar.start(total, 0, payload(totalOf([]), 0));
  const show = (snapshot: ProgressSnapshot, completed = false) => {
    const sums = totalOf(snapshot.pools);
    const users = sums.usersScanned;
    // Once every user was seen, the real total replaces the estimate, so the bar ends at 100%.
    if (estimatedUsers !== undefined && (users > total || completed)) {
      total = users;
      bar.setTotal(total);
    }
    bar.update(users, payload(sums, snapshot.throttled));
  };
  return {
    update: (snapshot) => show(snapshot),
    finish(snapshot, completed) {
      show(snapshot, completed);
      bar.stop();
    },
  };
}
