import { countsOf, decideCompletion, CompletionInput, MAX_REASON_LENGTH } from '../../src/purge/runtime/purge-completion';
import { POOL_COUNTER_NAMES } from '../../src/sweep/pipeline/report';
import type { PoolReport } from '../../src/sweep/types';

const STARTED = new Date('2026-11-21T10:00:00Z');
const ARN = 'arn:aws:states:eu-west-1:111111111111:execution:PurgeWorkflow1234:purge-create-1';

function pool(userPoolId: string, n: number): PoolReport {
  return {
    userPoolId,
    usersScanned: 10 * n,
    devicesScanned: 9 * n,
    devicesStale: 8 * n,
    devicesForgotten: 7 * n,
    devicesAlreadyGone: 6 * n,
    devicesUndated: 5 * n,
    errors: 4 * n,
    usersSkippedByIndex: 8 * n,
  };
}

function output(totals: PoolReport[]): string {
  return JSON.stringify({ done: true, capped: false, totals, slices: 3, startedAt: STARTED.toISOString(), finishedAt: STARTED.toISOString() });
}

function input(overrides: Partial<CompletionInput>): CompletionInput {
  return {
    requestType: 'Create',
    action: 'start',
    waitForCompletion: true,
    waitLimitSeconds: 3540,
    execution: { executionArn: ARN, status: 'RUNNING', startDate: STARTED },
    nowMs: STARTED.getTime() + 60_000,
    ...overrides,
  };
}

describe('a run for this event', () => {
  test('RUNNING keeps waiting', () => {
    expect(decideCompletion(input({}))).toEqual({ outcome: 'wait' });
  });

  test('SUCCEEDED completes with the counts, summed over pools', () => {
    const execution = { executionArn: ARN, status: 'SUCCEEDED', startDate: STARTED, output: output([pool('eu-west-1_A', 1), pool('eu-west-1_B', 2)]) };
    expect(decideCompletion(input({ execution }))).toEqual({
      outcome: 'complete',
      data: {
        usersScanned: '30',
        devicesScanned: '27',
        devicesStale: '24',
        devicesForgotten: '21',
        devicesAlreadyGone: '18',
        devicesUndated: '15',
        errors: '12',
        usersSkippedByIndex: '24',
      },
    });
  });

  test('a run stopped by maxForgets completes with its counts and a warning that devices are left', () => {
    const capped = JSON.stringify({ ...JSON.parse(output([pool('eu-west-1_A', 1)])), capped: true });
    const execution = { executionArn: ARN, status: 'SUCCEEDED', startDate: STARTED, output: capped };
    const completion = decideCompletion(input({ execution }));
    expect(completion).toMatchObject({ outcome: 'complete', data: { devicesForgotten: '7' } });
    expect(completion).toHaveProperty('warning',
      `Device purge run stopped at its maxForgets cap (execution ${ARN}); devices are left to forget. ` +
      'Raise maxForgets or change generation to purge again on the next deployment.');
  });

  test.each(['FAILED', 'TIMED_OUT', 'ABORTED'])('%s fails with the run\'s error, cause and execution', (status) => {
    const execution = { executionArn: ARN, status, startDate: STARTED, error: 'Lambda.Unknown', cause: 'slice crashed: out of memory' };
    expect(decideCompletion(input({ execution }))).toEqual({
      outcome: 'fail',
      reason: `Device purge run ${status}: Lambda.Unknown: slice crashed: out of memory (execution ${ARN})`,
    });
  });

  test('a slice stopped by an error no retry can fix fails with its one line, not the Lambda error payload around it', () => {
    const line = 'cognito-idp:AdminForgetDevice denied on user pool eu-west-1_A (AccessDeniedException); allow it with ' +
      'UserPoolDeviceGrants.fromUserPool(pool).sweepDevices(role): User: arn:aws:sts::1:assumed-role/r/s is not authorized';
    const cause = JSON.stringify({ errorType: 'SweepSystemicError', errorMessage: line, trace: ['SweepSystemicError: ...', '    at runSlice (/var/task/index.js:1:1)'] });
    const execution = { executionArn: ARN, status: 'FAILED', startDate: STARTED, error: 'SweepSystemicError', cause };
    expect(decideCompletion(input({ execution }))).toEqual({
      outcome: 'fail',
      reason: `Device purge run FAILED: SweepSystemicError: ${line} (execution ${ARN})`,
    });
  });

  test('a failure without error or cause still says what failed', () => {
    const execution = { executionArn: ARN, status: 'TIMED_OUT', startDate: STARTED };
    expect(decideCompletion(input({ execution }))).toMatchObject({ outcome: 'fail', reason: expect.stringMatching(/^Device purge run TIMED_OUT: no reason given/) });
  });

  test('a huge cause is truncated, and the execution ARN is kept', () => {
    const execution = { executionArn: ARN, status: 'FAILED', startDate: STARTED, error: 'States.TaskFailed', cause: 'x'.repeat(200_000) };
    const completion = decideCompletion(input({ execution }));
    if (completion.outcome !== 'fail') throw new Error('expected a failure');
    expect(completion.reason.length).toBeLessThan(MAX_REASON_LENGTH + 200);
    expect(completion.reason).toContain('…');
    expect(completion.reason).toContain(ARN);
  });

  test('a run still going at the wait limit is stopped and fails with advice', () => {
    const completion = decideCompletion(input({ waitLimitSeconds: 240, nowMs: STARTED.getTime() + 240_000 }));
    expect(completion).toMatchObject({ outcome: 'fail', stopExecution: true });
    expect(completion).toMatchObject({ reason: expect.stringMatching(/did not finish within 240 seconds and was stopped .*Raise the DevicePurge timeout/) });
  });

  test('a run just under the wait limit keeps waiting', () => {
    expect(decideCompletion(input({ waitLimitSeconds: 240, nowMs: STARTED.getTime() + 239_000 }))).toEqual({ outcome: 'wait' });
  });

  test('a run that skipped because another run of the workflow was going fails and says so', () => {
    const execution = { executionArn: ARN, status: 'SUCCEEDED', startDate: STARTED, output: JSON.stringify({ done: false, skipped: true }) };
    expect(decideCompletion(input({ execution }))).toMatchObject({
      outcome: 'fail',
      reason: expect.stringMatching(/another run of this purge was in progress/),
    });
  });

  test('without waitForCompletion completes at once, before the run finished', () => {
    expect(decideCompletion(input({ waitForCompletion: false, execution: undefined }))).toEqual({ outcome: 'complete', data: {} });
  });
});

