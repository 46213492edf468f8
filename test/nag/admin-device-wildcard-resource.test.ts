import { Fn, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { deviceFindings, POLICY_PATH, policyWith, rawPolicyWith, WILDCARD_RULE } from './fixtures';
import { newStack } from '../util/stack';

const ALL_POOLS_LITERAL = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/*';

/** `arn:${Partition}:cognito-idp:${Region}:${Account}:userpool/*` as the `Fn::Join` CDK renders. */
function allPoolsOf(stack: Stack): string {
  return stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' });
}

function allow(actions: string[], resources: string[], conditions?: Record<string, Record<string, unknown>>): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions, resources, conditions });
}

/** An AwsCustomResource calling adminForgetDevice on a new pool, its policy on `resourcesOf(pool)`. */
function customResourceForgettingDevice(stack: Stack, resourcesOf: (pool: cognito.UserPool) => string[]): void {
  const pool = new cognito.UserPool(stack, 'Pool');
  new cr.AwsCustomResource(stack, 'Forget', {
    onCreate: {
      service: 'CognitoIdentityServiceProvider',
      action: 'adminForgetDevice',
      parameters: { UserPoolId: pool.userPoolId, Username: 'alice', DeviceKey: 'us-east-1_device' },
      physicalResourceId: cr.PhysicalResourceId.of('forget'),
    },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: resourcesOf(pool) }),
    installLatestAwsSdk: false,
  });
}

