import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import jsonata from 'jsonata';
import { stateMachineDefinition } from './definition';
import { resolveSweepPools } from '../../src/private/sweep-pools';
import { INLINE_MAP_MAX_DOMAINS } from '../../src/workflow/domain-map';
import { SweepWorkflow, SweepWorkflowProps } from '../../src/workflow/sweep-workflow';
import { nagFindings } from '../util/nag';
import { appOf, newStack, TEST_ACCOUNT } from '../util/stack';

const ACCOUNT = TEST_ACCOUNT;
const FOREIGN_POOL_ARN = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_Foreign1`;

function build(props: Partial<SweepWorkflowProps> & { userPools?: cognito.IUserPool[] } = {}) {
  const stack = newStack();
  const app = appOf(stack);
  const owned = new cognito.UserPool(stack, 'Owned');
  const foreign = cognito.UserPool.fromUserPoolArn(stack, 'Foreign', FOREIGN_POOL_ARN);
  const workflow = new SweepWorkflow(stack, 'Workflow', {
    pools: resolveSweepPools(stack, props.userPools ?? [owned, foreign]),
    maxConcurrentDomains: 10,
    toleratedDomainFailures: 0,
    readProvisionedLimits: false,
    dryRun: false,
    sweepName: 'my-sweep',
    timeout: Duration.hours(2),
    ...props,
  });
  return { app, stack, workflow, template: Template.fromStack(stack), owned };
}

function baseProps(stack: Stack, userPools: cognito.IUserPool[]): SweepWorkflowProps {
  return {
    pools: resolveSweepPools(stack, userPools),
    maxConcurrentDomains: 10,
    toleratedDomainFailures: 0,
    readProvisionedLimits: false,
    dryRun: false,
    sweepName: 'x',
    timeout: Duration.hours(2),
  };
}

/** The literal StateMachineName in the template (the construct fixes it at synth time). */
function stateMachineName(template: Template): string {
  return Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0].Properties.StateMachineName;
}

function policyStatements(template: Template, roleLogicalIdPrefix: string): any[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy');
  const statements: any[] = [];
  for (const policy of Object.values(policies)) {
    const roles = JSON.stringify(policy.Properties.Roles);
    if (roles.includes(roleLogicalIdPrefix)) {
      statements.push(...policy.Properties.PolicyDocument.Statement);
    }
  }
  return statements;
}

/** A JSONata state's Output (an object of `{% %}` fields) as Step Functions evaluates it, with the given variables. */
async function evaluateOutput(template: unknown, variables: Record<string, unknown>): Promise<unknown> {
  if (typeof template === 'string') {
    const match = /^\{%(.*)%\}$/s.exec(template);
    return match ? jsonata(match[1]).evaluate({}, variables) : template;
  }
  if (template === null || typeof template !== 'object') return template;
  const entries = await Promise.all(Object.entries(template).map(async ([k, v]) => [k, await evaluateOutput(v, variables)]));
  return Object.fromEntries(entries);
}

describe('SweepWorkflow slice function', () => {
  test('runs Node 22 for one 15-minute slice at a time, traced, logging JSON to its own log group', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Timeout: 900,
      MemorySize: 1024,
      // One slice per quota domain at a time, at most one per pool.
      ReservedConcurrentExecutions: 2,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        LogGroup: { Ref: Match.stringLikeRegexp('^WorkflowSliceLogs') },
      }),
    });
  });

  test('gets the allow-list of pool ids and the sweep name in its environment', () => {
    const { template, owned, stack } = build();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ALLOWED_USER_POOL_IDS: {
            'Fn::Join': ['', [{ Ref: stack.getLogicalId(owned.node.defaultChild as cognito.CfnUserPool) }, ',us-east-1_Foreign1']],
          },
          SWEEP_NAME: 'my-sweep',
          POWERTOOLS_METRICS_NAMESPACE: 'CognitoDeviceSweep',
        }),
      },
    });
  });

  test('may sweep exactly the given pools, nothing else of Cognito', () => {
    const { template, owned, stack } = build();
    const statements = policyStatements(template, 'WorkflowSliceRole');
    const cognitoStatements = statements.filter((s) => JSON.stringify(s.Action).includes('cognito-idp'));
    expect(cognitoStatements).toEqual([
      // The pools' estimated user counts, for the progress's time-left estimates.
      {
        Effect: 'Allow',
        Action: 'cognito-idp:DescribeUserPool',
        Resource: [{ 'Fn::GetAtt': [stack.getLogicalId(owned.node.defaultChild as cognito.CfnUserPool), 'Arn'] }, FOREIGN_POOL_ARN],
      },
      {
        Effect: 'Allow',
        Action: ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice'],
        Resource: [{ 'Fn::GetAtt': [stack.getLogicalId(owned.node.defaultChild as cognito.CfnUserPool), 'Arn'] }, FOREIGN_POOL_ARN],
      },
    ]);
  });

  test('a dry-run workflow can only read devices', () => {
    const { template } = build({ dryRun: true });
    const actions = policyStatements(template, 'WorkflowSliceRole').flatMap((s) => [s.Action].flat());
    // Exactly the Cognito calls of a dry-run sweep (ListUsers, AdminListDevices) and the pools'
    // size for progress (DescribeUserPool); no AdminGetDevice, no write.
    expect(actions.filter((action: string) => action.startsWith('cognito-idp:')).sort()).toEqual([
      'cognito-idp:AdminListDevices', 'cognito-idp:DescribeUserPool', 'cognito-idp:ListUsers',
    ]);
  });

  test('grants "*" only for actions without a resource type', () => {
    const { template } = build();
    const wildcardActions = ['WorkflowSliceRole', 'WorkflowStateMachineRole']
      .flatMap((role) => policyStatements(template, role))
      .filter((s) => [s.Resource].flat().includes('*'))
      .flatMap((s) => [s.Action].flat());
    expect(wildcardActions.length).toBeGreaterThan(0);
    for (const action of wildcardActions) {
      expect(action).toMatch(/^(xray:|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$)/);
    }
  });

  test('has no inline policies: grants live in managed policies of the roles', () => {
    const { template } = build();
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 2);
  });
});

describe('SweepWorkflow state machine', () => {
  test('is a traced Standard state machine with a fixed name, the given timeout and logs of every event', () => {
    const { template } = build({ timeout: Duration.hours(5) });
    expect(stateMachineName(template)).toMatch(/^StackWorkflow[0-9A-F]{8}$/);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkflowStateMachineLogs'), 'Arn'] } } }],
      },
    });
    const definition = stateMachineDefinition(template);
    expect(definition.TimeoutSeconds).toBe(5 * 3600);
    expect(definition.QueryLanguage).toBe('JSONata');
  });

  test('first skips the run when another execution of the same state machine is running', () => {
    const { template, stack } = build();
    const definition = stateMachineDefinition(template);
    const name = stateMachineName(template);
    const ownArn = `arn:\${AWS::Partition}:states:eu-west-1:${ACCOUNT}:stateMachine:${name}`;

    expect(definition.StartAt).toBe('FindOtherRuns');
    const find = definition.States.FindOtherRuns;
    expect(find.Resource).toBe('arn:${AWS::Partition}:states:::aws-sdk:sfn:listExecutions');
    expect(find.Arguments).toEqual({ StateMachineArn: ownArn, StatusFilter: 'RUNNING' });
    expect(find.Assign.otherRuns).toContain('ExecutionArn != $states.context.Execution.Id');
    expect(find.Next).toBe('AnotherRunInProgress?');

    const guard = definition.States['AnotherRunInProgress?'];
    expect(guard.Choices).toEqual([{ Condition: '{% $otherRuns > 0 %}', Next: 'Skipped' }]);
    expect(guard.Default).toBe('Plan');
    expect(definition.States.Skipped).toMatchObject({ Type: 'Succeed', Output: { done: false, skipped: true } });

    // The role may list the executions of this state machine only.
    const list = policyStatements(template, 'WorkflowStateMachineRole').find((s) => s.Action === 'states:ListExecutions');
    expect(stack.resolve(list.Resource)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:eu-west-1:${ACCOUNT}:stateMachine:${name}`]],
    });
  });

  test('plans the quota domains, sweeps each in its own loop under a Map, and merges their outcomes', () => {
    const definition = stateMachineDefinition(build().template);
    const plan = definition.States.Plan;
    expect(plan.Resource).toBe('arn:${AWS::Partition}:states:::lambda:invoke');
    expect(plan.Arguments.FunctionName).toMatch(/^\$\{WorkflowSliceFunction[0-9A-F]+\.Arn\}$/);
    expect(plan.Arguments.Payload).toEqual({
      action: 'plan', config: '{% $config %}', run: { executionName: '{% $states.context.Execution.Name %}' },
    });
    expect(plan.Assign).toEqual({ plan: '{% $states.result.Payload %}' });
    expect(plan.Next).toBe('Domains');

    const map = definition.States.Domains;
    expect(map).toMatchObject({
      Type: 'Map',
      Items: '{% $plan.domains %}',
      MaxConcurrency: 10,
      Next: 'Merge',
      // Everything an iteration needs comes with its item: a Distributed Map's child cannot read the run's variables.
      ItemSelector: {
        domain: '{% $states.context.Map.Item.Value.domain %}',
        config: '{% $states.context.Map.Item.Value.config %}',
        executionName: '{% $states.context.Execution.Name %}',
      },
    });
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
    const loop = map.ItemProcessor.States;
    expect(map.ItemProcessor.StartAt).toBe('StartDomain');
    expect(loop.StartDomain.Assign).toEqual({
      domain: '{% $states.input.domain %}',
      config: '{% $states.input.config %}',
      executionName: '{% $states.input.executionName %}',
      progress: '{% null %}',
    });
    expect(loop.Slice.Arguments.Payload).toEqual({
      config: '{% $config %}',
      progress: '{% $progress %}',
      // The audit trail's run id and object keys: the same for every slice and retry of the execution.
      run: { executionName: '{% $executionName %}' },
      domain: '{% $domain %}',
    });
    expect(loop.Slice.Assign).toEqual({ progress: '{% $states.result.Payload %}' });
    expect(loop.Slice.Next).toBe('DomainDone?');
    expect(loop['DomainDone?'].Choices).toEqual([
      { Condition: '{% $exists($progress.stopped) %}', Next: 'DomainStopped' },
      { Condition: '{% $progress.done %}', Next: 'DomainFinished' },
    ]);
    // A slice that returned `stopped` (an error no retry can fix) ends the domain failed, with what it did.
    expect(loop.DomainStopped).toMatchObject({
      Type: 'Pass', Output: { domain: '{% $domain %}', failed: '{% $progress.stopped %}', partial: '{% $progress %}' }, End: true,
    });
    expect(loop['DomainDone?'].Default).toBe('Slice');
    expect(loop.DomainFinished).toMatchObject({ Type: 'Pass', Output: { domain: '{% $domain %}', progress: '{% $progress %}' }, End: true });
    // A domain's failure (after the retries) is its outcome, not the run's end: the other domains go on.
    expect(loop.Slice.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'DomainFailed' }]);
    expect(loop.DomainFailed).toMatchObject({
      Type: 'Pass',
      Output: {
        domain: '{% $domain %}',
        failed: { error: '{% $states.input.Error %}', cause: '{% $states.input.Cause %}' },
        partial: '{% $progress %}',
      },
      End: true,
    });

    const merge = definition.States.Merge;
    expect(merge.Arguments.Payload).toEqual({
      action: 'merge', config: '{% $config %}', results: '{% $states.input %}', toleratedDomainFailures: 0,
    });
    expect(merge.Assign).toEqual({ output: '{% $states.result.Payload %}' });
    expect(definition.States['TooManyDomainsFailed?']).toEqual({
      Type: 'Choice',
      Choices: [{ Condition: '{% $output.runFailed %}', Next: 'DomainsFailed' }],
      Default: 'Finished',
    });
    expect(definition.States.DomainsFailed).toMatchObject({ Type: 'Fail', Error: 'DomainsFailed', Cause: '{% $output.failure %}' });
    expect(definition.States.Finished).toEqual({ Type: 'Succeed', Output: '{% $output %}' });
  });

  test('the run fails exactly when the merge says so, with its failure line as the cause; the tolerance goes to the merge', async () => {
    const definition = stateMachineDefinition(build({ toleratedDomainFailures: 2 }).template);
    const condition: string = definition.States['TooManyDomainsFailed?'].Choices[0].Condition;
    const expression = jsonata(condition.replace(/^\{%|%\}$/g, ''));
    expect(await expression.evaluate({}, { output: { runFailed: true, failedDomains: [{}, {}, {}] } })).toBe(true);
    expect(await expression.evaluate({}, { output: { runFailed: false, failedDomains: [{}, {}] } })).toBe(false);
    const cause = jsonata(definition.States.DomainsFailed.Cause.replace(/^\{%|%\}$/g, ''));
    expect(await cause.evaluate({}, { output: { failure: '3 of 8 quota domains failed: ...' } })).toBe('3 of 8 quota domains failed: ...');
    expect(definition.States.Merge.Arguments.Payload.toleratedDomainFailures).toBe(2);
  });

  test('a failed domain\'s outcome carries its last progress before the failure (null when no slice succeeded)', async () => {
    const definition = stateMachineDefinition(build().template);
    const failed = definition.States.Domains.ItemProcessor.States.DomainFailed;
    const domain = { key: '/eu-west-1', region: 'eu-west-1' };
    // The Catch hands the error to DomainFailed; the failed Slice assigned nothing, so $progress is the last success's.
    const error = { Error: 'SweepSystemicError', Cause: '{"errorType":"SweepSystemicError","errorMessage":"pool deleted"}' };
    const progress = { done: false, cursor: 'c2', capped: false, totals: [{ userPoolId: 'eu-west-1_A', devicesForgotten: 7 }], slices: 2 };
    expect(await evaluateOutput(failed.Output, { domain, progress, states: { input: error } })).toEqual({
      domain,
      failed: { error: error.Error, cause: error.Cause },
      partial: progress,
    });
    // StartDomain's null: the loop failed before any slice succeeded.
    expect(await evaluateOutput(failed.Output, { domain, progress: null, states: { input: error } })).toEqual({
      domain,
      failed: { error: error.Error, cause: error.Cause },
      partial: null,
    });
  });

  test('a domain whose slice stopped leaves the loop at once, failed, its partial that slice\'s progress; other progresses go on or finish', async () => {
    const loop = stateMachineDefinition(build().template).States.Domains.ItemProcessor.States;
    const choose = async (progress: unknown): Promise<string> => {
      for (const choice of loop['DomainDone?'].Choices) {
        if (await jsonata(choice.Condition.replace(/^\{%|%\}$/g, '')).evaluate({}, { progress })) return choice.Next;
      }
      return loop['DomainDone?'].Default;
    };
    const domain = { key: '/eu-west-1', region: 'eu-west-1' };
    const stop = { error: 'SweepSystemicError', cause: 'cognito-idp:ListUsers denied on user pool eu-west-1_A ...' };
    const stopped = { done: false, cursor: 'c3', capped: false, totals: [{ userPoolId: 'eu-west-1_B', devicesForgotten: 4 }], slices: 3, stopped: stop };
    expect(await choose(stopped)).toBe('DomainStopped');
    expect(await choose({ ...stopped, stopped: undefined })).toBe('Slice');
    expect(await choose({ done: true, capped: false, totals: [], slices: 1 })).toBe('DomainFinished');
    expect(await evaluateOutput(loop.DomainStopped.Output, { domain, progress: stopped })).toEqual({ domain, failed: stop, partial: stopped });
  });

  test('over more pools than an inline Map\'s history allows, the domains run as Standard child executions of a Distributed Map', () => {
    const stack = newStack();
    const pools = Array.from({ length: INLINE_MAP_MAX_DOMAINS + 1 }, (_, i) =>
      cognito.UserPool.fromUserPoolArn(stack, `Pool${i}`, `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_Pool${i}`));
    new SweepWorkflow(stack, 'Workflow', { ...baseProps(stack, pools), maxConcurrentDomains: 4 });
    const template = Template.fromStack(stack);
    const map = stateMachineDefinition(template).States.Domains;
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.MaxConcurrency).toBe(4);
    expect(map.ItemProcessor.States.Slice.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'DomainFailed' }]);
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 4 });
    // The state machine may start, watch, stop and redrive its own executions, nothing else, from its managed policy.
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const name = stateMachineName(template);
    const own = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:eu-west-1:${ACCOUNT}:${resource}`]] });
    const statements = policyStatements(template, 'WorkflowStateMachineRole').filter((st) => /states:(Start|Describe|Stop|Redrive)/.test(JSON.stringify(st.Action)));
    expect(stack.resolve(statements)).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: own(`stateMachine:${name}`) },
      { Effect: 'Allow', Action: ['states:DescribeExecution', 'states:StopExecution'], Resource: own(`execution:${name}:*`) },
      { Effect: 'Allow', Action: 'states:RedriveExecution', Resource: own(`execution:${name}/QuotaDomains:*`) },
    ]);
    const app = appOf(stack);
    expect(nagFindings(app).filter((finding) => finding.path.startsWith('Stack/Workflow/'))).toEqual([]);
  });

  test('retries throttled and failed invocations with backoff, but not refused input nor a sweep stopped by a systemic error', () => {
    const definition = stateMachineDefinition(build().template);
    const invocations = [definition.States.Plan, definition.States.Domains.ItemProcessor.States.Slice, definition.States.Merge];
    for (const retries of invocations.map((state) => state.Retry) as any[][]) {
      const retrierOf = (error: string) => retries.find((r) => r.ErrorEquals.includes(error));
      expect(retrierOf('SliceInputError')).toEqual({ ErrorEquals: ['SliceInputError', 'SweepSystemicError'], MaxAttempts: 0 });
      expect(retrierOf('SweepSystemicError')).toBe(retrierOf('SliceInputError'));
      // Both must be matched before the catch-all States.TaskFailed retrier (Step Functions takes the first match).
      expect(retries.indexOf(retrierOf('SweepSystemicError'))).toBeLessThan(retries.indexOf(retrierOf('States.TaskFailed')));
      expect(retrierOf('Lambda.TooManyRequestsException')).toMatchObject({ MaxAttempts: 8, BackoffRate: 2, JitterStrategy: 'FULL' });
      expect(retrierOf('Lambda.ServiceException')).toMatchObject({ MaxAttempts: 6, BackoffRate: 2 });
      expect(retrierOf('States.TaskFailed')).toMatchObject({ MaxAttempts: 2 });
    }
  });

  test('invokes the slice function and nothing else', () => {
    const { template, workflow, stack } = build();
    const functionId = stack.getLogicalId(workflow.sliceFunction.node.defaultChild as lambda.CfnFunction);
    const invoke = policyStatements(template, 'WorkflowStateMachineRole').filter((s) => JSON.stringify(s.Action).includes('lambda:'));
    expect(invoke).toEqual([{
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: [
        { 'Fn::GetAtt': [functionId, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [functionId, 'Arn'] }, ':*']] },
      ],
    }]);
  });
});

describe('SweepWorkflow logs', () => {
  test('keep both log groups a year by default', () => {
    const { template } = build();
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 365 }, 2);
  });

  test('use the given retention and key', () => {
    const stack = newStack({ agnostic: true });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new SweepWorkflow(stack, 'Workflow', {
      ...baseProps(stack, [new cognito.UserPool(stack, 'Pool')]),
      logRetention: logs.RetentionDays.ONE_MONTH,
      logEncryptionKey: key,
    });
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Logs::LogGroup', {
      RetentionInDays: 30,
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
    }, 2);
  });

  test('the state machine log group is a vended-logs group named after the state machine and the stack instance', () => {
    const { template } = build();
    // The stack id's UUID part: a stack deployed again after deletion gets a new name, so a
    // retained group of the deleted stack cannot make the deployment fail with "already exists".
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: {
        'Fn::Join': ['', [
          `/aws/vendedlogs/states/${stateMachineName(template)}-`,
          { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
        ]],
      },
    });
  });

  test('no log group has a name that is the same for every instance of the stack', () => {
    const { template } = build();
    for (const logGroup of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(typeof logGroup.Properties.LogGroupName).not.toBe('string');
    }
  });

  test('log groups are retained by default, and logRemovalPolicy changes that for both', () => {
    const retained = build().template;
    expect(Object.values(retained.findResources('AWS::Logs::LogGroup')).map((r) => r.DeletionPolicy))
      .toEqual(['Retain', 'Retain']);
    const destroyed = build({ logRemovalPolicy: RemovalPolicy.DESTROY }).template;
    expect(Object.values(destroyed.findResources('AWS::Logs::LogGroup')).map((r) => [r.DeletionPolicy, r.UpdateReplacePolicy]))
      .toEqual([['Delete', 'Delete'], ['Delete', 'Delete']]);
  });
});

describe('SweepWorkflow validation', () => {
  test('refuses an empty pool list', () => {
    const stack = newStack({ agnostic: true });
    expect(() => new SweepWorkflow(stack, 'Workflow', baseProps(stack, [])))
      .toThrow(/userPools is empty/);
  });
});

describe('SweepWorkflow cdk-nag', () => {
  test('passes the six built-in packs (only the pool itself is left to its owner)', () => {
    const { app } = build();
    const mine = nagFindings(app).filter((finding) => finding.path.startsWith('Stack/Workflow/'));
    expect(mine).toEqual([]);
  });

  test('with a customer managed key, the log encryption rules pass without acknowledgement', () => {
    const stack = newStack();
    const app = appOf(stack);
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', FOREIGN_POOL_ARN);
    const workflow = new SweepWorkflow(stack, 'Workflow', { ...baseProps(stack, [pool]), logEncryptionKey: key });
    const acknowledged = JSON.stringify(workflow.node.findAll().flatMap((c) => c.node.metadata.map((m) => m.data)));
    expect(acknowledged).not.toContain('CloudWatchLogGroupEncrypted');
    expect(nagFindings(app).filter((f) => f.path.startsWith('Stack/Workflow/'))).toEqual([]);
  });
});
