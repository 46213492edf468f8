import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CognitoDeviceChecks, DeviceRevocation, DeviceRevocationProps } from '../../src';
import { nagFindings, allBuiltInPacks } from '../util/nag';

const ACCOUNT = '111111111111';
const POOL_A_ARN = `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_Pool1`;
const POOL_B_ARN = `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_Pool2`;

function build(props: Partial<DeviceRevocationProps> = {}, extra?: (stack: Stack, revocation: DeviceRevocation) => void) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const userPools = [cognito.UserPool.fromUserPoolArn(stack, 'PoolA', POOL_A_ARN), cognito.UserPool.fromUserPoolArn(stack, 'PoolB', POOL_B_ARN)];
  const revocation = new DeviceRevocation(stack, 'Revocation', { userPools, ...props });
  extra?.(stack, revocation);
  return { app, stack, revocation, template: Template.fromStack(stack) };
}

function rulePatterns(template: Template): any[] {
  return Object.values(template.findResources('AWS::Events::Rule')).map((r: any) => r.Properties.EventPattern);
}

describe('DeviceRevocation rules', () => {
  test('by default: administrator calls of the exact pools, and user calls by name, both without failed calls, into the queue', () => {
    const { template, stack, revocation } = build();
    expect(rulePatterns(template)).toEqual([
      {
        'source': ['aws.cognito-idp'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': {
          eventName: ['AdminUserGlobalSignOut', 'AdminDisableUser', 'AdminResetUserPassword', 'AdminSetUserPassword'],
          requestParameters: { userPoolId: ['eu-west-1_Pool1', 'eu-west-1_Pool2'] },
          errorCode: [{ exists: false }],
        },
      },
      {
        'source': ['aws.cognito-idp'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': { eventName: ['GlobalSignOut', 'ConfirmForgotPassword'], errorCode: [{ exists: false }] },
      },
    ]);
    for (const rule of Object.values(template.findResources('AWS::Events::Rule')) as any[]) {
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: stack.resolve(revocation.queue.queueArn) })]);
    }
  });

  test('each trigger can be turned off; all off, or cloudTrailEvents false, leaves the queue only', () => {
    const some = build({ triggers: { adminSetUserPassword: false, confirmForgotPassword: false } });
    expect(rulePatterns(some.template).map((p) => p.detail.eventName)).toEqual([
      ['AdminUserGlobalSignOut', 'AdminDisableUser', 'AdminResetUserPassword'],
      ['GlobalSignOut'],
    ]);
    build({ triggers: { globalSignOut: false, confirmForgotPassword: false } }).template.resourceCountIs('AWS::Events::Rule', 1);
    build({ cloudTrailEvents: false }).template.resourceCountIs('AWS::Events::Rule', 0);
    const none = build({ cloudTrailEvents: false });
    none.template.resourceCountIs('AWS::SQS::Queue', 2);
    none.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });

  test('only EventBridge rules of this construct may send to the queue', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
        })]),
      },
    });
  });

  test('warns that events of a pool in another Region never reach this rule', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new DeviceRevocation(stack, 'Revocation', {
      userPools: [cognito.UserPool.fromUserPoolArn(stack, 'Us', `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_Far`)],
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Revocation', Match.stringLikeRegexp('us-east-1_Far are delivered in their own Region'));
    Annotations.fromStack(build().stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('DeviceRevocation queue and Lambda', () => {
  test('an encrypted, TLS-only queue whose failed messages move to a dead-letter queue after maxReceiveCount', () => {
    const { template, stack, revocation } = build({ maxReceiveCount: 3 });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 720,
      RedrivePolicy: { deadLetterTargetArn: stack.resolve(revocation.deadLetterQueue.queueArn), maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    expect(build().template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: { maxReceiveCount: 5 } } })).not.toEqual({});
  });

  test('the Lambda reads batches with partial batch failures, under reserved concurrency, with the pools and budget it is given', () => {
    const { template } = build({ batchSize: 4, maxConcurrency: 2, rateBudget: 0.25 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 4,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 2,
      Timeout: 120,
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ ALLOWED_USER_POOL_IDS: 'eu-west-1_Pool1,eu-west-1_Pool2', RATE_BUDGET: '0.25', DRY_RUN: 'false' }) },
    });
  });

  test('least privilege: list users, list and forget devices on the two pools only; a dry run cannot forget', () => {
    const actionsOn = (template: Template) => {
      const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[];
      return policies.flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('cognito-idp:')))
        .map((s: any) => ({ actions: [s.Action].flat().sort(), resources: [s.Resource].flat() }));
    };
    expect(actionsOn(build().template)).toEqual([
      { actions: ['cognito-idp:AdminForgetDevice', 'cognito-idp:AdminListDevices', 'cognito-idp:ListUsers'], resources: [POOL_A_ARN] },
      { actions: ['cognito-idp:AdminForgetDevice', 'cognito-idp:AdminListDevices', 'cognito-idp:ListUsers'], resources: [POOL_B_ARN] },
    ]);
    expect(actionsOn(build({ dryRun: true }).template).flatMap((s) => s.actions)).not.toContain('cognito-idp:AdminForgetDevice');
  });

  test('readProvisionedLimits: the Lambda is told to read the limits and may call GetProvisionedLimit on "*" (off by default)', () => {
    const statementsWith = (template: Template, action: string) => (Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[])
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().includes(action));
    const on = build({ readProvisionedLimits: true }).template;
    on.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ READ_PROVISIONED_LIMITS: 'true' }) } });
    expect(statementsWith(on, 'cognito-idp:GetProvisionedLimit')).toEqual([{ Action: 'cognito-idp:GetProvisionedLimit', Effect: 'Allow', Resource: '*' }]);
    const off = build().template;
    off.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ READ_PROVISIONED_LIMITS: 'false' }) } });
    expect(statementsWith(off, 'cognito-idp:GetProvisionedLimit')).toEqual([]);
  });

  test('grantSendMessages lets a sender send to the queue only', () => {
    const { stack, revocation, template } = build({}, (s, r) => {
      r.grantSendMessages(new iam.Role(s, 'SupportTool', { assumedBy: new iam.AccountRootPrincipal() }));
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('SupportTool') }],
      PolicyDocument: { Statement: [{ Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Effect: 'Allow', Resource: stack.resolve(revocation.queue.queueArn) }] },
    });
  });

  test('an alarm on the dead-letter queue with a topic', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const topic = sns.Topic.fromTopicArn(stack, 'Ops', `arn:aws:sns:eu-west-1:${ACCOUNT}:ops`);
    new DeviceRevocation(stack, 'Revocation', { userPools: [cognito.UserPool.fromUserPoolArn(stack, 'P', POOL_A_ARN)], alarmTopic: topic });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [`arn:aws:sns:eu-west-1:${ACCOUNT}:ops`],
    });
    build().template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('metrics name the namespace and SweepName dimension the Lambda emits with', () => {
    const { revocation, stack } = build();
    const metric = revocation.metricUsersRevoked();
    expect(metric.namespace).toBe('CognitoDeviceSweep');
    expect(metric.metricName).toBe('UsersRevoked');
    expect(stack.resolve(metric.dimensions)).toEqual({ SweepName: revocation.sweepName });
    expect(revocation.metricDevicesRevoked().metricName).toBe('DevicesRevoked');
    expect(revocation.metricRevocationLatency().statistic).toBe('p99');
    expect(revocation.metricMessagesIgnored().metricName).toBe('MessagesIgnored');
    expect(revocation.metricRevocationsFailed({ period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
  });
});

describe('DeviceRevocation validation', () => {
  test.each<[string, Partial<DeviceRevocationProps>, RegExp]>([
    ['no pools', { userPools: [] }, /userPools is empty/],
    ['a rate budget above 1', { rateBudget: 2 }, /rateBudget is 2/],
    ['a batch of 11', { batchSize: 11 }, /batchSize is 11; use a whole number from 1 to 10/],
    ['maxReceiveCount 0', { maxReceiveCount: 0 }, /maxReceiveCount is 0/],
    ['a fractional concurrency', { maxConcurrency: 1.5 }, /maxConcurrency is 1.5/],
  ])('refuses %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('DeviceRevocation cdk-nag', () => {
  test('the six built-in packs and CognitoDeviceChecks find nothing', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new DeviceRevocation(stack, 'Revocation', {
      userPools: [cognito.UserPool.fromUserPoolArn(stack, 'PoolA', POOL_A_ARN), cognito.UserPool.fromUserPoolArn(stack, 'PoolB', POOL_B_ARN)],
      alarmTopic: sns.Topic.fromTopicArn(stack, 'Ops', `arn:aws:sns:eu-west-1:${ACCOUNT}:ops`),
    });
    expect(nagFindings(app, [...allBuiltInPacks(), new CognitoDeviceChecks()])).toEqual([]);
  });

  test('with readProvisionedLimits: nothing either, and the "*" is acknowledged for GetProvisionedLimit by name', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const revocation = new DeviceRevocation(stack, 'Revocation', {
      userPools: [cognito.UserPool.fromUserPoolArn(stack, 'PoolA', POOL_A_ARN)],
      readProvisionedLimits: true,
    });
    expect(nagFindings(app, [...allBuiltInPacks(), new CognitoDeviceChecks()])).toEqual([]);
    const policies = revocation.node.findAll().filter((c) => c instanceof iam.CfnManagedPolicy);
    const reasons = JSON.stringify(policies.flatMap((p) => p.node.metadata.map((m) => m.data)));
    expect(reasons).toMatch(/cognito-idp:GetProvisionedLimit \(readProvisionedLimits/);
  });

  test('with an owned pool in the stack, nothing inside the construct', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const pool = new cognito.UserPool(stack, 'Pool');
    new DeviceRevocation(stack, 'Revocation', { userPools: [pool], dryRun: true });
    expect(nagFindings(app).filter((f) => f.path.startsWith('Stack/Revocation/'))).toEqual([]);
  });
});
