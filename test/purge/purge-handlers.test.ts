import { ExecutionAlreadyExists, ExecutionDoesNotExist, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import { createEvent, deleteEvent, RESPONSE_URL, STALE_CONFIG, STATE_MACHINE_ARN, updateEvent } from './events';
import { fakeSfn, SfnAnswer } from './fake-sfn';
import { captureLogger, CapturedLogger } from './log-capture';
import { createIsCompleteHandler, createOnEventHandler, IsCompleteEvent, OnEventResult } from '../../src/purge/purge-handlers';
import type { PurgeEvent } from '../../src/purge/purge-plan';
import type { PoolReport } from '../../src/sweep/types';

const STARTED = new Date('2026-11-21T10:00:00Z');
const EXECUTION_ARN = 'arn:aws:states:eu-west-1:111111111111:execution:PurgeWorkflow1234:purge-create-11111111-2222-3333-4444-555555555555';

let log: CapturedLogger;
beforeEach(() => {
  log = captureLogger();
});
afterEach(() => {
  log.restore();
});

/** The onEvent and isComplete handlers over one fake Step Functions, and a clock at `nowMs`. */
function handlers(answer: SfnAnswer, nowMs = STARTED.getTime() + 30_000) {
  const sfn = fakeSfn(answer);
  const deps = { sfn: sfn.client, logger: log.logger, now: () => nowMs };
  return { onEvent: createOnEventHandler(deps), isComplete: createIsCompleteHandler(deps), calls: sfn.calls };
}

/** What the Provider framework passes to isComplete: the event plus onEvent's answer. */
function isCompleteEventFor(event: PurgeEvent & object, result: OnEventResult): IsCompleteEvent {
  return { ...event, ...result };
}

function succeeded(totals: PoolReport[]): object {
  return {
    executionArn: EXECUTION_ARN,
    status: 'SUCCEEDED',
    startDate: STARTED,
    output: JSON.stringify({ done: true, capped: false, totals, slices: 2, startedAt: STARTED.toISOString(), finishedAt: STARTED.toISOString() }),
  };
}

const POOL_REPORT: PoolReport = {
  userPoolId: 'eu-west-1_AbCdEf123',
  usersScanned: 1200,
  devicesScanned: 2300,
  devicesStale: 410,
  devicesForgotten: 400,
  devicesAlreadyGone: 10,
  devicesUndated: 12,
  errors: 0,
  usersSkippedByIndex: 0,
};

describe('CREATE', () => {
  test('starts the run with the config as input and answers the physical id and execution', async () => {
    const { onEvent, calls } = handlers(() => ({ executionArn: EXECUTION_ARN, startDate: STARTED }));
    const result = await onEvent(createEvent());
    expect(calls).toEqual([{
      command: 'StartExecutionCommand',
      input: { stateMachineArn: STATE_MACHINE_ARN, name: 'purge-create-11111111-2222-3333-4444-555555555555', input: JSON.stringify({ config: STALE_CONFIG }) },
    }]);
    expect(result).toEqual({
      PhysicalResourceId: 'cognito-device-purge/11111111-2222-3333-4444-555555555555',
      PurgeAction: 'start',
      ExecutionArn: EXECUTION_ARN,
      Data: { executionArn: EXECUTION_ARN },
    });
  });

  test('a retried delivery of the same event follows the run the first one started', async () => {
    const { onEvent, calls } = handlers(() => {
      throw new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
    });
    const result = await onEvent(createEvent());
    expect(calls).toHaveLength(1);
    expect(result.ExecutionArn).toEqual(EXECUTION_ARN);
  });

  test('a run that cannot start fails the CREATE with the reason', async () => {
    const { onEvent } = handlers(() => {
      throw new StateMachineDoesNotExist({ message: 'State Machine Does Not Exist: PurgeWorkflow1234', $metadata: {} });
    });
    await expect(onEvent(createEvent())).rejects.toThrow(/State Machine Does Not Exist/);
  });

  test('isComplete waits while the run is RUNNING, then answers its counts', async () => {
    let status: object = { executionArn: EXECUTION_ARN, status: 'RUNNING', startDate: STARTED };
    const { onEvent, isComplete, calls } = handlers((command) =>
      command === 'StartExecutionCommand' ? { executionArn: EXECUTION_ARN, startDate: STARTED } : status);
    const event = createEvent();
    const started = await onEvent(event);

    expect(await isComplete(isCompleteEventFor(event, started))).toEqual({ IsComplete: false });
    status = succeeded([POOL_REPORT]);
    expect(await isComplete(isCompleteEventFor(event, started))).toEqual({
      IsComplete: true,
      Data: {
        usersScanned: '1200',
        devicesScanned: '2300',
        devicesStale: '410',
        devicesForgotten: '400',
        devicesAlreadyGone: '10',
        devicesUndated: '12',
        errors: '0',
        usersSkippedByIndex: '0',
      },
    });
    expect(calls.filter((call) => call.command === 'DescribeExecutionCommand').map((call) => call.input))
      .toEqual([{ executionArn: EXECUTION_ARN }, { executionArn: EXECUTION_ARN }]);
  });

  test.each(['FAILED', 'TIMED_OUT'])('a %s run fails the CREATE with the run\'s error and cause', async (status) => {
    const { isComplete } = handlers(() => ({
      executionArn: EXECUTION_ARN, status, startDate: STARTED, error: 'States.TaskFailed', cause: 'AccessDeniedException: not authorized to perform cognito-idp:ListUsers',
    }));
    const event = isCompleteEventFor(createEvent(), { PhysicalResourceId: 'cognito-device-purge/x', PurgeAction: 'start', ExecutionArn: EXECUTION_ARN });
    await expect(isComplete(event)).rejects.toThrow(
      `Device purge run ${status}: States.TaskFailed: AccessDeniedException: not authorized to perform cognito-idp:ListUsers (execution ${EXECUTION_ARN})`);
  });

  test('a run still going at the wait limit is stopped and fails the CREATE', async () => {
    const { isComplete, calls } = handlers(
      (command) => (command === 'StopExecutionCommand' ? { stopDate: new Date() } : { executionArn: EXECUTION_ARN, status: 'RUNNING', startDate: STARTED }),
      STARTED.getTime() + 3541_000,
    );
    const event = isCompleteEventFor(createEvent(), { PhysicalResourceId: 'cognito-device-purge/x', PurgeAction: 'start', ExecutionArn: EXECUTION_ARN });
    await expect(isComplete(event)).rejects.toThrow(/did not finish within 3540 seconds and was stopped/);
    expect(calls.map((call) => call.command)).toEqual(['DescribeExecutionCommand', 'StopExecutionCommand']);
    expect(calls[1].input).toMatchObject({ executionArn: EXECUTION_ARN });
  });

  test('without waitForCompletion the CREATE completes without describing the run', async () => {
    const { isComplete, calls } = handlers(() => ({}));
    const event = isCompleteEventFor(createEvent({ waitForCompletion: false }),
      { PhysicalResourceId: 'cognito-device-purge/x', PurgeAction: 'start', ExecutionArn: EXECUTION_ARN });
    expect(await isComplete(event)).toEqual({ IsComplete: true, Data: {} });
    expect(calls).toEqual([]);
  });
});

describe('UPDATE', () => {
  test('a new generation starts a run under the same physical id', async () => {
    const { onEvent, calls } = handlers(() => ({ executionArn: EXECUTION_ARN, startDate: STARTED }));
    const result = await onEvent(updateEvent({ generation: '1' }, { generation: '2' }));
    expect(result.PhysicalResourceId).toEqual('cognito-device-purge/11111111-2222-3333-4444-555555555555');
    expect(calls).toEqual([expect.objectContaining({
      command: 'StartExecutionCommand',
      input: expect.objectContaining({ name: 'purge-update-66666666-7777-8888-9999-000000000000' }),
    })]);
  });

  test('a new selection starts a run', async () => {
    const { onEvent, calls } = handlers(() => ({ executionArn: EXECUTION_ARN, startDate: STARTED }));
    await onEvent(updateEvent({ config: STALE_CONFIG }, { config: { ...STALE_CONFIG, selection: { kind: 'users', usernames: ['alice'] } } }));
    expect(calls.map((call) => call.command)).toEqual(['StartExecutionCommand']);
    expect(JSON.parse(calls[0].input.input as string)).toMatchObject({ config: { selection: { kind: 'users', usernames: ['alice'] } } });
  });

  test('an unchanged generation and selection starts nothing and answers the latest run\'s counts again', async () => {
    const { onEvent, isComplete, calls } = handlers((command) =>
      command === 'ListExecutionsCommand' ? { executions: [{ executionArn: EXECUTION_ARN }] } : succeeded([POOL_REPORT]));
    const event = updateEvent({ generation: '1' }, { generation: '1', waitLimitSeconds: 600 });
    const result = await onEvent(event);
    expect(result).toMatchObject({ PurgeAction: 'report-last', Data: { executionArn: EXECUTION_ARN } });
    expect(calls).toEqual([{ command: 'ListExecutionsCommand', input: { stateMachineArn: STATE_MACHINE_ARN, maxResults: 1 } }]);
    expect(await isComplete(isCompleteEventFor(event, result))).toMatchObject({ IsComplete: true, Data: { devicesForgotten: '400' } });
    expect(calls.map((call) => call.command)).not.toContain('StartExecutionCommand');
  });

  test('an unchanged update whose last run Step Functions no longer knows answers unknown counts', async () => {
    const { onEvent, isComplete } = handlers((command) => {
      if (command === 'ListExecutionsCommand') return { executions: [{ executionArn: EXECUTION_ARN }] };
      throw new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} });
    });
    const event = updateEvent({}, {});
    const result = await onEvent(event);
    expect(await isComplete(isCompleteEventFor(event, result))).toMatchObject({ IsComplete: true, Data: { devicesForgotten: 'unknown' } });
  });

  test('an unchanged update on a state machine without runs answers unknown counts', async () => {
    const { onEvent, isComplete } = handlers(() => ({ executions: [] }));
    const event = updateEvent({}, {});
    const result = await onEvent(event);
    expect(result).toMatchObject({ PurgeAction: 'report-last', Data: { executionArn: 'none' } });
    expect(await isComplete(isCompleteEventFor(event, result))).toMatchObject({ IsComplete: true, Data: { usersScanned: 'unknown' } });
  });
});

