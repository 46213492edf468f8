import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DevicePurge, DevicePurgeProps } from '../../src/purge/device-purge';
import { PurgeSelection } from '../../src/purge/purge-selection';
import { newStack } from '../util/stack';


function purgeStack(props: Partial<DevicePurgeProps> = {}) {
  const stack = newStack({ id: 'App' });
  const userPool = new cognito.UserPool(stack, 'Pool');
  const purge = new DevicePurge(stack, 'Purge', {
    userPool,
    selection: PurgeSelection.staleDevices(Duration.days(30)),
    ...props,
  });
  return { stack, purge, template: Template.fromStack(stack) };
}

/** The logical id of the only resource of `type` whose logical id starts with `prefix`. */
function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('the custom resource', () => {
  test('carries the run config, the generation and the wait settings; CloudFormation waits at most the timeout', () => {
    const { template } = purgeStack({ generation: '2026-11-21' });
    template.resourceCountIs('Custom::CognitoDevicePurge', 1);
    template.hasResourceProperties('Custom::CognitoDevicePurge', {
      ServiceTimeout: '3600',
      StateMachineArn: { Ref: logicalId(template, 'AWS::StepFunctions::StateMachine', 'PurgeWorkflowStateMachine') },
      Generation: '2026-11-21',
      Config: {
        'Fn::Join': ['', [
          '{"userPoolIds":["',
          { Ref: logicalId(template, 'AWS::Cognito::UserPool', 'Pool') },
          '"],"selection":{"kind":"stale","staleAfterSeconds":2592000},"dryRun":false,"rateBudget":{"fraction":0.5}}',
        ]],
      },
      OnDelete: false,
      WaitForCompletion: true,
      // One minute under CloudFormation's limit: the handler reports (and stops) an overlong run itself.
      WaitLimitSeconds: 3540,
    });
  });

  test('generation defaults to 1', () => {
    purgeStack().template.hasResourceProperties('Custom::CognitoDevicePurge', { Generation: '1' });
  });

  test('every option reaches the run config', () => {
    const { template, stack } = purgeStack({
      selection: PurgeSelection.users(['alice', 'bob']),
      dryRun: true,
      onDelete: true,
      rateBudget: 0.25,
      excludeUsernames: ['ops'],
      onlyRemembered: true,
      maxForgets: 500,
      timeout: Duration.minutes(20),
    });
    const properties = Object.values(template.findResources('Custom::CognitoDevicePurge'))[0].Properties;
    const config = JSON.parse(stack.resolve(properties.Config)['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'POOL')).join(''));
    expect(config).toEqual({
      userPoolIds: ['POOL'],
      selection: { kind: 'users', usernames: ['alice', 'bob'] },
      dryRun: true,
      maxForgets: 500,
      rateBudget: { fraction: 0.25 },
      excludeUsernames: ['ops'],
      onlyRemembered: true,
    });
    expect(properties).toMatchObject({ OnDelete: true, ServiceTimeout: '1200', WaitLimitSeconds: 1140 });
  });

  test('an imported pool is purged by its id', () => {
    const stack = newStack({ id: 'App' });
    new DevicePurge(stack, 'Purge', {
      userPool: cognito.UserPool.fromUserPoolId(stack, 'Imported', 'eu-west-1_AbCdEf123'),
      selection: PurgeSelection.allDevices(),
    });
    Template.fromStack(stack).hasResourceProperties('Custom::CognitoDevicePurge', {
      Config: '{"userPoolIds":["eu-west-1_AbCdEf123"],"selection":{"kind":"all"},"dryRun":false,"rateBudget":{"fraction":0.5}}',
    });
  });

  test('the Provider polls until the same timeout', () => {
    const { template } = purgeStack({ timeout: Duration.minutes(20) });
    // totalTimeout 20 min at the default 5 s interval: 240 polls.
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionString: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"IntervalSeconds":5,"MaxAttempts":240,"BackoffRate":1')])] },
    });
  });

  test('without waitForCompletion the purge run may outlast CloudFormation\'s hour', () => {
    const { template } = purgeStack({ waitForCompletion: false, timeout: Duration.hours(12) });
    template.hasResourceProperties('Custom::CognitoDevicePurge', { WaitForCompletion: false, ServiceTimeout: '3600' });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionString: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"TimeoutSeconds":43200,"QueryLanguage"')])] },
    });
  });

  test('exposes the run\'s counts and execution as attributes', () => {
    const { purge, stack } = purgeStack();
    const resourceId = logicalId(Template.fromStack(stack), 'Custom::CognitoDevicePurge', 'Purge');
    expect(stack.resolve(purge.devicesForgotten)).toEqual({ 'Fn::GetAtt': [resourceId, 'devicesForgotten'] });
    expect(stack.resolve(purge.usersScanned)).toEqual({ 'Fn::GetAtt': [resourceId, 'usersScanned'] });
    expect(stack.resolve(purge.devicesAlreadyGone)).toEqual({ 'Fn::GetAtt': [resourceId, 'devicesAlreadyGone'] });
    expect(stack.resolve(purge.errors)).toEqual({ 'Fn::GetAtt': [resourceId, 'errors'] });
    expect(stack.resolve(purge.executionArn)).toEqual({ 'Fn::GetAtt': [resourceId, 'executionArn'] });
  });

  test('without waitForCompletion the counts are refused at synth time with a way out', () => {
    const { purge } = purgeStack({ waitForCompletion: false });
    expect(() => purge.devicesForgotten).toThrow(/App\/Purge: devicesForgotten is only known when the deployment waits/);
  });
});

