import { CfnParameter } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import {
  accessRole, CENTRAL_CLI_ROLE, CENTRAL_SWEEP_ROLE, DRY_RUN_ACTIONS, EXTERNAL_ID, OTHER_REGION_POOL_ARN, partitionArn, POOL_ID,
  roleOf, statementsOf, SWEEP_ACTIONS,
} from './access-role-fixtures';
import { DeviceSweepAccessRole } from '../../src';
import { SWEEP_SESSION_NAME_PREFIX } from '../../src/sweep/input/session-name';
import { newStack, TEST_ACCOUNT, TEST_REGION } from '../util/stack';

const EXACT_POOLS = [partitionArn(`:cognito-idp:${TEST_REGION}:${TEST_ACCOUNT}:userpool/${POOL_ID}`), OTHER_REGION_POOL_ARN];
const TAGGED_POOLS = partitionArn(`:cognito-idp:${TEST_REGION}:${TEST_ACCOUNT}:userpool/*`);
const TAG_CONDITION = { StringEquals: { 'aws:ResourceTag/team': 'payments' } };

describe('trust policy', () => {
  test('exactly the central roles, one statement, with the external id and the session-name prefix', () => {
    const stack = newStack();
    accessRole(stack, { trustedRoleArns: [CENTRAL_SWEEP_ROLE, CENTRAL_CLI_ROLE, CENTRAL_SWEEP_ROLE] });

    expect(roleOf(stack).AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: [CENTRAL_SWEEP_ROLE, CENTRAL_CLI_ROLE] },
        Condition: {
          StringEquals: { 'sts:ExternalId': EXTERNAL_ID },
          StringLike: { 'sts:RoleSessionName': 'cognito-device-sweep-*' },
        },
      }],
    });
  });

  test('the session-name prefix is the exported constant, and can be changed', () => {
    expect(DeviceSweepAccessRole.SESSION_NAME_PREFIX).toBe('cognito-device-sweep-');
    expect(SWEEP_SESSION_NAME_PREFIX).toBe(DeviceSweepAccessRole.SESSION_NAME_PREFIX);

    const stack = newStack();
    const access = accessRole(stack, { sessionNamePrefix: 'sec-ops.sweep@' });

    expect(access.sessionNamePrefix).toBe('sec-ops.sweep@');
    expect(roleOf(stack).AssumeRolePolicyDocument.Statement[0].Condition.StringLike).toEqual({ 'sts:RoleSessionName': 'sec-ops.sweep@*' });
  });

  test('an external id and a role ARN given as StackSet parameters reach the trust policy', () => {
    const stack = newStack({ agnostic: true });
    const externalId = new CfnParameter(stack, 'ExternalId', { type: 'String', noEcho: true });
    const centralRole = new CfnParameter(stack, 'CentralRoleArn', { type: 'String' });
    new DeviceSweepAccessRole(stack, 'Access', {
      trustedRoleArns: [centralRole.valueAsString],
      externalId: externalId.valueAsString,
      userPoolTag: { key: 'team', value: 'payments' },
    });

    const statement = roleOf(stack).AssumeRolePolicyDocument.Statement[0];
    expect(statement.Principal).toEqual({ AWS: { Ref: 'CentralRoleArn' } });
    expect(statement.Condition.StringEquals).toEqual({ 'sts:ExternalId': { Ref: 'ExternalId' } });
  });
});