describe('DELETE', () => {
  test('without onDelete starts nothing and completes', async () => {
    const { onEvent, isComplete, calls } = handlers(() => ({}));
    const event = deleteEvent({ onDelete: false });
    const result = await onEvent(event);
    expect(result).toEqual({ PhysicalResourceId: event.PhysicalResourceId, PurgeAction: 'none' });
    expect(await isComplete(isCompleteEventFor(event, result))).toEqual({ IsComplete: true });
    expect(calls).toEqual([]);
  });

  test('with onDelete starts a run and waits for it', async () => {
    let status: object = { executionArn: EXECUTION_ARN, status: 'RUNNING', startDate: STARTED };
    const { onEvent, isComplete, calls } = handlers((command) =>
      command === 'StartExecutionCommand' ? { executionArn: EXECUTION_ARN, startDate: STARTED } : status);
    const event = deleteEvent({ onDelete: true });
    const result = await onEvent(event);
    expect(result).toMatchObject({ PhysicalResourceId: event.PhysicalResourceId, PurgeAction: 'start' });
    expect(calls[0].input).toMatchObject({ name: 'purge-delete-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' });
    expect(await isComplete(isCompleteEventFor(event, result))).toEqual({ IsComplete: false });
    status = succeeded([POOL_REPORT]);
    expect(await isComplete(isCompleteEventFor(event, result))).toEqual({ IsComplete: true, Data: {} });
  });

  test('Step Functions failing never fails a DELETE: both handlers answer success and log the error', async () => {
    const { onEvent, isComplete } = handlers(() => {
      throw new Error('network down');
    });
    const event = deleteEvent({ onDelete: true });
    const result = await onEvent(event);
    expect(result).toEqual({ PhysicalResourceId: event.PhysicalResourceId, PurgeAction: 'none' });
    const started = { PhysicalResourceId: event.PhysicalResourceId!, PurgeAction: 'start' as const, ExecutionArn: EXECUTION_ARN };
    expect(await isComplete(isCompleteEventFor(event, started))).toEqual({ IsComplete: true });
    expect(log.entries()).toEqual(expect.arrayContaining([
      expect.objectContaining({ message: expect.stringMatching(/^DELETE could not start the purge/) }),
      expect.objectContaining({ message: expect.stringMatching(/^DELETE could not follow the purge/) }),
    ]));
  });

  test('after a failed CREATE (an id DevicePurge never issued) starts nothing, even with onDelete', async () => {
    const { onEvent, calls } = handlers(() => ({}));
    const event = deleteEvent({ onDelete: true }, '2026/11/21/[$LATEST]0123456789abcdef');
    expect(await onEvent(event)).toEqual({ PhysicalResourceId: event.PhysicalResourceId, PurgeAction: 'none' });
    expect(calls).toEqual([]);
  });

  test('never fails: a run that cannot start is logged and the DELETE completes', async () => {
    const { onEvent } = handlers(() => {
      throw new StateMachineDoesNotExist({ message: 'State Machine Does Not Exist', $metadata: {} });
    });
    const event = deleteEvent({ onDelete: true });
    expect(await onEvent(event)).toEqual({ PhysicalResourceId: event.PhysicalResourceId, PurgeAction: 'none' });
    expect(log.entries()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringMatching(/reporting success so the deletion goes on/) }));
  });

  test('never fails: malformed properties are logged and the DELETE completes', async () => {
    const { onEvent, isComplete } = handlers(() => ({}));
    const event = { ...deleteEvent({ onDelete: true }), ResourceProperties: { Config: '{' } };
    const result = await onEvent(event);
    expect(result.PurgeAction).toEqual('none');
    expect(await isComplete({ ...event, PurgeAction: 'start', ExecutionArn: EXECUTION_ARN })).toEqual({ IsComplete: true });
  });

  test.each(['FAILED', 'TIMED_OUT', 'ABORTED'])('never fails: a %s run completes the DELETE with a warning', async (status) => {
    const { isComplete } = handlers(() => ({ executionArn: EXECUTION_ARN, status, startDate: STARTED, cause: 'boom' }));
    const event = isCompleteEventFor(deleteEvent({ onDelete: true }), { PhysicalResourceId: 'cognito-device-purge/x', PurgeAction: 'start', ExecutionArn: EXECUTION_ARN });
    expect(await isComplete(event)).toEqual({ IsComplete: true, Data: {} });
    expect(log.entries()).toContainEqual(expect.objectContaining({ level: 'WARN', message: expect.stringMatching(`Device purge run ${status}: boom`) }));
  });

  test('never fails: Step Functions errors while following the run complete the DELETE', async () => {
    const { isComplete } = handlers(() => {
      throw new Error('socket hang up');
    });
    const event = isCompleteEventFor(deleteEvent({ onDelete: true }), { PhysicalResourceId: 'cognito-device-purge/x', PurgeAction: 'start', ExecutionArn: EXECUTION_ARN });
    expect(await isComplete(event)).toEqual({ IsComplete: true });
  });

  test('a run still going at the wait limit is stopped and the DELETE completes', async () => {
    const { isComplete, calls } = handlers(
      (command) => (command === 'StopExecutionCommand' ? {} : { executionArn: EXECUTION_ARN, status: 'RUNNING', startDate: STARTED }),
      STARTED.getTime() + 4000_000,
    );
    const event = isCompleteEventFor(deleteEvent({ onDelete: true }), { PhysicalResourceId: 'cognito-device-purge/x', PurgeAction: 'start', ExecutionArn: EXECUTION_ARN });
    expect(await isComplete(event)).toEqual({ IsComplete: true, Data: {} });
    expect(calls.map((call) => call.command)).toEqual(['DescribeExecutionCommand', 'StopExecutionCommand']);
  });
});

