/**
 * The whole purge path, locally: the custom resource properties DevicePurge synthesizes go through
 * onEvent -> (a fake Step Functions that plays the sweep workflow's slice loop with the real slice
 * logic and engine against the Cognito simulator) -> isComplete, and the simulator's pool ends up
 * without exactly the devices the selection picks.
 */
import { createServer } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { fakeSfn } from './fake-sfn';
import { captureLogger, CapturedLogger } from './log-capture';
import { DevicePurge } from '../../src/purge/device-purge';
import { PurgeSelection } from '../../src/purge/purge-selection';
import { createIsCompleteHandler, createOnEventHandler, IsCompleteEvent, OnEventResult } from '../../src/purge/runtime/purge-handlers';
import type { PurgeEvent } from '../../src/purge/runtime/purge-plan';
import { sweepDevices } from '../../src/sweep';
import type { SweepExecutionInput, SweepRunProgress } from '../../src/workflow/contract';
import { runSlice, SLICE_SAFETY_MARGIN_MS } from '../../src/workflow/runtime/slice-logic';
import { CognitoSimulator, isStaleAt, SimDevice, simulatorClient } from '../sim';
import { WorkClock } from '../sweep/work-clock';
import { newStack, TEST_REGION } from '../util/stack';

const REGION = TEST_REGION;
const TIME_SCALE = 50;
const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:111111111111:stateMachine:PurgeWorkflow1234';
const DAY_MS = 86_400_000;

let sim: CognitoSimulator;
let log: CapturedLogger;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: TIME_SCALE, seed: 7 });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  log = captureLogger();
});
afterEach(() => {
  log.restore();
});

/** The custom resource's properties as CloudFormation delivers them: the synthesized ones, scalars as strings. */
function deployedProperties(poolId: string, selection: PurgeSelection, generation: string): Record<string, unknown> {
  const stack = newStack({ id: 'App' });
  new DevicePurge(stack, 'Purge', {
    userPool: cognito.UserPool.fromUserPoolId(stack, 'Pool', poolId),
    selection,
    generation,
    timeout: Duration.minutes(30),
  });
  const resource = Object.values(Template.fromStack(stack).findResources('Custom::CognitoDevicePurge'))[0];
  const properties: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(resource.Properties as Record<string, unknown>)) {
    // The only references are the state machine (a Ref) and the Provider's function (GetAtt).
    properties[name] = typeof value === 'object' ? (name === 'StateMachineArn' ? STATE_MACHINE_ARN : 'arn:aws:lambda:eu-west-1:111111111111:function:provider') : String(value);
  }
  return properties;
}

/** One execution of the local workflow. */
interface Execution {
  readonly startDate: Date;
  run: Promise<SweepRunProgress>;
  output?: SweepRunProgress;
  failure?: { readonly error: string; readonly cause: string };
}

/**
 * Step Functions for the purge's state machine: StartExecution runs the workflow's loop (the real
 * slice logic and engine, one slice after another, each with a small time budget) in the background.
 */
