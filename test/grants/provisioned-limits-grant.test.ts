/** UserPoolDeviceGrants.readProvisionedLimits: the one opt-in grant on "*", for an action without a resource type. */
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CognitoDeviceChecks, UserPoolDeviceGrants } from '../../src';
import { nagFindings } from '../util/nag';
import { appOf, newStack } from '../util/stack';

function roleWithGrant(): { stack: ReturnType<typeof newStack>; role: iam.Role; grant: iam.Grant } {
  const stack = newStack({ id: 'Limits' });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const grant = UserPoolDeviceGrants.readProvisionedLimits(role);
  return { stack, role, grant };
}

test('grants exactly cognito-idp:GetProvisionedLimit on "*", to the principal, in one statement', () => {
  const { stack, grant } = roleWithGrant();
  expect(grant.success).toBe(true);

  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  expect(statements).toEqual([{ Effect: 'Allow', Action: 'cognito-idp:GetProvisionedLimit', Resource: '*' }]);
});

test('CognitoDeviceChecks finds nothing in it: no device action, and the action has no resource type', () => {
  const { stack } = roleWithGrant();
  expect(nagFindings(appOf(stack), [new CognitoDeviceChecks()])).toEqual([]);
});

test('of the built-in packs, AwsSolutions-IAM5 reports the "*" (to acknowledge with the reason in the doc comment)', () => {
  const { stack } = roleWithGrant();
  const findings = nagFindings(appOf(stack)).filter((f) => !f.ruleId.endsWith('IAMNoInlinePolicy'));
  expect(findings).toEqual([{ ruleId: 'AwsSolutions-IAM5[Resource::*]', path: 'Limits/Role/DefaultPolicy/Resource' }]);
});