describe('what reaches CloudFormation and the logs', () => {
  test('the response stays under 4096 bytes with a huge report', async () => {
    const totals = Array.from({ length: 5000 }, (_, i) => ({ ...POOL_REPORT, userPoolId: `eu-west-1_Pool${i}`, usersScanned: 9e12 }));
    const { onEvent, isComplete } = handlers((command) =>
      command === 'StartExecutionCommand' ? { executionArn: EXECUTION_ARN, startDate: STARTED } : succeeded(totals));
    const event = createEvent();
    const started = await onEvent(event);
    const completed = await isComplete(isCompleteEventFor(event, started));
    // The body the Provider framework PUTs to the response URL (cfn-response.submitResponse).
    const body = JSON.stringify({
      Status: 'SUCCESS',
      Reason: 'SUCCESS',
      StackId: event.StackId,
      RequestId: event.RequestId,
      PhysicalResourceId: started.PhysicalResourceId,
      LogicalResourceId: event.LogicalResourceId,
      Data: { ...started.Data, ...completed.Data },
    });
    expect(Buffer.byteLength(body)).toBeLessThan(1024);
    expect(completed.Data?.usersScanned).toEqual(String(5000 * 9e12));
  });

  test('the failure reason stays short with a huge cause', async () => {
    const { isComplete } = handlers(() => ({ executionArn: EXECUTION_ARN, status: 'FAILED', startDate: STARTED, error: 'E', cause: 'c'.repeat(100_000) }));
    const event = isCompleteEventFor(createEvent(), { PhysicalResourceId: 'cognito-device-purge/x', PurgeAction: 'start', ExecutionArn: EXECUTION_ARN });
    const error = await isComplete(event).catch((e: Error) => e);
    expect((error as Error).message.length).toBeLessThan(1000);
  });

  test('the presigned ResponseURL is never logged, on success or failure paths', async () => {
    const secret = new URL(RESPONSE_URL).searchParams.get('X-Amz-Signature')!;
    const ok = handlers((command) => (command === 'StartExecutionCommand' ? { executionArn: EXECUTION_ARN, startDate: STARTED } : succeeded([POOL_REPORT])));
    for (const event of [createEvent(), updateEvent({ generation: '1' }, { generation: '2' }), deleteEvent({ onDelete: true })]) {
      const result = await ok.onEvent(event);
      await ok.isComplete(isCompleteEventFor(event, result));
    }
    const failing = handlers(() => {
      throw new Error('network down');
    });
    await failing.onEvent(deleteEvent({ onDelete: true }));
    await failing.onEvent(createEvent()).catch(() => undefined);
    await failing.isComplete(isCompleteEventFor(createEvent(), { PhysicalResourceId: 'x', PurgeAction: 'start', ExecutionArn: EXECUTION_ARN }))
      .catch(() => undefined);

    const output = log.output();
    expect(output).toContain('Custom resource event'); // the events were logged...
    expect(output).toContain('cognito-device-purge/11111111-2222-3333-4444-555555555555');
    expect(output).not.toContain(secret); // ...without their response URL
    expect(output).not.toContain('ResponseURL');
  });
});

test('usernames in the config are logged as a count, not by name', async () => {
  const config = { ...STALE_CONFIG, selection: { kind: 'users' as const, usernames: ['alice@example.com', 'bob@example.com'] }, excludeUsernames: ['ops@example.com'] };
  const { onEvent } = handlers(() => ({ executionArn: EXECUTION_ARN, startDate: STARTED }));
  await onEvent(createEvent({ config }));
  const output = log.output();
  expect(output).not.toContain('@example.com');
  expect(log.entries()).toContainEqual(expect.objectContaining({
    message: 'Custom resource event',
    event: expect.objectContaining({
      ResourceProperties: expect.objectContaining({
        Config: expect.objectContaining({ selection: { kind: 'users', usernames: '2 usernames' }, excludeUsernames: '1 usernames' }),
      }),
    }),
  }));
});
