import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { deviceFindings, NEGATED_RULE, POLICY_PATH, policyWith, rawPolicyWith } from './fixtures';
import { newStack } from '../util/stack';

const ALL_POOLS = 'arn:aws:cognito-idp:*:*:userpool/*';
const ONE_POOL = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123';

describe('CognitoDevice-AdminDeviceNegatedGrant', () => {
  describe('reports', () => {
    test.each([
      ['a NotAction of another service', ['iam:*']],
      ['a NotAction excluding only AdminForgetDevice', ['cognito-idp:AdminForgetDevice']],
      ['a NotAction excluding the non-device admin actions', ['cognito-idp:AdminC*', 'cognito-idp:AdminD*']],
    ])('an Allow with %s on Resource "*"', (_name, notActions) => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, new iam.PolicyStatement({ notActions, resources: ['*'] }));
      expect(deviceFindings(stack)).toEqual([{ ruleId: NEGATED_RULE, path: POLICY_PATH }]);
    });

    test('an Allow of AdminForgetDevice with a NotResource naming one pool', () => {
      const stack = newStack({ agnostic: true });
      const pool = new cognito.UserPool(stack, 'Pool');
      policyWith(stack, new iam.PolicyStatement({ actions: ['cognito-idp:AdminForgetDevice'], notResources: [pool.userPoolArn] }));
      expect(deviceFindings(stack)).toEqual([{ ruleId: NEGATED_RULE, path: POLICY_PATH }]);
    });

    test('an Allow of cognito-idp:* with a NotResource of another service', () => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, new iam.PolicyStatement({ actions: ['cognito-idp:*'], notResources: ['arn:aws:s3:::bucket'] }));
      expect(deviceFindings(stack)).toEqual([{ ruleId: NEGATED_RULE, path: POLICY_PATH }]);
    });

    test('NotAction and NotResource together, as plain strings in raw JSON', () => {
      const stack = newStack({ agnostic: true });
      rawPolicyWith(stack, { Effect: 'Allow', NotAction: 's3:*', NotResource: 'arn:aws:s3:::bucket' });
      expect(deviceFindings(stack)).toEqual([{ ruleId: NEGATED_RULE, path: 'Stack/Policy' }]);
    });

    test('in the inline policy of a Role', () => {
      const stack = newStack({ agnostic: true });
      new iam.Role(stack, 'Role', {
        assumedBy: new iam.AccountRootPrincipal(),
        inlinePolicies: { power: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ notActions: ['iam:*'], resources: ['*'] })] }) },
      });
      expect(deviceFindings(stack)).toEqual([{ ruleId: NEGATED_RULE, path: 'Stack/Role/Resource' }]);
    });
  });

  describe('accepts', () => {
    test.each([
      ['cognito-idp:*', ['cognito-idp:*']],
      ['a pattern covering the four admin device actions', ['cognito-idp:Admin*Device*']],
      ['the four admin device actions by name, in another case', [
        'cognito-idp:adminforgetdevice', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminGetDevice', 'cognito-idp:AdminUpdateDeviceStatus',
      ]],
    ])('a NotAction excluding %s', (_name, notActions) => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, new iam.PolicyStatement({ notActions, resources: ['*'] }));
      expect(deviceFindings(stack)).toEqual([]);
    });

    test.each([
      ['one pool', ONE_POOL],
      ['an S3 bucket', 'arn:aws:s3:::bucket/*'],
    ])('a NotAction on the resource of %s', (_name, resource) => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, new iam.PolicyStatement({ notActions: ['iam:*'], resources: [resource] }));
      expect(deviceFindings(stack)).toEqual([]);
    });

    test('a NotResource that excludes every pool', () => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, new iam.PolicyStatement({ actions: ['cognito-idp:*'], notResources: [ONE_POOL, ALL_POOLS] }));
      expect(deviceFindings(stack)).toEqual([]);
    });

    test('a NotResource with actions that are not admin device actions', () => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, new iam.PolicyStatement({ actions: ['s3:*', 'cognito-idp:ListUsers'], notResources: ['arn:aws:s3:::bucket'] }));
      expect(deviceFindings(stack)).toEqual([]);
    });

    test('a NotAction limited by an aws:ResourceTag condition', () => {
      const stack = newStack({ agnostic: true });
      policyWith(stack, new iam.PolicyStatement({
        notActions: ['iam:*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:ResourceTag/team': 'payments' } },
      }));
      expect(deviceFindings(stack)).toEqual([]);
    });

    test('Deny statements', () => {
      const stack = newStack({ agnostic: true });
      policyWith(
        stack,
        new iam.PolicyStatement({ effect: iam.Effect.DENY, notActions: ['s3:GetObject'], resources: ['*'] }),
        new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['cognito-idp:*'], notResources: [ONE_POOL] }),
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }),
      );
      expect(deviceFindings(stack)).toEqual([]);
    });
  });
});
