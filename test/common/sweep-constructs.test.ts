/**
 * What DevicePurge and StaleDeviceCleanup share through their base: the same metric names and
 * dimension, sweepName made the same way, the same shared options with the same checks and error
 * prefix, the same alarm, and the deprecated maxForgetsPerRun alias.
 */
import { Duration, Names, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DevicePurge, PurgeSelection, StaleDeviceCleanup, SweepMetric } from '../../src';
import type { DeviceSweepOptions, DevicePurgeProps, StaleDeviceCleanupProps } from '../../src';
import { newStack, TEST_ACCOUNT, TEST_REGION } from '../util/stack';

const POOL = 'eu-west-1_AbC123';

function purge(props: Partial<DevicePurgeProps> = {}, stack: Stack = newStack()): { stack: Stack; construct: DevicePurge } {
  const construct = new DevicePurge(stack, 'Purge', {
    userPool: cognito.UserPool.fromUserPoolId(stack, 'PurgedPool', POOL),
    selection: PurgeSelection.allDevices(),
    ...props,
  });
  return { stack, construct };
}

function cleanup(props: Partial<StaleDeviceCleanupProps> = {}, stack: Stack = newStack()): { stack: Stack; construct: StaleDeviceCleanup } {
  const construct = new StaleDeviceCleanup(stack, 'Cleanup', {
    userPools: [cognito.UserPool.fromUserPoolId(stack, 'CleanedPool', POOL)],
    staleAfter: Duration.days(90),
    ...props,
  });
  return { stack, construct };
}

const BOTH = [
  ['DevicePurge', (props: DeviceSweepOptions = {}) => purge(props)],
  ['StaleDeviceCleanup', (props: DeviceSweepOptions = {}) => cleanup(props)],
] as const;

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the props to be refused');
}

/** The run config the construct hands its workflow (schedule input or custom resource property). */
function configOf(stack: Stack): Record<string, unknown> {
  const template = Template.fromStack(stack);
  const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule'));
  if (schedules.length > 0) return JSON.parse(schedules[0].Properties.Target.Input).config;
  const purges = Object.values(template.findResources('Custom::CognitoDevicePurge'));
  return JSON.parse(stack.resolve(purges[0].Properties.Config));
}

