import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { deviceFindings, NEGATED_RULE, POLICY_PATH, policyWith, TOKEN_RULE, WILDCARD_RULE } from './fixtures';
import { newStack } from '../util/stack';

/** One statement that breaks two rules: a broad admin grant and a token-authorized action. */
function doublyBadStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ['cognito-idp:AdminForgetDevice', 'cognito-idp:ForgetDevice'], resources: ['*'] });
}

describe('acknowledging CognitoDevice findings', () => {
  test('an acknowledgement on the policy suppresses exactly the acknowledged rule id', () => {
    const stack = newStack({ agnostic: true });
    const policy = policyWith(stack, doublyBadStatement());
    Validations.of(policy).acknowledge({ id: WILDCARD_RULE, reason: 'Break-glass role: forgets devices in any pool during an incident.' });
    expect(deviceFindings(stack)).toEqual([{ ruleId: TOKEN_RULE, path: POLICY_PATH }]);
  });

  test('an acknowledgement of another rule id suppresses nothing', () => {
    const stack = newStack({ agnostic: true });
    const policy = policyWith(stack, doublyBadStatement());
    Validations.of(policy).acknowledge({ id: NEGATED_RULE, reason: 'Not the rule this policy breaks.' });
    expect(deviceFindings(stack)).toEqual([
      { ruleId: WILDCARD_RULE, path: POLICY_PATH },
      { ruleId: TOKEN_RULE, path: POLICY_PATH },
    ]);
  });

  test('an acknowledgement on one policy leaves another policy reported', () => {
    const stack = newStack({ agnostic: true });
    const acknowledged = policyWith(stack, new iam.PolicyStatement({ actions: ['cognito-idp:AdminForgetDevice'], resources: ['*'] }));
    new iam.ManagedPolicy(stack, 'Other', { statements: [new iam.PolicyStatement({ actions: ['cognito-idp:Admin*'], resources: ['*'] })] });
    Validations.of(acknowledged).acknowledge({ id: WILDCARD_RULE, reason: 'Break-glass role reviewed by security.' });
    expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: 'Stack/Other/Resource' }]);
  });

  test('an acknowledgement on a parent (the stack) covers the resources below it', () => {
    const stack = newStack({ agnostic: true });
    policyWith(stack, doublyBadStatement());
    Validations.of(stack).acknowledge(
      { id: WILDCARD_RULE, reason: 'Operations stack: its roles administer every pool of the account.' },
      { id: TOKEN_RULE, reason: 'Kept for an audit tool that reads the policy; documented as having no effect.' },
    );
    expect(deviceFindings(stack)).toEqual([]);
  });
});
