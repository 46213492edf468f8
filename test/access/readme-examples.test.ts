/** The README's two ways to deploy the access role ("Sweeping pools in other accounts"), as written there. */
import { App, CfnParameter, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { CognitoDeviceChecks, DeviceSweepAccessRole } from '../../src';
import { allBuiltInPacks, nagFindings } from '../util/nag';

test('(a) a CDK app in the target account: two pools of that account, two central roles', () => {
  const app = new App();
  const stack = new Stack(app, 'DeviceSweepAccess', { env: { account: '333333333333', region: 'eu-west-1' } });
  const access = new DeviceSweepAccessRole(stack, 'SweepAccess', {
    trustedRoleArns: [
      'arn:aws:iam::111111111111:role/central-device-sweep',
      'arn:aws:iam::111111111111:role/ops/device-sweep-cli',
    ],
    externalId: 'org-device-sweep-2026',
    userPools: [
      cognito.UserPool.fromUserPoolId(stack, 'Payments', 'eu-west-1_AbC123'),
      cognito.UserPool.fromUserPoolArn(stack, 'PaymentsUs', 'arn:aws:cognito-idp:us-east-1:333333333333:userpool/us-east-1_XyZ789'),
    ],
    roleName: 'CognitoDeviceSweepAccess',
  });

  expect(stack.resolve(access.roleArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SweepAccessRole/), 'Arn'] });
  expect(nagFindings(app, [...allBuiltInPacks(), new CognitoDeviceChecks()])).toEqual([]);
});

test('(b) the StackSet template: environment-agnostic, no bootstrap check, the external id its only parameter', () => {
  const app = new App();
  const stack = new Stack(app, 'CognitoDeviceSweepAccess', {
    synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
  });
  new DeviceSweepAccessRole(stack, 'SweepAccess', {
    trustedRoleArns: ['arn:aws:iam::111111111111:role/central-device-sweep'],
    externalId: new CfnParameter(stack, 'ExternalId', { type: 'String', minLength: 2, maxLength: 1224 }).valueAsString,
    userPoolTag: { key: 'device-sweep', value: 'enabled' },
    roleName: 'CognitoDeviceSweepAccess',
  });

  const template = Template.fromStack(stack).toJSON();
  expect(Object.keys(template.Parameters)).toEqual(['ExternalId']);
  expect(template.Rules).toBeUndefined();
  expect(Object.values(template.Resources).map((r: any) => r.Type).sort()).toEqual(['AWS::IAM::ManagedPolicy', 'AWS::IAM::Role']);
  const role: any = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::IAM::Role');
  expect(role.Properties.RoleName).toBe('CognitoDeviceSweepAccess');
  expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals).toEqual({ 'sts:ExternalId': { Ref: 'ExternalId' } });
  // The pools are those of the account and Region each stack instance is deployed in.
  const policy: any = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::IAM::ManagedPolicy');
  expect(policy.Properties.PolicyDocument.Statement[1].Resource).toEqual({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cognito-idp:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':userpool/*']],
  });
  expect(nagFindings(app, [...allBuiltInPacks(), new CognitoDeviceChecks()])).toEqual([]);
});
