/** The merge step: the Map's outcomes folded into the execution output, and the run's metrics. */
import type { PoolReport } from '../../src/sweep';
import { DomainOutcome, MergeEvent, SweepRunProgress } from '../../src/workflow/contract';
import { MAX_CAUSE_LENGTH, mergeDomains, readableCause, runMetrics } from '../../src/workflow/runtime/domain-merge';

const NOW = '2026-02-01T00:00:00.000Z';
const CONFIG = { userPoolIds: ['eu-west-1_A', 'us-east-1_B', 'eu-west-1_C'], selection: { kind: 'all' as const }, dryRun: false };

function report(userPoolId: string, counts: Partial<PoolReport> = {}): PoolReport {
  return {
    userPoolId,
    usersScanned: 10,
    devicesScanned: 20,
    devicesStale: 5,
    devicesForgotten: 5,
    devicesAlreadyGone: 0,
    devicesUndated: 0,
    errors: 0,
    usersSkippedByIndex: 0,
    ...counts,
  };
}

function final(fields: Partial<SweepRunProgress>): SweepRunProgress {
  return { done: true, capped: false, totals: [], slices: 1, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T01:00:00.000Z', ...fields };
}

const EU = { key: '/eu-west-1', region: 'eu-west-1' };
const US = { key: '/us-east-1', region: 'us-east-1' };
const FOREIGN = { key: '333333333333/eu-west-1', accountId: '333333333333', region: 'eu-west-1' };

/** A Lambda failure's Cause as Step Functions gives it to a Catch. */
const LAMBDA_CAUSE = JSON.stringify({
  errorType: 'SweepSystemicError',
  errorMessage: 'cannot assume role arn:aws:iam::333333333333:role/DeviceSweepAccess for the pools of account 333333333333: ' +
    'AccessDenied: User: arn:aws:sts::111111111111:assumed-role/Slice/x is not authorized to perform: sts:AssumeRole',
  trace: ['SweepSystemicError: cannot assume role ...', '    at runSlice (/var/task/index.js:1:2)'],
});

function event(results: DomainOutcome[], toleratedDomainFailures = 0): MergeEvent {
  return { action: 'merge', config: CONFIG, results, toleratedDomainFailures };
}

describe('mergeDomains', () => {
  const eu = final({
    totals: [report('eu-west-1_A'), report('eu-west-1_C', { errors: 1 })],
    slices: 3,
    sweepSeconds: 2000,
    startedAt: '2026-01-01T00:00:05.000Z',
    finishedAt: '2026-01-01T00:50:00.000Z',
    pools: [{ userPoolId: 'eu-west-1_A', usersDone: 10 }, { userPoolId: 'eu-west-1_C', usersDone: 10 }],
  });
  const us = final({
    totals: [report('us-east-1_B')],
    slices: 2,
    sweepSeconds: 3000,
    capped: true,
    startedAt: '2026-01-01T00:00:01.000Z',
    finishedAt: '2026-01-01T01:10:00.000Z',
    pools: [{ userPoolId: 'us-east-1_B', usersDone: 10 }],
  });

  test('totals one domain after the other, capped when any was, slices summed, the run\'s span, the longest sweep', () => {
    const output = mergeDomains(event([{ domain: EU, progress: eu }, { domain: US, progress: us }]), NOW);
    expect(output).toEqual({
      done: true,
      capped: true,
      totals: [...eu.totals, ...us.totals],
      slices: 5,
      startedAt: '2026-01-01T00:00:01.000Z',
      finishedAt: '2026-01-01T01:10:00.000Z',
      // In parallel: the run swept as long as its longest domain.
      sweepSeconds: 3000,
      pools: [...eu.pools!, ...us.pools!],
      domains: ['/eu-west-1', '/us-east-1'],
      failedDomains: [],
      runFailed: false,
    });
    expect(output.failure).toBeUndefined();
  });

  test('a failed domain: named with its error and the Lambda\'s errorMessage, in one line; the run fails beyond the tolerance', () => {
    const results: DomainOutcome[] = [
      { domain: EU, progress: eu },
      { domain: FOREIGN, failed: { error: 'SweepSystemicError', cause: LAMBDA_CAUSE } },
      { domain: US, failed: { error: 'States.Timeout', cause: '' } },
    ];
    const output = mergeDomains(event(results), NOW);
    expect(output.failedDomains).toEqual([
      { domain: FOREIGN.key, error: 'SweepSystemicError', cause: JSON.parse(LAMBDA_CAUSE).errorMessage, partial: { totals: [], slices: 0 } },
      { domain: US.key, error: 'States.Timeout', cause: '', partial: { totals: [], slices: 0 } },
    ]);
    expect(output.failure).toBe(
      `2 of 3 quota domains failed: 333333333333/eu-west-1: ${JSON.parse(LAMBDA_CAUSE).errorMessage}; /us-east-1: States.Timeout`,
    );
    expect(output.runFailed).toBe(true);
    expect(output.domains).toEqual(['/eu-west-1', '333333333333/eu-west-1', '/us-east-1']);
    // No slice of the failed domains succeeded: their pools have no totals.
    expect(output.totals.map((t) => t.userPoolId)).toEqual(['eu-west-1_A', 'eu-west-1_C']);
    expect(mergeDomains(event(results, 2), NOW).runFailed).toBe(false);
  });

  test('a failed domain\'s partial counts: in the run\'s totals, slices and span, and reported with the domain', () => {
    const partial: SweepRunProgress = {
      done: false,
      cursor: 'c3',
      capped: false,
      totals: [report('us-east-1_B', { devicesForgotten: 7, devicesStale: 9 })],
      slices: 4,
      sweepSeconds: 3600,
      startedAt: '2025-12-31T23:59:00.000Z',
      finishedAt: '2026-01-01T01:30:00.000Z',
      pools: [{ userPoolId: 'us-east-1_B', usersDone: 6 }],
    };
    const output = mergeDomains(event([
      { domain: EU, progress: eu },
      { domain: US, failed: { error: 'States.Timeout', cause: '' }, partial },
      { domain: FOREIGN, failed: { error: 'SweepSystemicError', cause: LAMBDA_CAUSE } },
    ], 2), NOW);
    expect(output).toMatchObject({
      done: true,
      capped: false,
      // The failed domain's slices forgot those devices: the run did.
      totals: [...eu.totals, ...partial.totals],
      slices: 3 + 4,
      startedAt: partial.startedAt,
      finishedAt: partial.finishedAt,
      sweepSeconds: 3600,
      pools: [...eu.pools!, ...partial.pools!],
      runFailed: false,
    });
    expect(output.totals.reduce((n, t) => n + t.devicesForgotten, 0)).toBe(5 + 5 + 7);
    expect(output.failedDomains).toEqual([
      { domain: US.key, error: 'States.Timeout', cause: '', partial: { totals: partial.totals, slices: 4 } },
      // Failed before any slice succeeded: zero.
      { domain: FOREIGN.key, error: 'SweepSystemicError', cause: JSON.parse(LAMBDA_CAUSE).errorMessage, partial: { totals: [], slices: 0 } },
    ]);
    expect(output.failure).toBe(`2 of 3 quota domains failed: /us-east-1: States.Timeout; 333333333333/eu-west-1: ${JSON.parse(LAMBDA_CAUSE).errorMessage}`);
  });

  test('a partial progress counts only with a failure: a finished domain\'s final progress is its count', () => {
    const stray = final({ totals: [report('eu-west-1_A', { devicesForgotten: 100 })], slices: 9 });
    const output = mergeDomains(event([{ domain: EU, progress: eu, partial: stray }]), NOW);
    expect(output.totals).toEqual(eu.totals);
    expect(output.slices).toBe(3);
  });

  test('every domain failed: the run spans the merge\'s time', () => {
    const output = mergeDomains(event([{ domain: EU, failed: { error: 'Error', cause: 'boom' } }]), NOW);
    expect(output).toMatchObject({ done: true, capped: false, totals: [], slices: 0, startedAt: NOW, finishedAt: NOW, sweepSeconds: 0 });
    expect(output.failure).toBe('1 of 1 quota domain failed: /eu-west-1: boom');
  });
});

describe('readableCause', () => {
  test('the errorMessage of a Lambda failure, a plain cause as is, on one line, trimmed', () => {
    expect(readableCause(LAMBDA_CAUSE)).toBe(JSON.parse(LAMBDA_CAUSE).errorMessage);
    expect(readableCause('The Lambda timed out\n  after 900 s')).toBe('The Lambda timed out after 900 s');
    expect(readableCause('{"not":"lambda"}')).toBe('{"not":"lambda"}');
    const long = readableCause(JSON.stringify({ errorType: 'E', errorMessage: 'x'.repeat(2000) }));
    expect(long).toHaveLength(MAX_CAUSE_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('runMetrics', () => {
  test('once per run: completed, capped, failed (a failed domain or a pool with errors), duration, failed domains', () => {
    const clean = mergeDomains(event([{ domain: US, progress: final({ totals: [report('us-east-1_B')] }) }]), NOW);
    expect(runMetrics(clean)).toEqual([
      { name: 'RunDurationSeconds', value: 3600 },
      { name: 'RunsCompleted', value: 1 },
      { name: 'RunsCapped', value: 0 },
      { name: 'RunsFailed', value: 0 },
      { name: 'DomainsFailed', value: 0 },
    ]);
    const failed = mergeDomains(event([
      { domain: US, progress: final({ capped: true, totals: [report('us-east-1_B')] }) },
      { domain: EU, failed: { error: 'Error', cause: 'boom' } },
    ], 1), NOW);
    expect(runMetrics(failed)).toEqual(expect.arrayContaining([
      { name: 'RunsCapped', value: 1 }, { name: 'RunsFailed', value: 1 }, { name: 'DomainsFailed', value: 1 },
    ]));
    const withErrors = mergeDomains(event([{ domain: US, progress: final({ totals: [report('us-east-1_B', { errors: 2 })] }) }]), NOW);
    expect(runMetrics(withErrors)).toEqual(expect.arrayContaining([{ name: 'RunsFailed', value: 1 }, { name: 'DomainsFailed', value: 0 }]));
  });
});