describe('permission policy', () => {
  test('DescribeUserPool and the sweep actions on the exact pool ARNs, nothing else, in a managed policy', () => {
    const stack = newStack();
    accessRole(stack);

    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPool', Resource: EXACT_POOLS },
      { Effect: 'Allow', Action: SWEEP_ACTIONS, Resource: EXACT_POOLS },
    ]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: Match.stringLikeRegexp('^AccessRole') }] });
    expect(roleOf(stack).Policies).toBeUndefined();
    expect(roleOf(stack).ManagedPolicyArns).toBeUndefined();
  });

  test('dryRunOnly leaves out AdminForgetDevice', () => {
    const stack = newStack();
    accessRole(stack, { dryRunOnly: true });

    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPool', Resource: EXACT_POOLS },
      { Effect: 'Allow', Action: DRY_RUN_ACTIONS, Resource: EXACT_POOLS },
    ]);
    expect(roleOf(stack).Description).toMatch(/dry run only/);
  });

  test('by tag: userpool/* of the stack account and Region, every statement with the tag condition', () => {
    const stack = newStack();
    accessRole(stack, { userPools: undefined, userPoolTag: { key: 'team', value: 'payments' } });

    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPool', Resource: TAGGED_POOLS, Condition: TAG_CONDITION },
      { Effect: 'Allow', Action: SWEEP_ACTIONS, Resource: TAGGED_POOLS, Condition: TAG_CONDITION },
    ]);
  });

  test('by tag and dry run only', () => {
    const stack = newStack();
    accessRole(stack, { userPools: [], userPoolTag: { key: 'team', value: 'payments' }, dryRunOnly: true });

    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPool', Resource: TAGGED_POOLS, Condition: TAG_CONDITION },
      { Effect: 'Allow', Action: DRY_RUN_ACTIONS, Resource: TAGGED_POOLS, Condition: TAG_CONDITION },
    ]);
  });

  test('pools by ARN and by tag together: both sets of statements', () => {
    const stack = newStack();
    accessRole(stack, { userPoolTag: { key: 'team', value: 'payments' } });

    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPool', Resource: EXACT_POOLS },
      { Effect: 'Allow', Action: SWEEP_ACTIONS, Resource: EXACT_POOLS },
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPool', Resource: TAGGED_POOLS, Condition: TAG_CONDITION },
      { Effect: 'Allow', Action: SWEEP_ACTIONS, Resource: TAGGED_POOLS, Condition: TAG_CONDITION },
    ]);
  });

  test('followAccountUsage adds cloudwatch:GetMetricData on "*" to the same managed policy, after the pools\' statements', () => {
    const stack = newStack();
    accessRole(stack, { followAccountUsage: true });

    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPool', Resource: EXACT_POOLS },
      { Effect: 'Allow', Action: SWEEP_ACTIONS, Resource: EXACT_POOLS },
      { Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' },
    ]);
    expect(roleOf(stack).Policies).toBeUndefined();
  });

  test('readProvisionedLimits and followAccountUsage together: one statement each on "*"', () => {
    const stack = newStack();
    accessRole(stack, { readProvisionedLimits: true, followAccountUsage: true, dryRunOnly: true });

    expect(statementsOf(stack).filter((s) => s.Resource === '*')).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:GetProvisionedLimit', Resource: '*' },
      { Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' },
    ]);
  });

  test('never "*", never a token-authorized device action, never anything but the sweep\'s actions', () => {
    for (const props of [{}, { dryRunOnly: true }, { userPoolTag: { key: 'team', value: 'payments' } }]) {
      const stack = newStack();
      accessRole(stack, props);
      const statements = statementsOf(stack);
      expect(statements.map((s) => s.Resource).flat()).not.toContain('*');
      expect(new Set(statements.flatMap((s) => [s.Action].flat()))).toEqual(
        new Set(['cognito-idp:DescribeUserPool', ...('dryRunOnly' in props ? DRY_RUN_ACTIONS : SWEEP_ACTIONS)]));
      expect(statements.every((s) => s.Effect === 'Allow' && s.NotAction === undefined && s.NotResource === undefined)).toBe(true);
    }
  });

  test('an owned pool of the same stack is granted by reference', () => {
    const stack = newStack();
    const pool = new cognito.UserPool(stack, 'Owned');
    accessRole(stack, { userPools: [pool] });

    const arn = stack.resolve(pool.userPoolArn);
    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPool', Resource: arn },
      { Effect: 'Allow', Action: SWEEP_ACTIONS, Resource: arn },
    ]);
  });
});

describe('the role', () => {
  test('roleArn, roleName and role point at the one role; roleName sets its name', () => {
    const stack = newStack();
    const access = accessRole(stack, { roleName: 'CognitoDeviceSweepAccess' });

    const logicalId = Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role'))[0];
    expect(stack.resolve(access.roleArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(stack.resolve(access.roleName)).toEqual({ Ref: logicalId });
    expect(access.role.roleArn).toBe(access.roleArn);
    expect(roleOf(stack).RoleName).toBe('CognitoDeviceSweepAccess');
  });

  test('without roleName CloudFormation names it', () => {
    const stack = newStack();
    accessRole(stack);
    expect(roleOf(stack).RoleName).toBeUndefined();
  });
});

describe('pools and the role\'s account', () => {
  test('pools of other Regions of the same account are fine', () => {
    const stack = newStack();
    accessRole(stack);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('in an environment-agnostic stack a literal pool ARN is a warning: its account is known at deploy time only', () => {
    const stack = newStack({ agnostic: true });
    new DeviceSweepAccessRole(stack, 'Access', {
      trustedRoleArns: [CENTRAL_SWEEP_ROLE],
      externalId: EXTERNAL_ID,
      userPools: [
        cognito.UserPool.fromUserPoolArn(stack, 'Pool', OTHER_REGION_POOL_ARN),
        cognito.UserPool.fromUserPoolId(stack, 'ById', POOL_ID),
      ],
    });

    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('environment-agnostic'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/Stack/Access');
    expect(warnings[0].entry.data).toContain(OTHER_REGION_POOL_ARN);
  });
});
