import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { stateMachineDefinition } from './definition';
import { SweepWorkflow, SweepWorkflowProps } from '../../src/workflow/sweep-workflow';
import { nagFindings } from '../util/nag';
import { appOf, newStack, TEST_ACCOUNT } from '../util/stack';

const ACCOUNT = TEST_ACCOUNT;
const FOREIGN_POOL_ARN = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_Foreign1`;

function build(props: Partial<SweepWorkflowProps> = {}) {
  const stack = newStack();
  const app = appOf(stack);
  const owned = new cognito.UserPool(stack, 'Owned');
  const foreign = cognito.UserPool.fromUserPoolArn(stack, 'Foreign', FOREIGN_POOL_ARN);
  const workflow = new SweepWorkflow(stack, 'Workflow', {
    userPools: [owned, foreign],
    dryRun: false,
    sweepName: 'my-sweep',
    timeout: Duration.hours(2),
    ...props,
  });
  return { app, stack, workflow, template: Template.fromStack(stack), owned };
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

describe('SweepWorkflow slice function', () => {
  test('runs Node 22 for one 15-minute slice at a time, traced, logging JSON to its own log group', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Timeout: 900,
      MemorySize: 512,
      ReservedConcurrentExecutions: 1,
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
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(owned.node.defaultChild as cognito.CfnUserPool), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice'],
        Resource: FOREIGN_POOL_ARN,
      },
    ]);
  });

  test('a dry-run workflow can only read devices', () => {
    const { template } = build({ dryRun: true });
    const actions = policyStatements(template, 'WorkflowSliceRole').flatMap((s) => [s.Action].flat());
    // Exactly the Cognito calls of a dry-run sweep (ListUsers, AdminListDevices) and the pools'
    // size for progress (DescribeUserPool); no AdminGetDevice, no write.
    expect(actions.filter((action: string) => action.startsWith('cognito-idp:')).sort()).toEqual([
      'cognito-idp:AdminListDevices', 'cognito-idp:AdminListDevices', 'cognito-idp:DescribeUserPool', 'cognito-idp:ListUsers', 'cognito-idp:ListUsers',
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
    expect(guard.Default).toBe('Slice');
    expect(definition.States.Skipped).toMatchObject({ Type: 'Succeed', Output: { done: false, skipped: true } });

    // The role may list the executions of this state machine only.
    const list = policyStatements(template, 'WorkflowStateMachineRole').find((s) => s.Action === 'states:ListExecutions');
    expect(stack.resolve(list.Resource)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:eu-west-1:${ACCOUNT}:stateMachine:${name}`]],
    });
  });

  test('loops the slice until its progress is done, carrying only config, progress and the execution name', () => {
    const definition = stateMachineDefinition(build().template);
    const slice = definition.States.Slice;
    expect(slice.Resource).toBe('arn:${AWS::Partition}:states:::lambda:invoke');
    expect(slice.Arguments.FunctionName).toMatch(/^\$\{WorkflowSliceFunction[0-9A-F]+\.Arn\}$/);
    expect(slice.Arguments.Payload).toEqual({
      config: '{% $config %}',
      progress: '{% $progress %}',
      // The audit trail's run id and object keys: the same for every slice and retry of the execution.
      run: { executionName: '{% $states.context.Execution.Name %}' },
    });
    expect(slice.Assign).toEqual({ progress: '{% $states.result.Payload %}' });
    expect(slice.Next).toBe('Done?');
    expect(definition.States.FindOtherRuns.Assign).toMatchObject({ config: '{% $states.input.config %}', progress: '{% null %}' });

    const done = definition.States['Done?'];
    expect(done.Choices).toEqual([{ Condition: '{% $progress.done %}', Next: 'Finished' }]);
    expect(done.Default).toBe('Slice');
    expect(definition.States.Finished).toEqual({ Type: 'Succeed', Output: '{% $progress %}' });
  });

  test('retries throttled and failed slices with backoff, but not refused input nor a sweep stopped by a systemic error', () => {
    const retries: any[] = stateMachineDefinition(build().template).States.Slice.Retry;
    const retrierOf = (error: string) => retries.find((r) => r.ErrorEquals.includes(error));

    expect(retrierOf('SliceInputError')).toEqual({ ErrorEquals: ['SliceInputError', 'SweepSystemicError'], MaxAttempts: 0 });
    expect(retrierOf('SweepSystemicError')).toBe(retrierOf('SliceInputError'));
    // Both must be matched before the catch-all States.TaskFailed retrier (Step Functions takes the first match).
    expect(retries.indexOf(retrierOf('SweepSystemicError'))).toBeLessThan(retries.indexOf(retrierOf('States.TaskFailed')));
    expect(retrierOf('Lambda.TooManyRequestsException')).toMatchObject({ MaxAttempts: 8, BackoffRate: 2, JitterStrategy: 'FULL' });
    expect(retrierOf('Lambda.ServiceException')).toMatchObject({ MaxAttempts: 6, BackoffRate: 2 });
    expect(retrierOf('States.TaskFailed')).toMatchObject({ MaxAttempts: 2 });
    expect(retries.some((r) => r.Catch)).toBe(false);
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
      userPools: [new cognito.UserPool(stack, 'Pool')],
      dryRun: false,
      sweepName: 'x',
      timeout: Duration.hours(2),
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
    expect(() => new SweepWorkflow(stack, 'Workflow', { userPools: [], dryRun: false, sweepName: 'x', timeout: Duration.hours(2) }))
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
    const workflow = new SweepWorkflow(stack, 'Workflow', { userPools: [pool], dryRun: false, sweepName: 'x', timeout: Duration.hours(2), logEncryptionKey: key });
    const acknowledged = JSON.stringify(workflow.node.findAll().flatMap((c) => c.node.metadata.map((m) => m.data)));
    expect(acknowledged).not.toContain('CloudWatchLogGroupEncrypted');
    expect(nagFindings(app).filter((f) => f.path.startsWith('Stack/Workflow/'))).toEqual([]);
  });
});
