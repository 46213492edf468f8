import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DevicePurge } from '../../src/purge/device-purge';
import { PurgeSelection } from '../../src/purge/purge-selection';
import { nagFindings } from '../util/nag';
import { appOf, newStack } from '../util/stack';

// Pools are imported: an owned UserPool has findings of its own (MFA, advanced security) that are
// about the application's pool, not about the purge.

test('all six cdk-nag packs are clean for purges in a stack with an environment', () => {
  const stack = newStack({ id: 'App' });
  const app = appOf(stack);
  const userPool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AbCdEf123');
  new DevicePurge(stack, 'StalePurge', { userPool, selection: PurgeSelection.staleDevices(Duration.days(30)) });
  new DevicePurge(stack, 'UserPurge', {
    userPool,
    selection: PurgeSelection.users(['alice']),
    dryRun: true,
    onDelete: true,
    waitForCompletion: false,
    timeout: Duration.hours(6),
  });
  expect(nagFindings(app)).toEqual([]);
});

test('all six cdk-nag packs are clean in an environment-agnostic stack, with encrypted logs', () => {
  const stack = newStack({ id: 'App', agnostic: true });
  const app = appOf(stack);
  const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
  new DevicePurge(stack, 'Purge', {
    userPool: cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbCdEf123'),
    selection: PurgeSelection.allDevices(),
    logEncryptionKey: key,
  });
  expect(nagFindings(app)).toEqual([]);
});

test('the acknowledgements are narrow: an unrelated wildcard grant on a purge role is still reported', () => {
  const stack = newStack({ id: 'App' });
  const app = appOf(stack);
  const purge = new DevicePurge(stack, 'Purge', {
    userPool: cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AbCdEf123'),
    selection: PurgeSelection.allDevices(),
  });
  const onEvent = purge.node.findChild('OnEvent') as lambda.Function;
  onEvent.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }));
  expect(nagFindings(app)).toEqual([{ ruleId: 'AwsSolutions-IAM5[Resource::arn:aws:s3:::bucket/*]', path: 'App/Purge/OnEventRole/Policy/Resource' }]);
});
