/**
 * The deployed code, one row per (handler entry, stack that deploys it): the IAM suite checks every
 * AWS call each row makes against the role the stack gives the function, and the Node 24 suite runs
 * the same rows on Node 24. A new handler is one more row: its entry, a stack, and the events that
 * drive it through each AWS call it can make.
 */
import { DeployedFunction, deliveredProperties, functionsRunning, Invocation, invoke } from './deployed-function';
import { cleanupStack, purgeStack, revocationStack, SynthesizedStack } from './stacks';
import { createTables, World } from './world';
import type { RecordedRequest } from '../iam/aws-gateway';
import { TemplateResolver } from '../iam/template-resolver';

/** What a row's `exercise` gets: the function, and a way to run it. */
export interface Exercise {
  readonly world: World;
  readonly resolver: TemplateResolver;
  readonly fn: DeployedFunction;
  readonly userPoolId: string;
  /** Runs the handler once with `event`; fails the test when it throws unless `mayThrow`. */
  run(event: unknown, options?: { mayThrow?: boolean; remainingTimeMs?: number }): Promise<Invocation>;
}

export interface DeployedEntry {
  /** The handler's source, as projen's `*.lambda.ts` discovery names it. */
  readonly entry: string;
  /** The stack whose template deploys it. */
  readonly stack: () => SynthesizedStack;
  /** Every IAM action `exercise` makes it call: the IAM suite fails when a call goes missing or a new one appears. */
  readonly actions: string[];
  /** Drives the handler through every AWS call it makes, checking its answers. */
  readonly exercise: (x: Exercise) => Promise<void>;
}

const SLICE = 'src/workflow/runtime/slice.lambda.ts';
const ON_EVENT = 'src/purge/runtime/on-event.lambda.ts';
const IS_COMPLETE = 'src/purge/runtime/is-complete.lambda.ts';
const REVOKE = 'src/revocation/runtime/revoke.lambda.ts';

/** The sweep input a stack starts its workflow with: the schedule's target input, or the purge's config. */
function sweepInput(resolver: TemplateResolver): unknown {
  for (const resource of Object.values(resolver.template.Resources)) {
    if (resource.Type === 'AWS::Scheduler::Schedule') return JSON.parse(resolver.resolve(resource.Properties.Target.Input));
    if (resource.Type === 'Custom::CognitoDevicePurge') return { config: JSON.parse(resolver.resolve(resource.Properties.Config)) };
  }
  throw new Error('the stack starts no sweep');
}

function purgeResourceId(resolver: TemplateResolver): string {
  return Object.entries(resolver.template.Resources).find(([, r]) => r.Type === 'Custom::CognitoDevicePurge')![0];
}

/** A custom resource event as the Provider framework hands it on. */
function purgeEvent(resolver: TemplateResolver, requestType: 'Create' | 'Update' | 'Delete', requestId: string, extra: object = {}) {
  const logicalId = purgeResourceId(resolver);
  const properties = deliveredProperties(resolver, logicalId);
  return {
    RequestType: requestType,
    RequestId: requestId,
    ServiceToken: properties.ServiceToken,
    ResponseURL: 'https://cloudformation-custom-resource-response-euwest1.s3.eu-west-1.amazonaws.com/x?X-Amz-Signature=s',
    StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Deployed/1',
    LogicalResourceId: logicalId,
    ResourceType: 'Custom::CognitoDevicePurge',
    ResourceProperties: properties,
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: `cognito-device-purge/${requestId}` }),
    ...(requestType === 'Update' ? { OldResourceProperties: properties } : {}),
    ...extra,
  };
}

async function exerciseSlice(x: Exercise): Promise<void> {
  const before = x.world.sim.allDevices(x.userPoolId).length;
  const { result } = await x.run({ ...(sweepInput(x.resolver) as object), progress: null });
  expect(result).toMatchObject({ done: true, capped: false });
  expect(result.totals[0]).toMatchObject({ userPoolId: x.userPoolId, errors: 0 });
  expect(result.totals[0].devicesForgotten).toBeGreaterThan(0);
  expect(x.world.sim.allDevices(x.userPoolId).length).toBe(before - result.totals[0].devicesForgotten);
}

async function exerciseOnEvent(x: Exercise): Promise<void> {
  const created = (await x.run(purgeEvent(x.resolver, 'Create', 'create-1'))).result;
  expect(created).toMatchObject({ PurgeAction: 'start', ExecutionArn: expect.stringContaining(':execution:') });
  expect(x.world.sfn.executions.get(created.ExecutionArn)?.status).toBe('RUNNING');
  // The same properties again: nothing new to purge, the last run is reported (ListExecutions).
  const updated = (await x.run(purgeEvent(x.resolver, 'Update', 'create-1'))).result;
  expect(updated).toMatchObject({ PurgeAction: 'report-last', ExecutionArn: created.ExecutionArn });
  const deleted = (await x.run(purgeEvent(x.resolver, 'Delete', 'create-1'))).result;
  expect(deleted).toMatchObject({ PurgeAction: 'start' });
  expect(deleted.ExecutionArn).not.toBe(created.ExecutionArn);
}

