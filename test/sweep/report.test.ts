import { mergePoolReports, POOL_COUNTER_NAMES, PoolReport } from '../../src/sweep';
import { zeroCounters } from '../../src/sweep/pipeline/report';

function report(userPoolId: string, n: number): PoolReport {
  return {
    userPoolId,
    usersScanned: n,
    devicesScanned: 2 * n,
    devicesStale: 3 * n,
    devicesForgotten: 4 * n,
    devicesAlreadyGone: 5 * n,
    devicesUndated: 6 * n,
    errors: 7 * n,
    usersSkippedByIndex: 8 * n,
  };
}

describe('mergePoolReports', () => {
  test('sums every counter pool by pool', () => {
    expect(mergePoolReports([report('eu-west-1_a', 1), report('eu-west-1_b', 10)], [report('eu-west-1_a', 2)]))
      .toEqual([report('eu-west-1_a', 3), report('eu-west-1_b', 10)]);
  });

  test('keeps pools only in the second list, after the others', () => {
    expect(mergePoolReports([report('eu-west-1_a', 1)], [report('us-east-1_c', 4), report('eu-west-1_a', 1)]))
      .toEqual([report('eu-west-1_a', 2), report('us-east-1_c', 4)]);
  });

  test('does not modify its inputs', () => {
    const a = [report('eu-west-1_a', 1)];
    mergePoolReports(a, a);
    expect(a).toEqual([report('eu-west-1_a', 1)]);
  });
});

describe('POOL_COUNTER_NAMES', () => {
  test('lists every counter of a pool report exactly once', () => {
    const { userPoolId, ...counters } = report('eu-west-1_a', 1);
    expect(userPoolId).toBe('eu-west-1_a');
    expect([...POOL_COUNTER_NAMES].sort()).toEqual(Object.keys(counters).sort());
    // The age picture is a nested object, summed by its own module.
    const { ages, ...numeric } = zeroCounters();
    expect(ages).toBeDefined();
    expect([...POOL_COUNTER_NAMES].sort()).toEqual(Object.keys(numeric).sort());
  });
});
