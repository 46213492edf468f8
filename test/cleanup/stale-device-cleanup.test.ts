import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { StaleDeviceCleanup, StaleDeviceCleanupProps } from '../../src/cleanup';
import { nagFindings } from '../util/nag';
import { appOf, newStack } from '../util/stack';

const ACCOUNT = '111111111111';
const EU_POOL_ARN = `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_Pool1`;
const US_POOL_ARN = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_Pool2`;
const TOPIC_ARN = `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`;

function build(props: Partial<StaleDeviceCleanupProps> = {}, withTopic = false) {
  const stack = newStack();
  const app = appOf(stack);
  const userPools = [
    cognito.UserPool.fromUserPoolArn(stack, 'EuPool', EU_POOL_ARN),
    cognito.UserPool.fromUserPoolArn(stack, 'UsPool', US_POOL_ARN),
  ];
  const alarmTopic = withTopic ? sns.Topic.fromTopicArn(stack, 'Topic', TOPIC_ARN) : undefined;
  const cleanup = new StaleDeviceCleanup(stack, 'Cleanup', { userPools, staleAfter: Duration.days(90), alarmTopic, ...props });
  return { app, stack, cleanup, template: Template.fromStack(stack) };
}

function scheduleInput(template: Template): any {
  const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
  expect(schedules).toHaveLength(1);
  return JSON.parse(schedules[0].Properties.Target.Input);
}

describe('StaleDeviceCleanup schedule', () => {
  test('starts the state machine daily with the execution input contract', () => {
    const { template, stack, cleanup } = build();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: stack.resolve(cleanup.stateMachine.stateMachineArn) }),
    });
    expect(scheduleInput(template)).toEqual({
      config: {
        userPoolIds: ['eu-west-1_Pool1', 'us-east-1_Pool2'],
        selection: { kind: 'stale', staleAfterSeconds: 90 * 86_400 },
        dryRun: false,
        rateBudget: { fraction: 0.5 },
      },
    });
  });

  test('passes every option into the input', () => {
    const { template } = build({
      schedule: scheduler.ScheduleExpression.cron({ hour: '3', minute: '0' }),
      dryRun: true,
      rateBudget: 0.2,
      maxForgets: 5000,
      excludeUsernames: ['admin', 'break-glass'],
      onlyRemembered: true,
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 3 * * ? *)' });
    expect(scheduleInput(template)).toEqual({
      config: {
        userPoolIds: ['eu-west-1_Pool1', 'us-east-1_Pool2'],
        selection: { kind: 'stale', staleAfterSeconds: 90 * 86_400 },
        dryRun: true,
        maxForgets: 5000,
        rateBudget: { fraction: 0.2 },
        excludeUsernames: ['admin', 'break-glass'],
        onlyRemembered: true,
      },
    });
  });

  test('maxDeviceAge goes into the selection, alone or beside staleAfter', () => {
    expect(scheduleInput(build({ maxDeviceAge: Duration.days(365) }).template).config.selection)
      .toEqual({ kind: 'stale', staleAfterSeconds: 90 * 86_400, maxDeviceAgeSeconds: 365 * 86_400 });
    expect(scheduleInput(build({ staleAfter: undefined, maxDeviceAge: Duration.days(60) }).template).config.selection)
      .toEqual({ kind: 'stale', maxDeviceAgeSeconds: 60 * 86_400 });
  });

  test('the scheduler role may start this state machine only, for this account only', () => {
    const { template, stack, cleanup } = build();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^CleanupSchedulerRole') }],
      PolicyDocument: {
        Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: stack.resolve(cleanup.stateMachine.stateMachineArn) }],
      },
    });
  });
});

describe('StaleDeviceCleanup workflow', () => {
  test('the Lambda may forget devices of exactly the two pools', () => {
    const { template } = build();
    // One statement over both pools (UserPoolDeviceGrants.fromUserPools).
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice'],
          Effect: 'Allow',
          Resource: [EU_POOL_ARN, US_POOL_ARN],
        }]),
      },
    });
  });

  test('a dry run gets exactly the two list actions the engine calls', () => {
    const { template } = build({ dryRun: true });
    const policies = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).not.toContain('AdminForgetDevice');
    // The engine never calls AdminGetDevice: the device listing carries every date it reads.
    expect(policies).not.toContain('AdminGetDevice');
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices'],
          Effect: 'Allow',
          Resource: [EU_POOL_ARN, US_POOL_ARN],
        }]),
      },
    });
  });

  test('a run times out after 23 hours by default, or after the given timeout', () => {
    const timeoutOf = (template: Template) => {
      const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
      return JSON.stringify(machine.Properties.DefinitionString).match(/\\"TimeoutSeconds\\":(\d+),\\"QueryLanguage/)?.[1];
    };
    expect(timeoutOf(build().template)).toBe(String(23 * 3600));
    expect(timeoutOf(build({ timeout: Duration.hours(6), schedule: scheduler.ScheduleExpression.rate(Duration.hours(6)) }).template))
      .toBe(String(6 * 3600));
  });

  test('log retention reaches both log groups', () => {
    const { template } = build({ logRetention: 7 });
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 7 }, 2);
  });

  test('logRemovalPolicy reaches both log groups (retained by default)', () => {
    const policies = (template: Template) => Object.values(template.findResources('AWS::Logs::LogGroup')).map((r) => r.DeletionPolicy);
    expect(policies(build().template)).toEqual(['Retain', 'Retain']);
    expect(policies(build({ logRemovalPolicy: RemovalPolicy.DESTROY }).template)).toEqual(['Delete', 'Delete']);
  });
});

describe('StaleDeviceCleanup metrics', () => {
  test('match the namespace and the SweepName dimension the Lambda emits with', () => {
    const { cleanup, template } = build();
    const metric = cleanup.metricDevicesForgotten();
    expect(metric.namespace).toBe('CognitoDeviceSweep');
    expect(metric.metricName).toBe('DevicesForgotten');
    expect(metric.statistic).toBe('Sum');
    expect(metric.dimensions).toEqual({ SweepName: cleanup.sweepName });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SWEEP_NAME: cleanup.sweepName }) },
    });
    expect(cleanup.metricDevicesScanned().metricName).toBe('DevicesScanned');
    expect(cleanup.metricRunsFailed().metricName).toBe('RunsFailed');
    expect(cleanup.metricRunsCapped().metricName).toBe('RunsCapped');
  });

  test('accept metric options', () => {
    const { cleanup } = build();
    const metric = cleanup.metricDevicesScanned({ period: Duration.days(1), statistic: 'Maximum' });
    expect(metric.period.toSeconds()).toBe(86_400);
    expect(metric.statistic).toBe('Maximum');
  });

  test('two cleanups in one stack have different sweep names', () => {
    const { stack, cleanup } = build();
    const second = new StaleDeviceCleanup(stack, 'Second', {
      userPools: [cognito.UserPool.fromUserPoolArn(stack, 'Other', EU_POOL_ARN)],
      staleAfter: Duration.days(30),
    });
    expect(second.sweepName).not.toBe(cleanup.sweepName);
  });
});

describe('StaleDeviceCleanup alarm', () => {
  test('none without a topic', () => {
    const { template, cleanup } = build();
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(cleanup.alarm).toBeUndefined();
  });

  test('with a topic: fires on failed, timed-out, erroring or capped runs and notifies the topic', () => {
    const { template, cleanup, stack } = build({}, true);
    const stateMachineArn = stack.resolve(cleanup.stateMachine.stateMachineArn);
    const sweepMetric = (id: string, name: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: 'CognitoDeviceSweep', MetricName: name, Dimensions: [{ Name: 'SweepName', Value: cleanup.sweepName }] },
        Period: 3600,
        Stat: 'Sum',
      },
    });
    const stateMetric = (id: string, name: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: 'AWS/States', MetricName: name, Dimensions: [{ Name: 'StateMachineArn', Value: stateMachineArn }] },
        Period: 3600,
        Stat: 'Sum',
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [TOPIC_ARN],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(runsFailed, 0) + FILL(runsCapped, 0)', ReturnData: true }),
        stateMetric('failed', 'ExecutionsFailed'),
        stateMetric('timedOut', 'ExecutionsTimedOut'),
        sweepMetric('runsFailed', 'RunsFailed'),
        sweepMetric('runsCapped', 'RunsCapped'),
      ]),
    });
    expect(cleanup.alarm).toBeDefined();
  });

  test('alarm: true without a topic creates an alarm without actions; alarm: false with a topic none', () => {
    const withoutTopic = build({ alarm: true }).template;
    withoutTopic.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    withoutTopic.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.absent() });
    build({ alarm: false }, true).template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });
});

describe('StaleDeviceCleanup validation', () => {
  const cases: Array<[string, Partial<StaleDeviceCleanupProps>, RegExp]> = [
    ['no pools', { userPools: [] }, /userPools is empty/],
    ['staleAfter under a day', { staleAfter: Duration.hours(23) }, /staleAfter is 82800 seconds; use at least one day \(86400 seconds/],
    ['neither staleAfter nor maxDeviceAge', { staleAfter: undefined }, /give staleAfter, maxDeviceAge or both/],
    ['maxDeviceAge under a day', { maxDeviceAge: Duration.hours(6) }, /maxDeviceAge is 21600 seconds; use at least one day/],
    ['rateBudget 0', { rateBudget: 0 }, /rateBudget is 0; use a fraction in \(0, 1\]/],
    ['rateBudget above 1', { rateBudget: 1.5 }, /rateBudget is 1\.5/],
    ['maxForgets 0', { maxForgets: 0 }, /maxForgets is 0; use a whole number of at least 1/],
    ['negative maxForgets', { maxForgets: -3 }, /maxForgets is -3/],
    ['fractional maxForgets', { maxForgets: 2.5 }, /maxForgets is 2\.5/],
    ['the deprecated maxForgetsPerRun at 0', { maxForgetsPerRun: 0 }, /maxForgetsPerRun is 0; use a whole number of at least 1/],
    ['timeout under 15 minutes', { timeout: Duration.minutes(5) }, /timeout is 5 minutes; use between 15 minutes/],
    ['timeout over 14 days', { timeout: Duration.days(20) }, /timeout is 20 days/],
    ['empty excluded username', { excludeUsernames: ['ok', ''] }, /excludeUsernames #2 is empty/],
    ['blank excluded username', { excludeUsernames: ['  '] }, /excludeUsernames #1 is empty/],
    ['101 excluded usernames', { excludeUsernames: Array.from({ length: 101 }, (_, i) => `u${i}`) }, /excludeUsernames has 101 names; at most 100/],
    ['excluded usernames as a token', { excludeUsernames: Token.asList({ Ref: 'Names' }) }, /excludeUsernames as a literal list, not a token/],
  ];
  test.each(cases)('refuses %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('accepts the bounds', () => {
    expect(() => build({ staleAfter: Duration.days(1), rateBudget: 1, maxForgets: 1, timeout: Duration.minutes(15) })).not.toThrow();
  });

  test('warns when the schedule starts runs more often than a run may last', () => {
    const { cleanup } = build({ schedule: scheduler.ScheduleExpression.rate(Duration.hours(6)) });
    Annotations.fromStack(cleanup.node.scope as Stack).hasWarning(
      '/Stack/Cleanup',
      Match.stringLikeRegexp('starts a run every 6 hours but a run may last 23 hours'),
    );
  });

  test('does not warn for the defaults', () => {
    const { stack } = build();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('StaleDeviceCleanup cdk-nag', () => {
  test('a cleanup of pools in two Regions passes all six built-in packs', () => {
    const { app } = build({ maxForgets: 10_000 }, true);
    expect(nagFindings(app)).toEqual([]);
  });

  test('owned pools in the stack leave only the pool\'s own findings', () => {
    const stack = newStack();
    const app = appOf(stack);
    const pool = new cognito.UserPool(stack, 'Pool');
    new StaleDeviceCleanup(stack, 'Cleanup', { userPools: [pool], staleAfter: Duration.days(90), dryRun: true });
    expect(nagFindings(app).filter((f) => f.path.startsWith('Stack/Cleanup/'))).toEqual([]);
  });
});

describe('the escape hatch the README gives for accounts that cannot reserve concurrency', () => {
  test('removes the slice Lambda\'s reservation and nothing else', () => {
    const reservations = (withEscapeHatch: boolean) => {
      const stack = newStack();
      const cleanup = new StaleDeviceCleanup(stack, 'Cleanup', {
        userPools: [cognito.UserPool.fromUserPoolArn(stack, 'EuPool', EU_POOL_ARN)],
        staleAfter: Duration.days(90),
      });
      if (withEscapeHatch) {
        (cleanup.sliceFunction.node.defaultChild as lambda.CfnFunction).addPropertyDeletionOverride('ReservedConcurrentExecutions');
      }
      const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
      return functions.map((f: any) => [f.Properties.ReservedConcurrentExecutions, f.Properties.Timeout]);
    };

    expect(reservations(false)).toEqual([[1, 900]]);
    expect(reservations(true)).toEqual([[undefined, 900]]);
  });
});

describe('StaleDeviceCleanup next-check index', () => {
  test('by default: an on-demand table with PITR, AWS managed encryption, TTL, keyed by pool and username, destroyed with the stack', () => {
    const { template, cleanup } = build();
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'userPoolId', KeyType: 'HASH' }, { AttributeName: 'username', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'userPoolId', AttributeType: 'S' }, { AttributeName: 'username', AttributeType: 'S' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    });
    expect(cleanup.indexTable).toBeDefined();
  });

  test('the slice Lambda gets the table name and exactly the store\'s two actions on that table only', () => {
    const { template, stack, cleanup } = build();
    const tableId = stack.getLogicalId(cleanup.indexTable!.node.defaultChild as any);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NEXT_CHECK_TABLE: { Ref: tableId } }) },
    });
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(statements).toEqual([{
      Action: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
    }]);
  });

  test('incremental: false creates no table, no grant and no table name', () => {
    const { template, cleanup } = build({ incremental: false });
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('dynamodb:');
    expect(JSON.stringify(template.toJSON())).not.toContain('NEXT_CHECK_TABLE');
    expect(cleanup.indexTable).toBeUndefined();
  });

  test('a dry run keeps its index too (its entries make users with stale devices due at once)', () => {
    const { template } = build({ dryRun: true });
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
  });
});
