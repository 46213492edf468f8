import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { StaleDeviceCleanup } from '../../src/cleanup';
import { nagFindings } from '../util/nag';
import { appOf, newStack } from '../util/stack';

function build(followAccountUsage?: boolean) {
  const stack = newStack();
  const app = appOf(stack);
  const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_Pool1');
  const cleanup = new StaleDeviceCleanup(stack, 'Cleanup', { userPools: [pool], staleAfter: Duration.days(90), followAccountUsage });
  return { app, stack, cleanup, template: Template.fromStack(stack) };
}

const GET_METRIC_DATA = Match.objectLike({
  PolicyDocument: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Action: 'cloudwatch:GetMetricData' })]) }),
});

test('followAccountUsage grants the slice function cloudwatch:GetMetricData (no resource type: "*") and passes the flag to each run', () => {
  const { template, stack, cleanup } = build(true);

  template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: { Statement: [{ Action: 'cloudwatch:GetMetricData', Effect: 'Allow', Resource: '*' }], Version: '2012-10-17' },
    Roles: [stack.resolve(cleanup.sliceFunction.role!.roleName)],
  });
  const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule'))[0];
  expect(JSON.parse(schedule.Properties.Target.Input).config.followAccountUsage).toBe(true);
});

test('without it there is no CloudWatch read grant', () => {
  const { template } = build();

  expect(template.findResources('AWS::IAM::ManagedPolicy', { Properties: GET_METRIC_DATA })).toEqual({});
  expect(template.findResources('AWS::IAM::Policy', { Properties: GET_METRIC_DATA })).toEqual({});
});

test('the grant leaves no cdk-nag finding (its "*" is acknowledged with the reason)', () => {
  const { app } = build(true);

  expect(nagFindings(app).filter((f) => f.path.startsWith('Stack/Cleanup/'))).toEqual([]);
});