describe.each(BOTH)('%s', (_name, build) => {
  test('every SweepMetric reads the name the slice emits, under this construct\'s SweepName', () => {
    const { construct, stack } = build();
    for (const name of Object.values(SweepMetric)) {
      const metric = construct.metricSweep(name);
      expect(metric.namespace).toBe('CognitoDeviceSweep');
      expect(metric.metricName).toBe(name);
      expect(metric.dimensions).toEqual({ SweepName: construct.sweepName });
      expect(metric.statistic).toBe('Sum');
    }
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SWEEP_NAME: construct.sweepName }) },
    });
  });

  test('the named metric helpers are metricSweep of their names; the deprecated metric(string) still works', () => {
    const { construct } = build();
    expect(construct.metricDevicesForgotten().metricName).toBe(SweepMetric.DEVICES_FORGOTTEN);
    expect(construct.metricDevicesScanned().metricName).toBe(SweepMetric.DEVICES_SCANNED);
    expect(construct.metricRunsFailed().metricName).toBe(SweepMetric.RUNS_FAILED);
    expect(construct.metricRunsCapped({ period: Duration.hours(1) }).period.toSeconds()).toBe(3600);
    expect(construct.metric('Throttled').dimensions).toEqual(construct.metricSweep(SweepMetric.THROTTLED).dimensions);
  });

  test('sweepName is the unique resource name of the construct path', () => {
    const { construct } = build();
    expect(construct.sweepName).toBe(Names.uniqueResourceName(construct, { maxLength: 255 }));
    expect(construct.sweepName).toMatch(/^Stack(Purge|Cleanup)[0-9A-F]{8}$/);
  });

  test('the shared options reach the run config the same way', () => {
    const { stack } = build({ dryRun: true, rateBudget: 0.2, maxForgets: 7, excludeUsernames: ['ops'], onlyRemembered: true });
    expect(configOf(stack)).toMatchObject({
      userPoolIds: [POOL], dryRun: true, maxForgets: 7, rateBudget: { fraction: 0.2 }, excludeUsernames: ['ops'], onlyRemembered: true,
    });
  });

  test.each([
    [{ rateBudget: 0 }, 'rateBudget is 0; use a fraction in (0, 1]'],
    [{ maxForgets: 0 }, 'maxForgets is 0; use a whole number of at least 1'],
    [{ excludeUsernames: [''] }, 'excludeUsernames #1 is empty'],
  ])('refuses %j with the construct path first', (props, message) => {
    const path = _name === 'DevicePurge' ? 'Stack/Purge' : 'Stack/Cleanup';
    expect(errorOf(() => build(props))).toMatch(new RegExp(`^${path}: ${message.replace(/[()[\]]/g, '\\$&')}`));
  });

  test('alarm: none by default; with a topic one alarm on failed, timed-out, erroring or capped runs that notifies it', () => {
    Template.fromStack(build().stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(build().construct.alarm).toBeUndefined();

    const stack = newStack();
    const alarmTopic = sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:alerts`);
    const { construct } = _name === 'DevicePurge' ? purge({ alarmTopic }, stack) : cleanup({ alarmTopic }, stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [alarmTopic.topicArn],
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(runsFailed, 0) + FILL(runsCapped, 0)' }),
        Match.objectLike({ Id: 'runsCapped', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'RunsCapped', Dimensions: [{ Name: 'SweepName', Value: construct.sweepName }] }) }) }),
      ]),
    });
    expect(construct.alarm).toBeDefined();
    expect(stack.resolve(construct.alarm!.alarmArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/RunsAlarm/), 'Arn'] });
  });
});

// The workflow has no timeout of its own: each construct's default (and bounds) reach it.
test.each([
  ['DevicePurge', () => purge(), 3600],
  ['StaleDeviceCleanup', () => cleanup(), 23 * 3600],
  ['DevicePurge with a timeout', () => purge({ timeout: Duration.minutes(30) }), 1800],
  ['StaleDeviceCleanup with a timeout', () => cleanup({ timeout: Duration.hours(6) }), 6 * 3600],
])('%s: the state machine stops a run after the construct\'s timeout', (_name, build, seconds) => {
  const { stack, construct } = build();
  // The construct's own state machine (a purge also has the Provider's waiter).
  const cfn = construct.stateMachine.node.defaultChild as sfn.CfnStateMachine;
  const definition = JSON.stringify(stack.resolve(cfn.definitionString));
  expect(definition).toContain(JSON.stringify(`"TimeoutSeconds":${seconds},`).slice(1, -1));
});

describe('StaleDeviceCleanup maxForgetsPerRun (deprecated)', () => {
  test('still sets the cap, and warns that it is deprecated', () => {
    const { stack } = cleanup({ maxForgetsPerRun: 300 });
    expect(configOf(stack).maxForgets).toBe(300);
    Annotations.fromStack(stack).hasWarning('/Stack/Cleanup', Match.stringLikeRegexp(
      'StaleDeviceCleanupProps#maxForgetsPerRun.*deprecated.*use maxForgets instead of maxForgetsPerRun'));
  });

  test('maxForgets alone does not warn', () => {
    const { stack } = cleanup({ maxForgets: 300 });
    expect(configOf(stack).maxForgets).toBe(300);
    Annotations.fromStack(stack).hasNoWarning('/Stack/Cleanup', Match.stringLikeRegexp('deprecated'));
  });

  test('both with the same value is that cap; with different values an error', () => {
    expect(configOf(cleanup({ maxForgets: 300, maxForgetsPerRun: 300 }).stack).maxForgets).toBe(300);
    expect(errorOf(() => cleanup({ maxForgets: 300, maxForgetsPerRun: 400 }))).toBe(
      'Stack/Cleanup: maxForgets is 300 but maxForgetsPerRun is 400; maxForgetsPerRun is the older name of maxForgets: set maxForgets only.');
  });
});
