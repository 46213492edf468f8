/** Per-pool counters: building them during a run and summing them across slices. */
import { addAgePicture, AgePicture, copyAgePicture, MutableAgePicture, zeroAgePicture } from './age-picture';
import type { PoolReport, PoolResult, PoolStop } from '../types';

/** The counters of PoolReport, mutable while a run fills them. */
export type Counters = { -readonly [K in Exclude<keyof PoolReport, 'userPoolId' | 'ages'>]: number } & { ages: MutableAgePicture };

/**
 * The counter names of PoolReport, in the order every report lists them (the CLI's JSON document,
 * table and CSV; DevicePurge's attributes). `zeroCounters` names each counter too, and a test checks
 * that the two agree, so a counter added to PoolReport cannot be left out of this list.
 */
export const POOL_COUNTER_NAMES = [
  'usersScanned', 'devicesScanned', 'devicesStale', 'devicesForgotten', 'devicesAlreadyGone', 'devicesUndated', 'errors',
  'usersSkippedByIndex',
] as const satisfies readonly Exclude<keyof Counters, 'ages'>[];

/** One counter name of PoolReport. */
export type PoolCounterName = (typeof POOL_COUNTER_NAMES)[number];

/** All counters at zero. */
export function zeroCounters(): Counters {
  return {
    usersScanned: 0,
    devicesScanned: 0,
    devicesStale: 0,
    devicesForgotten: 0,
    devicesAlreadyGone: 0,
    devicesUndated: 0,
    errors: 0,
    usersSkippedByIndex: 0,
    ages: zeroAgePicture(),
  };
}

/** Adds `b` into `a`. */
export function addCounters(a: Counters, b: Readonly<Omit<Counters, 'ages'>> & { readonly ages?: AgePicture }): void {
  for (const name of POOL_COUNTER_NAMES) a[name] += b[name];
  addAgePicture(a.ages, b.ages);
}

/** A report of `userPoolId` with a copy of `counters` (and the pool's stop, if it was stopped). */
export function toPoolReport(userPoolId: string, counters: Readonly<Counters>, stopped?: PoolStop): PoolResult {
  const report = { userPoolId, ...counters, ages: copyAgePicture(counters.ages) };
  return stopped ? { ...report, stopped } : report;
}

/**
 * Sums two lists of pool reports, pool by pool (callers sum the reports of successive slices).
 * Pools keep the order of `a`, then pools only in `b`; a pool stopped in either stays stopped (the latest stop).
 */
export function mergePoolReports(a: readonly PoolResult[], b: readonly PoolResult[]): PoolResult[] {
  const merged = new Map<string, { counters: Counters; stopped?: PoolStop }>();
  const pictured = new Set<string>();
  for (const report of [...a, ...b]) {
    if (report.ages) pictured.add(report.userPoolId);
    let sum = merged.get(report.userPoolId);
    if (!sum) merged.set(report.userPoolId, (sum = { counters: zeroCounters() }));
    for (const name of POOL_COUNTER_NAMES) sum.counters[name] += report[name] ?? 0;
    addAgePicture(sum.counters.ages, report.ages);
    if (report.stopped) sum.stopped = report.stopped;
  }
  return [...merged].map(([userPoolId, { counters, stopped }]) => {
    const report = toPoolReport(userPoolId, counters, stopped);
    if (pictured.has(userPoolId)) return report;
    const { ages: _none, ...withoutPicture } = report;
    return withoutPicture;
  });
}