describe('IAM', () => {
  test('onEvent may start and list runs of its own state machine only', () => {
    const { template } = purgeStack();
    const stateMachine = logicalId(template, 'AWS::StepFunctions::StateMachine', 'PurgeWorkflowStateMachine');
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalId(template, 'AWS::IAM::Role', 'PurgeOnEventRole') }],
      PolicyDocument: {
        Statement: [
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(template, 'AWS::Logs::LogGroup', 'PurgeOnEventLogs'), 'Arn'] } },
          { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' },
          { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: stateMachine } },
          { Action: 'states:ListExecutions', Effect: 'Allow', Resource: { Ref: stateMachine } },
        ],
      },
    });
  });

  test('isComplete may describe and stop executions of its own state machine only', () => {
    const { template } = purgeStack();
    const stateMachine = template.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: Match.anyValue() } });
    const name = Object.values(stateMachine)[0].Properties.StateMachineName;
    expect(name).toEqual(expect.stringMatching(/^AppPurgeWorkflow/));
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalId(template, 'AWS::IAM::Role', 'PurgeIsCompleteRole') }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
          { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' },
          {
            Action: ['states:DescribeExecution', 'states:StopExecution'],
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:eu-west-1:111111111111:execution:${name}:*`]] },
          },
        ],
      },
    });
  });

  test('no role gets an inline policy or AWSLambdaBasicExecutionRole, except the Provider\'s own waiter', () => {
    const { template } = purgeStack();
    const inline = Object.keys(template.findResources('AWS::IAM::Policy'));
    expect(inline).toEqual([expect.stringMatching(/^PurgeProviderwaiterstatemachineRoleDefaultPolicy/)]);
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test('"*" is only ever the resource of actions that have no resource type', () => {
    const { template } = purgeStack();
    const policies = { ...template.findResources('AWS::IAM::ManagedPolicy'), ...template.findResources('AWS::IAM::Policy') };
    const allowedOnStar = new Set([
      'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
      // Step Functions log delivery (the workflow's state machine logs to CloudWatch Logs).
      'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
    ]);
    let statementsOnStar = 0;
    for (const policy of Object.values(policies)) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        const resources = [statement.Resource].flat();
        if (resources.includes('*')) {
          statementsOnStar++;
          for (const action of [statement.Action].flat()) {
            expect(allowedOnStar).toContain(action);
          }
        }
      }
    }
    expect(statementsOnStar).toBeGreaterThan(0);
  });

  test('the slice may forget devices of the purged pool only', () => {
    const { template } = purgeStack();
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logicalId(template, 'AWS::Cognito::UserPool', 'Pool'), 'Arn'] },
        }]),
      },
    });
  });

  test('a dry run cannot forget anything: the slice only reads', () => {
    const { template } = purgeStack({ dryRun: true });
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    // DescribeUserPool reads the pool's size (time-left estimates), no user or device.
    expect(actions.filter((action: string) => action.startsWith('cognito-idp:')).sort())
      .toEqual(['cognito-idp:AdminListDevices', 'cognito-idp:DescribeUserPool', 'cognito-idp:ListUsers']);
  });
});

describe('functions and logs', () => {
  test('the handlers are sized, timed, traced and log JSON to their own log group', () => {
    const { template } = purgeStack();
    for (const name of ['OnEvent', 'IsComplete']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        MemorySize: 256,
        Timeout: 60,
        TracingConfig: { Mode: 'Active' },
        Role: { 'Fn::GetAtt': [logicalId(template, 'AWS::IAM::Role', `Purge${name}Role`), 'Arn'] },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(template, 'AWS::Logs::LogGroup', `Purge${name}Logs`) } },
      });
    }
  });

  test('every log group keeps its logs for the retention given (one year by default)', () => {
    const groups = Object.values(purgeStack().template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const group of groups) {
      expect(group.Properties.RetentionInDays).toEqual(365);
    }
    for (const group of Object.values(purgeStack({ logRetention: logs.RetentionDays.ONE_MONTH }).template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toEqual(30);
    }
  });

  test('every log group is retained by default and follows logRemovalPolicy, and none has a fixed name', () => {
    const retained = Object.values(purgeStack().template.findResources('AWS::Logs::LogGroup'));
    expect(retained.length).toBeGreaterThanOrEqual(5);
    for (const group of retained) {
      expect(group.DeletionPolicy).toBe('Retain');
      expect(typeof group.Properties.LogGroupName).not.toBe('string');
    }
    for (const group of Object.values(purgeStack({ logRemovalPolicy: RemovalPolicy.DESTROY }).template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.DeletionPolicy).toBe('Delete');
    }
  });

  test('a customer managed key encrypts every log group', () => {
    const stack = newStack({ id: 'App' });
    const key = new kms.Key(stack, 'LogKey');
    new DevicePurge(stack, 'Purge', {
      userPool: new cognito.UserPool(stack, 'Pool'),
      selection: PurgeSelection.allDevices(),
      logEncryptionKey: key,
    });
    const template = Template.fromStack(stack);
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(template, 'AWS::KMS::Key', 'LogKey'), 'Arn'] });
    }
  });
});

describe('metrics and the state machine', () => {
  test('metric helpers name the namespace and the SweepName dimension the slice Lambda emits with', () => {
    const { purge, template } = purgeStack();
    const metric = purge.metricDevicesForgotten();
    expect(metric.namespace).toBe('CognitoDeviceSweep');
    expect(metric.metricName).toBe('DevicesForgotten');
    expect(metric.statistic).toBe('Sum');
    expect(metric.dimensions).toEqual({ SweepName: purge.sweepName });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SWEEP_NAME: purge.sweepName }) },
    });
    expect(purge.metricDevicesScanned().metricName).toBe('DevicesScanned');
    expect(purge.metricRunsFailed().metricName).toBe('RunsFailed');
    expect(purge.metricRunsCapped({ period: Duration.hours(1) }).period.toSeconds()).toBe(3600);
    expect(purge.metric('Throttled').metricName).toBe('Throttled');
  });

  test('stateMachine is the purge workflow\'s state machine, with its metrics', () => {
    const { purge, stack, template } = purgeStack();
    expect(stack.resolve(purge.stateMachine.stateMachineArn))
      .toEqual({ Ref: logicalId(template, 'AWS::StepFunctions::StateMachine', 'PurgeWorkflowStateMachine') });
    expect(purge.stateMachine.metricFailed().metricName).toBe('ExecutionsFailed');
  });
});

describe('synth-time validation', () => {
  test.each([
    ['a timeout over an hour while waiting', { timeout: Duration.minutes(61) }, /timeout is 1 hour 1 minute; use between 5 minutes and 1 hour .*set waitForCompletion: false for longer purges/],
    ['a timeout under 5 minutes', { timeout: Duration.minutes(4) }, /timeout is 4 minutes; use between 5 minutes and 1 hour/],
    ['a timeout over a year without waiting', { timeout: Duration.days(366), waitForCompletion: false }, /timeout is 366 days; use between 5 minutes and 365 days/],
    ['a rate budget of 0', { rateBudget: 0 }, /rateBudget is 0; use a fraction in \(0, 1\]/],
    ['a rate budget over 1', { rateBudget: 1.5 }, /rateBudget is 1.5; use a fraction in \(0, 1\]/],
    ['an empty generation', { generation: '' }, /generation is empty/],
    ['an empty excluded username', { excludeUsernames: ['ops', ''] }, /excludeUsernames #2 is empty/],
    ['101 excluded usernames', { excludeUsernames: Array.from({ length: 101 }, (_, i) => `u${i}`) }, /excludeUsernames has 101 names; at most 100/],
    ['a forget cap of 0', { maxForgets: 0 }, /maxForgets is 0; use a whole number of at least 1/],
    ['a fractional forget cap', { maxForgets: 2.5 }, /maxForgets is 2.5; use a whole number of at least 1/],
  ])('refuses %s', (_label, props, message) => {
    expect(() => purgeStack(props as Partial<DevicePurgeProps>)).toThrow(message);
  });

  test('accepts the limits', () => {
    expect(() => purgeStack({ timeout: Duration.minutes(5), rateBudget: 1, maxForgets: 1 })).not.toThrow();
    expect(() => purgeStack({ timeout: Duration.hours(1), rateBudget: 0.01 })).not.toThrow();
  });
});
