/** Per-pool counters: building them during a run and summing them across slices. */
import { addAgePicture, AgePicture, copyAgePicture, MutableAgePicture, zeroAgePicture } from './age-picture';
import type { PoolReport } from './types';

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

/** A report of `userPoolId` with a copy of `counters`. */
export function toPoolReport(userPoolId: string, counters: Readonly<Counters>): PoolReport {
  return { userPoolId, ...counters, ages: copyAgePicture(counters.ages) };
}

/**
 * Sums two lists of pool reports, pool by pool (callers sum the reports of successive slices).
 * Pools keep the order of `a`, then pools only in `b`.
 */
export function mergePoolReports(a: readonly PoolReport[], b: readonly PoolReport[]): PoolReport[] {
  const merged = new Map<string, Counters>();
  const pictured = new Set<string>();
  for (const report of [...a, ...b]) {
    if (report.ages) pictured.add(report.userPoolId);
    let sum = merged.get(report.userPoolId);
    if (!sum) merged.set(report.userPoolId, (sum = zeroCounters()));
    for (const name of POOL_COUNTER_NAMES) sum[name] += report[name] ?? 0;
    addAgePicture(sum.ages, report.ages);
  }
  return [...merged].map(([userPoolId, counters]) => {
    const report = toPoolReport(userPoolId, counters);
    if (pictured.has(userPoolId)) return report;
    const { ages: _none, ...withoutPicture } = report;
    return withoutPicture;
  });
}
