import { CfnParameter, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { accessRole, CENTRAL_SWEEP_ROLE, EXTERNAL_ID } from './access-role-fixtures';
import { CognitoDeviceChecks, DeviceSweepAccessRole } from '../../src';
import { allBuiltInPacks, nagFindings } from '../util/nag';
import { appOf, newStack } from '../util/stack';

const ALL_PACKS = () => [...allBuiltInPacks(), new CognitoDeviceChecks()];

/** Every acknowledgement recorded inside the construct: finding id -> reason. */
function acknowledgementsIn(access: DeviceSweepAccessRole): Record<string, string> {
  return Object.assign({}, ...access.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .map((m) => m.data as Record<string, string>)));
}

describe('cdk-nag: six packs and CognitoDeviceChecks', () => {
  test.each([
    ['exact pools', {}],
    ['exact pools, dry run only', { dryRunOnly: true }],
    ['exact pools and a tag', { userPoolTag: { key: 'team', value: 'payments' } }],
    ['a tag only, dry run only', { userPools: [], userPoolTag: { key: 'team', value: 'payments' }, dryRunOnly: true }],
    ['exact pools, reading the provisioned limits', { readProvisionedLimits: true }],
    ['exact pools, following the account usage', { followAccountUsage: true }],
    ['a tag, reading the provisioned limits and following the account usage', {
      userPoolTag: { key: 'team', value: 'payments' }, readProvisionedLimits: true, followAccountUsage: true,
    }],
  ])('%s: zero findings', (_name, props) => {
    const stack = newStack();
    accessRole(stack, props);
    expect(nagFindings(appOf(stack), ALL_PACKS())).toEqual([]);
  });

  test('an environment-agnostic StackSet template (parameters, tag) has zero findings', () => {
    const stack = newStack({ agnostic: true });
    new DeviceSweepAccessRole(stack, 'Access', {
      trustedRoleArns: [new CfnParameter(stack, 'CentralRoleArn', { type: 'String' }).valueAsString],
      externalId: new CfnParameter(stack, 'ExternalId', { type: 'String' }).valueAsString,
      userPoolTag: { key: 'team', value: new CfnParameter(stack, 'Team', { type: 'String' }).valueAsString },
      roleName: 'CognitoDeviceSweepAccess',
    });
    expect(nagFindings(appOf(stack), ALL_PACKS())).toEqual([]);
  });

  test('exact pools need no acknowledgement at all', () => {
    const stack = newStack();
    const access = accessRole(stack);
    expect(acknowledgementsIn(access)).toEqual({});
  });

  test('the tag variant acknowledges exactly one finding, which fires without it, with the tag in its reason', () => {
    const stack = newStack();
    const access = accessRole(stack, { userPoolTag: { key: 'team', value: 'payments' } });
    const acknowledged = acknowledgementsIn(access);
    const id = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:eu-west-1:111111111111:userpool/*]';
    expect(Object.keys(acknowledged)).toEqual([`annotation::${id}`]);
    expect(acknowledged[`annotation::${id}`]).toMatch(/StringEquals aws:ResourceTag\/team = payments condition/);

    // Without the acknowledgement the finding is real: the same policy document, unacknowledged.
    const document = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))[0].Properties.PolicyDocument;
    const bare = newStack();
    new iam.CfnManagedPolicy(bare, 'Copy', { policyDocument: document });
    expect(nagFindings(appOf(bare), ALL_PACKS()).map((f) => f.ruleId)).toEqual([id]);
  });

  test('the acknowledgement is narrow: a second wildcard statement on the role is still reported', () => {
    const stack = newStack();
    const access = accessRole(stack, { userPoolTag: { key: 'team', value: 'payments' } });
    (access.role as iam.Role).addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cognito-idp:AdminForgetDevice'],
      resources: ['arn:aws:cognito-idp:eu-west-1:111111111111:userpool/*'],
    }));
    expect(nagFindings(appOf(stack), ALL_PACKS()).map((f) => f.ruleId).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::arn:aws:cognito-idp:eu-west-1:111111111111:userpool/*]',
      'CognitoDevice-AdminDeviceWildcardResource',
    ]);
  });

  test('the trust policy names roles only: no account principal for a reviewer to acknowledge', () => {
    const stack = newStack();
    accessRole(stack, { trustedRoleArns: [CENTRAL_SWEEP_ROLE], externalId: EXTERNAL_ID });
    const trust = JSON.stringify(stack.resolve((stack.node.findChild('Access').node.findChild('Role') as iam.Role).assumeRolePolicy));
    expect(trust).not.toMatch(/:root|"\*"/);
  });
});

test('readProvisionedLimits adds exactly GetProvisionedLimit on "*", and nothing else on "*"', () => {
  const stack = newStack();
  accessRole(stack, { readProvisionedLimits: true });
  const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  expect(statements.filter((s) => s.Resource === '*')).toEqual([{ Effect: 'Allow', Action: 'cognito-idp:GetProvisionedLimit', Resource: '*' }]);
  const without = newStack();
  accessRole(without);
  expect(JSON.stringify(Template.fromStack(without).toJSON())).not.toContain('GetProvisionedLimit');
});

test('followAccountUsage adds exactly cloudwatch:GetMetricData on "*", and nothing else on "*"', () => {
  const stack = newStack();
  accessRole(stack, { followAccountUsage: true });
  const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  expect(statements.filter((s) => s.Resource === '*')).toEqual([{ Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' }]);
  const without = newStack();
  accessRole(without);
  expect(JSON.stringify(Template.fromStack(without).toJSON())).not.toContain('cloudwatch:');
});

test.each([
  ['readProvisionedLimits', { readProvisionedLimits: true }, ['cognito-idp:GetProvisionedLimit'], ['cloudwatch:GetMetricData']],
  ['followAccountUsage', { followAccountUsage: true }, ['cloudwatch:GetMetricData'], ['cognito-idp:GetProvisionedLimit']],
  ['both', { readProvisionedLimits: true, followAccountUsage: true }, ['cognito-idp:GetProvisionedLimit', 'cloudwatch:GetMetricData'], []],
])('%s: one acknowledgement of the "*", whose reason names exactly the actions granted on it, and which fires without it', (_name, props, named, unnamed) => {
  const stack = newStack();
  const access = accessRole(stack, props);
  const acknowledged = acknowledgementsIn(access);
  expect(Object.keys(acknowledged)).toEqual(['annotation::AwsSolutions-IAM5[Resource::*]']);
  const reason = acknowledged['annotation::AwsSolutions-IAM5[Resource::*]'];
  for (const action of named) expect(reason).toContain(action);
  for (const action of unnamed) expect(reason).not.toContain(action);

  const document = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))[0].Properties.PolicyDocument;
  const bare = newStack();
  new iam.CfnManagedPolicy(bare, 'Copy', { policyDocument: document });
  expect(nagFindings(appOf(bare), ALL_PACKS()).map((f) => f.ruleId)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
});