describe('DELETE', () => {
  test('waits for its run even without waitForCompletion: the stack deletes the workflow next', () => {
    expect(decideCompletion(input({ requestType: 'Delete', waitForCompletion: false }))).toEqual({ outcome: 'wait' });
  });

  test.each(['FAILED', 'TIMED_OUT', 'ABORTED'])('a %s run completes with a warning instead of failing', (status) => {
    const execution = { executionArn: ARN, status, startDate: STARTED, cause: 'boom' };
    expect(decideCompletion(input({ requestType: 'Delete', execution }))).toMatchObject({
      outcome: 'complete',
      warning: expect.stringMatching(new RegExp(`Device purge run ${status}: boom .*the DELETE goes on`)),
    });
  });

  test('a run still going at the wait limit is stopped, and the DELETE completes', () => {
    expect(decideCompletion(input({ requestType: 'Delete', waitLimitSeconds: 60, nowMs: STARTED.getTime() + 61_000 })))
      .toMatchObject({ outcome: 'complete', stopExecution: true, warning: expect.stringMatching(/The DELETE goes on/) });
  });
});

describe('report-last (an update that purges nothing)', () => {
  test('reports the counts of the most recent run when it succeeded', () => {
    const execution = { executionArn: ARN, status: 'SUCCEEDED', startDate: STARTED, output: output([pool('eu-west-1_A', 1)]) };
    expect(decideCompletion(input({ requestType: 'Update', action: 'report-last', execution })))
      .toMatchObject({ outcome: 'complete', data: { devicesForgotten: '7' } });
  });

  test.each([
    ['a failed run', { executionArn: ARN, status: 'FAILED' }],
    ['a running run', { executionArn: ARN, status: 'RUNNING' }],
    ['no run at all', undefined],
  ])('reports unknown counts for %s, and never fails', (_label, execution) => {
    const completion = decideCompletion(input({ requestType: 'Update', action: 'report-last', execution }));
    expect(completion).toEqual({ outcome: 'complete', data: Object.fromEntries(POOL_COUNTER_NAMES.map((name) => [name, 'unknown'])) });
  });
});

describe('countsOf', () => {
  test('stays far under CloudFormation\'s 4096-byte response limit however many pools and devices', () => {
    const totals = Array.from({ length: 20_000 }, (_, i) => pool(`eu-west-1_Pool${i}`, 1e9));
    const data = countsOf(output(totals));
    expect(Object.keys(data).sort()).toEqual([...POOL_COUNTER_NAMES].sort());
    expect(JSON.stringify(data).length).toBeLessThan(400);
    expect(data.usersScanned).toEqual(String(20_000 * 10 * 1e9));
  });

  test('an output without totals gives unknown counts rather than failing a finished purge', () => {
    expect(countsOf('not json').devicesForgotten).toEqual('unknown');
    expect(countsOf(JSON.stringify({ done: true })).usersScanned).toEqual('unknown');
  });
});