async function exerciseIsComplete(x: Exercise): Promise<void> {
  const stateMachineArn = deliveredProperties(x.resolver, purgeResourceId(x.resolver)).StateMachineArn as string;
  const start = (name: string) => (x.world.sfn.answer('StartExecution', { stateMachineArn, name, input: '{}' }) as { executionArn: string }).executionArn;

  const running = start('purge-create-a');
  const poll = (arn: string, type: 'Create' | 'Update' = 'Create', action = 'start') =>
    x.run(purgeEvent(x.resolver, type, 'a', { PurgeAction: action, ExecutionArn: arn }), { mayThrow: true });
  expect((await poll(running)).result).toEqual({ IsComplete: false });
  x.world.sfn.finish(running, { done: true, capped: false, totals: [{ userPoolId: x.userPoolId, devicesForgotten: 3 }] });
  expect((await poll(running)).result).toMatchObject({ IsComplete: true, Data: expect.objectContaining({ devicesForgotten: '3' }) });
  expect((await poll(running, 'Update', 'report-last')).result).toMatchObject({ IsComplete: true });

  // A run past the wait limit is stopped (StopExecution) and the deployment fails with the reason.
  const late = start('purge-create-b');
  x.world.sfn.backdate(late, 7200);
  const stopped = await poll(late);
  expect(stopped.error?.message).toMatch(/did not finish within/);
  expect(x.world.sfn.executions.get(late)?.status).toBe('ABORTED');
}

/**
 * An SQS batch of direct messages: one by username, one by a local user's sub (taken as the
 * Username), one by a federated user's sub (looked up with ListUsers, since Cognito takes only a
 * local user's sub as the Username).
 */
async function exerciseRevoke(x: Exercise): Promise<void> {
  const [byName, bySub] = x.world.sim.usersOf(x.userPoolId);
  x.world.sim.addUser(x.userPoolId, { username: 'Google_revoked1', status: 'EXTERNAL_PROVIDER' });
  const federated = x.world.sim.usersOf(x.userPoolId).find((u) => u.username === 'Google_revoked1')!;
  const record = (id: string, body: object) => ({
    messageId: id, receiptHandle: id, body: JSON.stringify(body), attributes: {}, messageAttributes: {},
  });
  const { result } = await x.run({
    Records: [
      record('m1', { userPoolId: x.userPoolId, username: byName.username }),
      record('m2', { userPoolId: x.userPoolId, sub: bySub.sub }),
      record('m3', { userPoolId: x.userPoolId, sub: federated.sub }),
    ],
  });
  expect(result).toEqual({ batchItemFailures: [] });
  expect(x.world.sim.devicesOf(x.userPoolId, byName.username)).toHaveLength(0);
  expect(x.world.sim.devicesOf(x.userPoolId, bySub.username)).toHaveLength(0);
}

export const DEPLOYED_ENTRIES: DeployedEntry[] = [
  {
    entry: SLICE,
    stack: cleanupStack,
    // DescribeUserPool: the first slice asks each pool's estimated users, for the time-left estimates.
    actions: [
      'cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice', 'cognito-idp:DescribeUserPool',
      'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem',
    ],
    exercise: exerciseSlice,
  },
  // followAccountUsage's cloudwatch:GetMetricData is not among the calls: the engine polls usage once a
  // minute, longer than a test slice runs. statement-catalog.test.ts checks that statement.
  {
    entry: SLICE,
    stack: purgeStack,
    actions: ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice', 'cognito-idp:DescribeUserPool'],
    exercise: exerciseSlice,
  },
  { entry: ON_EVENT, stack: purgeStack, actions: ['states:StartExecution', 'states:ListExecutions'], exercise: exerciseOnEvent },
  { entry: IS_COMPLETE, stack: purgeStack, actions: ['states:DescribeExecution', 'states:StopExecution'], exercise: exerciseIsComplete },
  {
    entry: REVOKE,
    stack: revocationStack,
    actions: ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice'],
    exercise: exerciseRevoke,
  },
];

/** Runs `row` on `world`: seeds a pool, synthesizes the stack around it, runs each function of the entry. */
export async function runEntry(
  world: World, row: DeployedEntry, node?: string,
): Promise<{ functions: DeployedFunction[]; resolver: TemplateResolver; nodeVersions: Set<string>; requests: RecordedRequest[] }> {
  const firstRequest = world.gateway.requests.length;
  const userPoolId = world.sim.seedPool({ region: 'eu-west-1', users: 8, devicesPerUser: 2, maxAgeDays: 365 });
  const { template, userPoolLogicalId } = row.stack();
  const resolver = new TemplateResolver(template, { [userPoolLogicalId]: userPoolId });
  await createTables(world, resolver);
  const functions = functionsRunning(resolver, row.entry);
  if (functions.length === 0) throw new Error(`no function of the stack runs ${row.entry}`);
  const nodeVersions = new Set<string>();
  for (const fn of functions) {
    await row.exercise({
      world,
      resolver,
      fn,
      userPoolId,
      run: async (event, options = {}) => {
        const invocation = await invoke(fn, { node, endpoint: world.gateway.endpoint, event, remainingTimeMs: options.remainingTimeMs });
        nodeVersions.add(invocation.node);
        if (invocation.error && !options.mayThrow) {
          throw new Error(`${row.entry} threw ${invocation.error.name}: ${invocation.error.message}\n${invocation.logs}`);
        }
        return invocation;
      },
    });
  }
  // This row's requests only: rows of the same stack share logical ids (and so callers).
  return { functions, resolver, nodeVersions, requests: world.gateway.requests.slice(firstRequest) };
}
