/**
 * cognito-idp:GetProvisionedLimit has no IAM resource type: "*" is the only way to grant it, so the
 * pack must not take it for an over-broad device grant; wildcards that reach device actions still are.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { deviceFindings, POLICY_PATH, policyWith, WILDCARD_RULE } from './fixtures';
import { newStack } from '../util/stack';

const allow = (actions: string[], resources: string[]) => new iam.PolicyStatement({ actions, resources });

test('GetProvisionedLimit on "*" is compliant', () => {
  const stack = newStack({ agnostic: true });
  policyWith(stack, allow(['cognito-idp:GetProvisionedLimit'], ['*']));
  expect(deviceFindings(stack)).toEqual([]);
});

test.each([
  ['cognito-idp:Get*'],
  ['cognito-idp:*ProvisionedLimit'],
])('%s on "*" reaches no admin device action: compliant', (action) => {
  const stack = newStack({ agnostic: true });
  policyWith(stack, allow([action], ['*']));
  expect(deviceFindings(stack)).toEqual([]);
});

test('GetProvisionedLimit beside an admin device action on "*" is still reported', () => {
  const stack = newStack({ agnostic: true });
  policyWith(stack, allow(['cognito-idp:GetProvisionedLimit', 'cognito-idp:AdminForgetDevice'], ['*']));
  expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: POLICY_PATH }]);
});
