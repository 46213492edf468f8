import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { DeviceSweepAccessRole, DeviceSweepAccessRoleProps } from '../../src';
import { TEST_ACCOUNT, TEST_REGION } from '../util/stack';

/** The central account's roles in these tests. */
export const CENTRAL_SWEEP_ROLE = 'arn:aws:iam::222222222222:role/central-device-sweep';
export const CENTRAL_CLI_ROLE = 'arn:aws:iam::222222222222:role/ops/device-sweep-cli';
export const EXTERNAL_ID = 'org-device-sweep-2026';

export const POOL_ID = `${TEST_REGION}_AbC123`;
export const POOL_ARN = `arn:aws:cognito-idp:${TEST_REGION}:${TEST_ACCOUNT}:userpool/${POOL_ID}`;
export const OTHER_REGION_POOL_ARN = `arn:aws:cognito-idp:us-east-1:${TEST_ACCOUNT}:userpool/us-east-1_XyZ789`;

export const SWEEP_ACTIONS = ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice'];
export const DRY_RUN_ACTIONS = ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices'];

/** `arn:${AWS::Partition}:...` as formatArn writes it in a stack with an environment. */
export function partitionArn(rest: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] };
}

/** An access role over two pools (one by id, one by ARN in another Region) with the test defaults. */
export function accessRole(stack: Stack, props: Partial<DeviceSweepAccessRoleProps> = {}): DeviceSweepAccessRole {
  return new DeviceSweepAccessRole(stack, 'Access', {
    trustedRoleArns: [CENTRAL_SWEEP_ROLE],
    externalId: EXTERNAL_ID,
    userPools: [
      cognito.UserPool.fromUserPoolId(stack, 'Pool', POOL_ID),
      cognito.UserPool.fromUserPoolArn(stack, 'OtherRegionPool', OTHER_REGION_POOL_ARN),
    ],
    ...props,
  });
}

/** The one role's properties. */
export function roleOf(stack: Stack): any {
  const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  return roles[0].Properties;
}

/** The one managed policy's statements (the role has no other policy). */
export function statementsOf(stack: Stack): any[] {
  const template = Template.fromStack(stack);
  expect(template.findResources('AWS::IAM::Policy')).toEqual({});
  const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}
