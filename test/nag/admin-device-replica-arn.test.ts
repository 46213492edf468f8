import { Fn } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { deviceFindings, deviceViolations, POLICY_PATH, policyWith, rawPolicyWith, REPLICA_RULE, TOKEN_RULE } from './fixtures';
import { UserPoolDeviceGrants } from '../../src';
import { newStack } from '../util/stack';

const REPLICA_ARN = 'arn:aws:cognito-idp:us-west-2:111122223333:userpool/us-east-1_EXAMPLE';
const PRIMARY_ARN = 'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_EXAMPLE';

describe('CognitoDevice-AdminDeviceReplicaArn', () => {
  test.each([
    ['AdminForgetDevice on the replica ARN', ['cognito-idp:AdminForgetDevice'], [REPLICA_ARN]],
    ['a wildcard action matching one', ['cognito-idp:Admin*'], [REPLICA_ARN]],
    ['the replica ARN next to the primary\'s', ['cognito-idp:AdminListDevices'], [PRIMARY_ARN, REPLICA_ARN]],
    ['a wildcard pool id of another Region', ['cognito-idp:AdminListDevices'], ['arn:aws:cognito-idp:us-west-2:111122223333:userpool/us-east-1_*']],
    ['a replica in another partition', ['cognito-idp:AdminGetDevice'], ['arn:aws-cn:cognito-idp:cn-northwest-1:111122223333:userpool/cn-north-1_Ab1']],
  ])('reports %s', (_name, actions, resources) => {
    const stack = newStack({ agnostic: true });
    policyWith(stack, new iam.PolicyStatement({ actions, resources }));
    expect(deviceFindings(stack)).toEqual([{ ruleId: REPLICA_RULE, path: POLICY_PATH }]);
  });

  test('reports a replica ARN written with references to the partition and account (Fn::Join, Fn::Sub)', () => {
    const stack = newStack({ agnostic: true });
    policyWith(stack,
      new iam.PolicyStatement({ actions: ['cognito-idp:AdminForgetDevice'], resources: [`arn:${stack.partition}:cognito-idp:us-west-2:${stack.account}:userpool/us-east-1_EXAMPLE`] }),
      new iam.PolicyStatement({ actions: ['cognito-idp:AdminListDevices'], resources: [Fn.sub('arn:${AWS::Partition}:cognito-idp:eu-central-1:${AWS::AccountId}:userpool/eu-west-1_Ab1')] }));
    expect(deviceFindings(stack)).toEqual([{ ruleId: REPLICA_RULE, path: POLICY_PATH }]);
  });

  test('reports a Deny too: denying on the replica ARN stops nothing', () => {
    const stack = newStack({ agnostic: true });
    rawPolicyWith(stack, { Effect: 'Deny', Action: 'cognito-idp:AdminForgetDevice', Resource: REPLICA_ARN });
    expect(deviceFindings(stack)).toEqual([{ ruleId: REPLICA_RULE, path: 'Stack/Policy' }]);
  });

  test('reports an Fn::If branch and a NotAction that lets admin device actions through', () => {
    const stack = newStack({ agnostic: true });
    rawPolicyWith(stack,
      { Effect: 'Allow', NotAction: 'iam:*', Resource: REPLICA_ARN },
      { Effect: 'Allow', Action: 'cognito-idp:AdminForgetDevice', Resource: { 'Fn::If': ['IsProd', PRIMARY_ARN, REPLICA_ARN] } });
    expect(deviceFindings(stack)).toEqual([{ ruleId: REPLICA_RULE, path: 'Stack/Policy' }]);
  });

  test('is a warning whose text says the calls go to the primary', () => {
    const stack = newStack({ agnostic: true });
    policyWith(stack, new iam.PolicyStatement({ actions: ['cognito-idp:AdminForgetDevice'], resources: [REPLICA_ARN] }));
    expect(deviceViolations(stack)).toEqual([expect.objectContaining({
      ruleName: REPLICA_RULE,
      severity: 'warning',
      description: expect.stringContaining('the calls go to the primary'),
    })]);
  });

  test.each([
    ['the primary\'s ARN', ['cognito-idp:AdminForgetDevice'], [PRIMARY_ARN]],
    ['a replica ARN for actions other than the admin device ones', ['cognito-idp:DescribeUserPool', 'cognito-idp:ListUserPoolReplicas'], [REPLICA_ARN]],
    ['a Region wildcard', ['cognito-idp:AdminForgetDevice'], ['arn:aws:cognito-idp:*:111122223333:userpool/us-east-1_EXAMPLE']],
    ['every pool of a Region (another rule\'s business)', ['cognito-idp:AdminForgetDevice'], ['arn:aws:cognito-idp:us-west-2:111122223333:userpool/*']],
    ['a pool id without a Region prefix', ['cognito-idp:AdminForgetDevice'], ['arn:aws:cognito-idp:us-west-2:111122223333:userpool/EXAMPLE']],
    ['another service', ['cognito-idp:AdminForgetDevice', 's3:GetObject'], ['arn:aws:s3:us-west-2:111122223333:us-east-1_x']],
  ])('leaves %s alone', (_name, actions, resources) => {
    const stack = newStack({ agnostic: true });
    policyWith(stack, new iam.PolicyStatement({ actions, resources }));
    expect(deviceFindings(stack).filter((f) => f.ruleId === REPLICA_RULE)).toEqual([]);
  });

  test('leaves references alone: an owned pool\'s Arn, formatArn with ${AWS::Region}, an import', () => {
    const stack = newStack({ agnostic: true });
    const pool = new cognito.UserPool(stack, 'Pool');
    policyWith(stack, new iam.PolicyStatement({
      actions: ['cognito-idp:AdminForgetDevice'],
      resources: [
        pool.userPoolArn,
        stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: 'us-east-1_EXAMPLE' }),
        Fn.importValue('PoolArn'),
      ],
    }));
    expect(deviceFindings(stack)).toEqual([]);
  });

  test('UserPoolDeviceGrants on a replica imported by ARN passes: it names the primary\'s ARN', () => {
    const stack = newStack({ agnostic: true });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const grants = UserPoolDeviceGrants.fromUserPool(cognito.UserPool.fromUserPoolArn(stack, 'Replica', REPLICA_ARN));
    grants.sweepDevices(role);
    grants.readDevices(role);
    grants.updateDeviceStatus(role);
    expect(deviceFindings(stack)).toEqual([]);
  });

  test('is reported next to the token-authorized rule in the same statement', () => {
    const stack = newStack({ agnostic: true });
    policyWith(stack, new iam.PolicyStatement({ actions: ['cognito-idp:AdminForgetDevice', 'cognito-idp:ForgetDevice'], resources: [REPLICA_ARN] }));
    expect(deviceFindings(stack)).toEqual([
      { ruleId: TOKEN_RULE, path: POLICY_PATH },
      { ruleId: REPLICA_RULE, path: POLICY_PATH },
    ]);
  });
});