describe('CognitoDevice-AdminDeviceWildcardResource', () => {
  describe('reports admin device actions on every pool', () => {
    test.each([
      ['cognito-idp:AdminForgetDevice'],
      ['cognito-idp:AdminListDevices'],
      ['cognito-idp:AdminGetDevice'],
      ['cognito-idp:AdminUpdateDeviceStatus'],
      ['cognito-idp:*'],
      ['cognito-idp:Admin*'],
      ['cognito-idp:AdminF*'],
      ['cognito-idp:AdminG*'],
      ['*'],
      ['Cognito-IDP:adminforgetdevice'],
    ])('%s on Resource "*"', (action) => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, allow([action], ['*']));
      expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: POLICY_PATH }]);
    });

    test.each([
      ['a literal userpool/* ARN', () => ALL_POOLS_LITERAL],
      ['Stack.formatArn(... userpool/*) (Fn::Join)', (stack: Stack) => allPoolsOf(stack)],
      ['any Region and account', () => 'arn:aws:cognito-idp:*:*:userpool/*'],
      ['every cognito-idp resource', () => 'arn:aws:cognito-idp:*'],
      ['every resource of any service', () => 'arn:*'],
      ['every pool id of one Region', () => 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_*'],
      ['Fn::Sub with a literal * after userpool/', () => Fn.sub('arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/*')],
      ['Fn::Sub with ${AWS::Region}_* as the pool id', () => Fn.sub('arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${AWS::Region}_*')],
      ['Fn::Join with separators', () => Fn.join(':', ['arn', Stack.of(newStack({ agnostic: true })).partition, 'cognito-idp', '*', '*', 'userpool/*'])],
    ])('cognito-idp:AdminForgetDevice on %s', (_name, resource) => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, allow(['cognito-idp:AdminForgetDevice'], [resource(stack)]));
      expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: POLICY_PATH }]);
    });

    test('when one of several resources covers every pool (array form)', () => {
      const stack = newStack({ agnostic: true });
      const pool = new cognito.UserPool(stack, 'Pool');
      policyWith(stack, allow(['cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice'], [pool.userPoolArn, allPoolsOf(stack)]));
      expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: POLICY_PATH }]);
    });

    test('when the tag condition also passes for untagged pools', () => {
      const stack = newStack({ agnostic: true });
      policyWith(
        stack,
        allow(['cognito-idp:AdminForgetDevice'], [allPoolsOf(stack)], { StringNotEquals: { 'aws:ResourceTag/team': 'payments' } }),
        allow(['cognito-idp:AdminListDevices'], [allPoolsOf(stack)], { StringEqualsIfExists: { 'aws:ResourceTag/team': 'payments' } }),
      );
      expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: POLICY_PATH }]);
    });

    test('when the condition is on something other than a resource tag', () => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, allow(['cognito-idp:AdminForgetDevice'], ['*'], { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }));
      expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: POLICY_PATH }]);
    });

    test('in raw JSON with Action and Resource as plain strings', () => {
      const stack = newStack({ agnostic: true });
      rawPolicyWith(stack, { Effect: 'Allow', Action: 'cognito-idp:AdminForgetDevice', Resource: '*' });
      expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: 'Stack/Policy' }]);
    });

    test('in raw JSON with a ? wildcard among other actions (array form)', () => {
      const stack = newStack({ agnostic: true });
      rawPolicyWith(stack, { Effect: 'Allow', Action: ['s3:GetObject', 'cognito-idp:Admin?orgetDevice'], Resource: ['arn:aws:s3:::b/*', '*'] });
      expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: 'Stack/Policy' }]);
    });

    test('in an AwsCustomResource calling adminForgetDevice with ANY_RESOURCE', () => {
      const stack = newStack({ agnostic: true });
      customResourceForgettingDevice(stack, () => cr.AwsCustomResourcePolicy.ANY_RESOURCE);
      expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: 'Stack/Forget/CustomResourcePolicy/Resource' }]);
    });

    test('in a ManagedPolicy', () => {
      const stack = newStack({ agnostic: true });
      new iam.ManagedPolicy(stack, 'Managed', { statements: [allow(['cognito-idp:Admin*'], ['*'])] });
      expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: 'Stack/Managed/Resource' }]);
    });

    test('in the inline policies of a Role, a User and a Group', () => {
      const stack = newStack({ agnostic: true });
      const document = new iam.PolicyDocument({ statements: [allow(['cognito-idp:*'], [allPoolsOf(stack)])] });
      new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal(), inlinePolicies: { devices: document } });
      new iam.CfnUser(stack, 'User', { policies: [{ policyName: 'devices', policyDocument: document }] });
      new iam.CfnGroup(stack, 'Group', { policies: [{ policyName: 'devices', policyDocument: document }] });
      expect(deviceFindings(stack)).toEqual([
        { ruleId: WILDCARD_RULE, path: 'Stack/Role/Resource' },
        { ruleId: WILDCARD_RULE, path: 'Stack/User' },
        { ruleId: WILDCARD_RULE, path: 'Stack/Group' },
      ]);
    });

    test('in an AWS::IAM::RolePolicy', () => {
      const stack = newStack({ agnostic: true });
      new iam.CfnRolePolicy(stack, 'RolePolicy', {
        roleName: 'some-role',
        policyName: 'devices',
        policyDocument: { Statement: [{ Effect: 'Allow', Action: ['cognito-idp:AdminForgetDevice'], Resource: ['*'] }] },
      });
      expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: 'Stack/RolePolicy' }]);
    });
  });

  describe('accepts', () => {
    test("aws-cdk-lib's userPool.grant (Fn::GetAtt of the pool)", () => {
      const stack = newStack({ agnostic: true });
      const pool = new cognito.UserPool(stack, 'Pool');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      pool.grant(role, 'cognito-idp:AdminForgetDevice', 'cognito-idp:AdminListDevices');
      expect(deviceFindings(stack)).toEqual([]);
    });

    test('an imported pool (literal pool id inside Fn::Join)', () => {
      const stack = newStack({ agnostic: true });
      const pool = cognito.UserPool.fromUserPoolId(stack, 'Imported', 'us-east-1_AbC123');
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      pool.grant(role, 'cognito-idp:AdminForgetDevice');
      expect(deviceFindings(stack)).toEqual([]);
    });

    test.each([
      ['Stack.formatArn with the pool id (Fn::Join ending in a Ref)', (stack: Stack, pool: cognito.UserPool) =>
        stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: pool.userPoolId })],
      ['Fn::Sub with a ${UserPool} placeholder', (_stack: Stack, pool: cognito.UserPool) =>
        Fn.sub('arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${PoolId}', { PoolId: pool.userPoolId })],
      ['Fn::Sub with an attribute placeholder', () =>
        Fn.sub('arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${Pool.UserPoolId}')],
      ['Fn::ImportValue', () => Fn.importValue('shared-pool-arn')],
      ['a prefix of one pool id', () => 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC*'],
      ['an ARN of another service', () => 'arn:aws:s3:::bucket/*'],
      ['a pool ARN with a wildcard after a reference', (_stack: Stack, pool: cognito.UserPool) => `${pool.userPoolArn}*`],
    ])('AdminForgetDevice on %s', (_name, resource) => {
      const stack = newStack({ agnostic: true });
      const pool = new cognito.UserPool(stack, 'Pool');
      policyWith(stack, allow(['cognito-idp:AdminForgetDevice', 'cognito-idp:AdminListDevices'], [resource(stack, pool)]));
      expect(deviceFindings(stack)).toEqual([]);
    });

    test.each([
      ['StringEquals', { StringEquals: { 'aws:ResourceTag/team': 'payments' } }],
      ['StringLike', { StringLike: { 'aws:ResourceTag/team': 'pay*' } }],
      ['ForAnyValue:StringEquals, key in another case', { 'ForAnyValue:StringEquals': { 'AWS:ResourceTag/team': ['payments'] } }],
    ])('userpool/* with an aws:ResourceTag condition (%s)', (_name, condition) => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, allow(['cognito-idp:AdminForgetDevice'], [allPoolsOf(stack)], condition));
      expect(deviceFindings(stack)).toEqual([]);
    });

    test.each([
      ['cognito-idp:ListUsers'],
      ['cognito-idp:AdminD*'],
      ['cognito-idp:AdminCreateUser'],
      ['s3:*'],
    ])('%s (no admin device action) on Resource "*"', (action) => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, allow([action], ['*']));
      expect(deviceFindings(stack)).toEqual([]);
    });

    test('Deny statements', () => {
      const stack = newStack({ agnostic: true });
      policyWith(
        stack,
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['cognito-idp:*'], resources: ['*'] }),
        allow(['s3:GetObject'], ['arn:aws:s3:::bucket/*']),
      );
      expect(deviceFindings(stack)).toEqual([]);
    });

    test('an AwsCustomResource calling adminForgetDevice on the pool ARN', () => {
      const stack = newStack({ agnostic: true });
      customResourceForgettingDevice(stack, (pool) => [pool.userPoolArn]);
      expect(deviceFindings(stack)).toEqual([]);
    });
  });
});
