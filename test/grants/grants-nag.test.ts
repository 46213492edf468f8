import { App, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { UserPoolDeviceGrants } from '../../src';
import { acknowledgeFinding } from '../../src/private/acknowledge-finding';
import { nagFindings } from '../util/nag';
import { appOf, newStack } from '../util/stack';

const INLINE_POLICY_RULES = [
  'HIPAA.Security-IAMNoInlinePolicy',
  'NIST.800.53.R4-IAMNoInlinePolicy',
  'NIST.800.53.R5-IAMNoInlinePolicy',
  'PCI.DSS.321-IAMNoInlinePolicy',
];

/** What an application that owns these roles acknowledges: CDK grants always write the role's inline default policy. */
function acceptInlinePolicies(role: IConstruct): void {
  for (const id of INLINE_POLICY_RULES) {
    Validations.of(role).acknowledge({
      id,
      reason: 'CDK grants write to the role\'s own default policy, which lives and dies with the role.',
    });
  }
}

function grantEverything(): { app: App; stack: Stack; role: iam.Role; tagRole: iam.Role } {
  const stack = newStack({ id: 'Grants' });
  const app = appOf(stack);
  const byId = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AbC123');
  const byArn = cognito.UserPool.fromUserPoolArn(stack, 'Imported', 'arn:aws:cognito-idp:us-east-2:222222222222:userpool/us-east-2_XyZ789');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const tagRole = new iam.Role(stack, 'TagRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

  for (const grants of [UserPoolDeviceGrants.fromUserPool(byId), UserPoolDeviceGrants.fromUserPool(byArn)]) {
    grants.forgetDevice(role);
    grants.listDevices(role);
    grants.getDevice(role);
    grants.updateDeviceStatus(role);
    grants.readDevices(role);
    grants.sweepDevices(role);
  }
  const tagged = UserPoolDeviceGrants.fromTaggedUserPools(stack, 'team', 'payments');
  tagged.readDevices(tagRole);
  tagged.sweepDevices(tagRole);
  acceptInlinePolicies(role);
  acceptInlinePolicies(tagRole);
  return { app, stack, role, tagRole };
}

test('exact-pool grants pass the six cdk-nag packs; the tag-scoped wildcard is the one finding to acknowledge', () => {
  const { app } = grantEverything();

  expect(nagFindings(app)).toEqual([{
    ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:eu-west-1:111111111111:userpool/*]',
    path: 'Grants/TagRole/DefaultPolicy/Resource',
  }]);
});

test('with that one finding acknowledged on the grantee, the six packs find nothing', () => {
  const { app, tagRole } = grantEverything();
  acknowledgeFinding(
    tagRole,
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:eu-west-1:111111111111:userpool/*]',
    'userpool/* is narrowed by a StringEquals aws:ResourceTag/team = payments condition: only pools tagged for this team match.',
  );

  expect(nagFindings(app)).toEqual([]);
});