function localWorkflow(poolId: string, clientFor = (region: string) => simulatorClient(sim, { region })) {
  const executions = new Map<string, Execution>();
  const order: string[] = [];

  async function runLoop(input: SweepExecutionInput): Promise<SweepRunProgress> {
    let progress: SweepRunProgress | undefined;
    // Slices cut by work done (40 calls answered each), so the run takes several slices on any machine.
    const work = new WorkClock(sim);
    do {
      const outcome = await runSlice({ config: input.config, progress }, {
        allowedUserPoolIds: [poolId],
        clock: work.now,
        remainingTimeMs: SLICE_SAFETY_MARGIN_MS + 40 * work.msPerCall,
        sweep: sweepDevices,
        engineOptions: {
          clientFor,
          baseQuotas: { UserList: 30 * TIME_SCALE, UserResourceRead: 50 * TIME_SCALE, UserResourceUpdate: 25 * TIME_SCALE },
        },
      });
      progress = outcome.progress;
    } while (!progress.done);
    return progress;
  }

  const sfn = fakeSfn((command, input) => {
    switch (command) {
      case 'StartExecutionCommand': {
        expect(input.stateMachineArn).toEqual(STATE_MACHINE_ARN);
        const executionArn = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${input.name}`;
        const execution: Execution = { startDate: new Date(), run: runLoop(JSON.parse(input.input as string)) };
        execution.run = execution.run.then((output) => (execution.output = output), (error: Error) => {
          // The slice's errors the state machine does not retry end the run FAILED; Step Functions reports
          // the Lambda's errorType as the error and its error payload (JSON) as the cause.
          if (!['SliceInputError', 'SweepSystemicError'].includes(error.name)) throw error;
          execution.failure = { error: error.name, cause: JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: ['at runSlice (slice-logic.ts)'] }) };
          return undefined as unknown as SweepRunProgress;
        });
        executions.set(executionArn, execution);
        order.unshift(executionArn);
        return { executionArn, startDate: execution.startDate };
      }
      case 'DescribeExecutionCommand': {
        const execution = executions.get(input.executionArn as string)!;
        if (execution.failure) {
          return { executionArn: input.executionArn, status: 'FAILED', startDate: execution.startDate, ...execution.failure };
        }
        return execution.output ?
          { executionArn: input.executionArn, status: 'SUCCEEDED', startDate: execution.startDate, output: JSON.stringify(execution.output) } :
          { executionArn: input.executionArn, status: 'RUNNING', startDate: execution.startDate };
      }
      case 'ListExecutionsCommand':
        return { executions: order.slice(0, 1).map((executionArn) => ({ executionArn })) };
      default:
        throw new Error(`unexpected ${command}`);
    }
  });
  return { sfn, executions };
}

/** Plays one CloudFormation event through the Provider framework: onEvent, then isComplete until complete. */
async function deploy(workflow: ReturnType<typeof localWorkflow>, event: PurgeEvent & object) {
  const deps = { sfn: workflow.sfn.client, logger: log.logger };
  const started: OnEventResult = await createOnEventHandler(deps)(event);
  const isComplete = createIsCompleteHandler(deps);
  const poll: IsCompleteEvent = { ...event, ...started };
  let answer = await isComplete(poll);
  for (const execution of workflow.executions.values()) {
    await execution.run; // instead of the Provider's 5-second waits
  }
  if (!answer.IsComplete) {
    answer = await isComplete(poll);
  }
  expect(answer.IsComplete).toBe(true);
  return { physicalResourceId: started.PhysicalResourceId, data: { ...started.Data, ...answer.Data } };
}

test('CREATE forgets exactly the stale devices, an unchanged UPDATE forgets nothing more, a new generation purges again', async () => {
  const now = new Date();
  const poolId = sim.seedPool({ region: REGION, users: 80, devicesPerUser: { min: 0, max: 4 }, maxAgeDays: 90, now });
  const before = sim.allDevices(poolId);
  const isStale = (device: SimDevice) => isStaleAt(device, now.getTime(), (30 * DAY_MS) / 1000);
  const stale = before.filter(({ device }) => isStale(device)).map(({ device }) => device.DeviceKey).sort();
  expect(stale.length).toBeGreaterThan(20);
  expect(stale.length).toBeLessThan(before.length);

  const workflow = localWorkflow(poolId);
  const staleProperties = deployedProperties(poolId, PurgeSelection.staleDevices(Duration.days(30)), '1');
  const common = { ResponseURL: 'https://example.com/presigned', StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/App/1', LogicalResourceId: 'Purge' };

  // CREATE: the run takes several slices and forgets the stale devices only.
  const created = await deploy(workflow, { ...common, RequestType: 'Create', RequestId: 'req-create', ResourceProperties: staleProperties });
  const after = sim.allDevices(poolId).map(({ device }) => device.DeviceKey).sort();
  expect(after).toEqual(before.map(({ device }) => device.DeviceKey).filter((key) => !stale.includes(key)).sort());
  expect(created.data).toMatchObject({
    usersScanned: '80',
    devicesScanned: String(before.length),
    devicesStale: String(stale.length),
    devicesForgotten: String(stale.length),
    devicesAlreadyGone: '0',
    errors: '0',
  });
  const run = [...workflow.executions.values()][0].output!;
  expect(run.slices).toBeGreaterThan(1);

  // UPDATE with nothing purge-relevant changed: no run, the same counts reported again.
  const unchanged = await deploy(workflow, {
    ...common,
    RequestType: 'Update',
    RequestId: 'req-update-1',
    PhysicalResourceId: created.physicalResourceId,
    ResourceProperties: { ...staleProperties, WaitLimitSeconds: '600' },
    OldResourceProperties: staleProperties,
  });
  expect(workflow.executions.size).toBe(1);
  expect(unchanged.data).toEqual(created.data);
  expect(sim.allDevices(poolId)).toHaveLength(after.length);

  // UPDATE with a new generation and a users selection: every device of those users goes.
  const targets = [...new Set(sim.allDevices(poolId).map(({ username }) => username))].slice(0, 3);
  const usersProperties = deployedProperties(poolId, PurgeSelection.users(targets), '2');
  const targetDevices = sim.allDevices(poolId).filter(({ username }) => targets.includes(username)).length;
  expect(targetDevices).toBeGreaterThanOrEqual(3);
  const updated = await deploy(workflow, {
    ...common,
    RequestType: 'Update',
    RequestId: 'req-update-2',
    PhysicalResourceId: created.physicalResourceId,
    ResourceProperties: usersProperties,
    OldResourceProperties: staleProperties,
  });
  expect(updated.physicalResourceId).toEqual(created.physicalResourceId);
  expect(workflow.executions.size).toBe(2);
  expect(updated.data).toMatchObject({ devicesForgotten: String(targetDevices) });
  expect(sim.allDevices(poolId).filter(({ username }) => targets.includes(username))).toEqual([]);
  expect(sim.allDevices(poolId)).toHaveLength(after.length - targetDevices);
});

describe('a purge that cannot succeed fails the deployment with the one line that says why', () => {
  const common = { ResponseURL: 'https://example.com/presigned', StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/App/1', LogicalResourceId: 'Purge' };

  /** CREATE through onEvent and isComplete; the reason CloudFormation would show. */
  async function failedCreate(workflow: ReturnType<typeof localWorkflow>, poolId: string): Promise<string> {
    const deps = { sfn: workflow.sfn.client, logger: log.logger };
    const event = { ...common, RequestType: 'Create' as const, RequestId: `req-${poolId}`, ResourceProperties: deployedProperties(poolId, PurgeSelection.allDevices(), '1') };
    const started = await createOnEventHandler(deps)(event);
    for (const execution of workflow.executions.values()) await execution.run;
    const error = await createIsCompleteHandler(deps)({ ...event, ...started }).then(() => undefined, (e: Error) => e);
    expect(error?.name).toBe('PurgeRunError');
    return error!.message;
  }

  test('a user pool that does not exist', async () => {
    const missing = 'eu-west-1_NoSuchPool9';
    const reason = await failedCreate(localWorkflow(missing), missing);
    expect(reason).toMatch(new RegExp('^Device purge run FAILED: SweepSystemicError: user pool eu-west-1_NoSuchPool9 does not exist in Region eu-west-1 ' +
      '\\(ListUsers: ResourceNotFoundException\\); check the pool id and the Region \\(execution arn:aws:states:'));
  });

  test('an endpoint that cannot be reached', async () => {
    const poolId = sim.seedPool({ region: REGION, users: 5 });
    const port = await closedPort();
    const unreachable = (region: string) => new CognitoIdentityProviderClient({
      region, endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 2,
    });
    const reason = await failedCreate(localWorkflow(poolId, unreachable), poolId);
    expect(reason).toMatch(/^Device purge run FAILED: SweepSystemicError: the Cognito endpoint for Region eu-west-1 cannot be reached \(ECONNREFUSED: .*\); check the network/);
    expect(reason).not.toContain('trace');
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
