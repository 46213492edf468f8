import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { deviceFindings, deviceViolations, POLICY_PATH, policyWith, rawPolicyWith, TOKEN_RULE, WILDCARD_RULE } from './fixtures';
import { newStack } from '../util/stack';

const ONE_POOL = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123';

describe('CognitoDevice-TokenAuthorizedDeviceAction', () => {
  test.each([
    ['cognito-idp:ForgetDevice'],
    ['cognito-idp:ListDevices'],
    ['cognito-idp:GetDevice'],
    ['cognito-idp:UpdateDeviceStatus'],
    ['cognito-idp:forgetdevice'],
  ])('reports %s named in Action', (action) => {
    const stack = newStack({ agnostic: true });
    policyWith(stack, new iam.PolicyStatement({ actions: [action], resources: [ONE_POOL] }));
    expect(deviceFindings(stack)).toEqual([{ ruleId: TOKEN_RULE, path: POLICY_PATH }]);
  });

  test('is a warning whose text says IAM does not evaluate the action', () => {
    const stack = newStack({ agnostic: true });
    policyWith(stack, new iam.PolicyStatement({ actions: ['cognito-idp:ForgetDevice'], resources: [ONE_POOL] }));
    const violations = deviceViolations(stack);
    expect(violations).toEqual([expect.objectContaining({
      ruleName: TOKEN_RULE,
      severity: 'warning',
      description: expect.stringContaining('IAM never evaluates it'),
    })]);
  });

  test('reports it next to an admin action in an array', () => {
    const stack = newStack({ agnostic: true });
    const pool = new cognito.UserPool(stack, 'Pool');
    policyWith(
      stack,
      new iam.PolicyStatement({ actions: ['cognito-idp:AdminForgetDevice', 'cognito-idp:ListDevices'], resources: [pool.userPoolArn] }),
    );
    expect(deviceFindings(stack)).toEqual([{ ruleId: TOKEN_RULE, path: POLICY_PATH }]);
  });

  test('reports it in a Deny too: denying it prevents nothing', () => {
    const stack = newStack({ agnostic: true });
    rawPolicyWith(stack, { Effect: 'Deny', Action: 'cognito-idp:ForgetDevice', Resource: '*' });
    expect(deviceFindings(stack)).toEqual([{ ruleId: TOKEN_RULE, path: 'Stack/Policy' }]);
  });

  test('is reported alongside a broad admin grant in the same statement', () => {
    const stack = newStack({ agnostic: true });
    policyWith(stack, new iam.PolicyStatement({ actions: ['cognito-idp:AdminForgetDevice', 'cognito-idp:ForgetDevice'], resources: ['*'] }));
    expect(deviceFindings(stack)).toEqual([
      { ruleId: WILDCARD_RULE, path: POLICY_PATH },
      { ruleId: TOKEN_RULE, path: POLICY_PATH },
    ]);
  });

  test.each([
    ['cognito-idp:Forget*'],
    ['cognito-idp:*Devices'],
    ['cognito-idp:*'],
    ['cognito-idp:AdminForgetDevice'],
  ])('leaves %s alone (wildcards and admin actions are not token-authorized names)', (action) => {
    const stack = newStack({ agnostic: true });
    policyWith(stack, new iam.PolicyStatement({ actions: [action], resources: [ONE_POOL] }));
    expect(deviceFindings(stack)).toEqual([]);
  });
});
