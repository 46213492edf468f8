/**
 * Multi-Region replica pools (issue 19): a replica keeps its pool id (whose prefix names the primary's
 * Region) while its ARN names the replica's Region. Device administration goes to the primary, and
 * IAM evaluates it on the primary's ARN, so that is the one ARN the grants name.
 */
import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DeviceRevocation, DeviceSweepAccessRole, UserPoolDeviceGrants } from '../../src';
import { primaryPoolArn, primaryPoolArnOf } from '../../src/grants/primary-pool-arn';
import { evaluate } from '../iam/evaluate';
import { policiesOfRole } from '../iam/role-policies';
import { Template as TemplateJson, TemplateResolver } from '../iam/template-resolver';
import { newStack, TEST_ACCOUNT } from '../util/stack';

const REPLICA_ARN = 'arn:aws:cognito-idp:us-west-2:111122223333:userpool/us-east-1_EXAMPLE';
const PRIMARY_ARN = 'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_EXAMPLE';
const SWEEP = ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice'];
const INFO_ID = 'cdk-cognito-devices:UserPoolDeviceGrants.replicaArn';

function lambdaRole(stack: Stack): iam.Role {
  return new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

/** The statements of the stack's one AWS::IAM::Policy. */
function statementsOf(stack: Stack): any[] {
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
  expect(policies).toHaveLength(1);
  return (policies[0] as any).Properties.PolicyDocument.Statement;
}

function replicaInfos(stack: Stack): string[] {
  return Annotations.fromStack(stack).findInfo('*', Match.anyValue())
    .map((m) => String(m.entry.data))
    .filter((text) => text.includes('Multi-Region replica'));
}

describe('primaryPoolArnOf', () => {
  test.each([
    ['a replica ARN: the Region of the id', REPLICA_ARN, { arn: PRIMARY_ARN, primaryRegion: 'us-east-1', replicaRegion: 'us-west-2' }],
    ['a primary ARN: unchanged', PRIMARY_ARN, { arn: PRIMARY_ARN, primaryRegion: 'us-east-1' }],
    ['another partition keeps its partition',
      'arn:aws-cn:cognito-idp:cn-northwest-1:111122223333:userpool/cn-north-1_Ab1',
      { arn: 'arn:aws-cn:cognito-idp:cn-north-1:111122223333:userpool/cn-north-1_Ab1', primaryRegion: 'cn-north-1', replicaRegion: 'cn-northwest-1' }],
    ['a Region wildcard is no replica: as given', 'arn:aws:cognito-idp:*:111122223333:userpool/us-east-1_EXAMPLE',
      { arn: 'arn:aws:cognito-idp:*:111122223333:userpool/us-east-1_EXAMPLE' }],
    ['an id wildcard: as given', 'arn:aws:cognito-idp:us-west-2:111122223333:userpool/*', { arn: 'arn:aws:cognito-idp:us-west-2:111122223333:userpool/*' }],
    ['another service: as given', 'arn:aws:s3:::bucket', { arn: 'arn:aws:s3:::bucket' }],
    ['not an ARN: as given', 'us-east-1_EXAMPLE', { arn: 'us-east-1_EXAMPLE' }],
  ])('%s', (_name, given, expected) => {
    expect(primaryPoolArnOf(given)).toEqual(expected);
  });

  test('tokens: an id that is a token, or a whole ARN that is one, is kept as given; a Region token with a literal id is pinned to the id\'s Region', () => {
    const stack = newStack({ agnostic: true });
    const id = new CfnParameter(stack, 'PoolId').valueAsString;
    const region = new CfnParameter(stack, 'Region').valueAsString;

    const idToken = `arn:aws:cognito-idp:us-west-2:111122223333:userpool/${id}`;
    expect(primaryPoolArnOf(idToken)).toEqual({ arn: idToken });
    const whole = Fn.importValue('PoolArn');
    expect(primaryPoolArnOf(whole)).toEqual({ arn: whole });
    const owned = new cognito.UserPool(stack, 'Owned');
    expect(primaryPoolArn(owned)).toBe(owned.userPoolArn);

    const regionToken = primaryPoolArnOf(`arn:aws:cognito-idp:${region}:111122223333:userpool/us-east-1_EXAMPLE`);
    expect(regionToken).toEqual({ arn: PRIMARY_ARN, primaryRegion: 'us-east-1' });
  });
});

describe('UserPoolDeviceGrants on a replica imported by ARN', () => {
  test('every grant names the primary\'s ARN only, and an info says so once on the pool', () => {
    const stack = newStack();
    const replica = cognito.UserPool.fromUserPoolArn(stack, 'Replica', REPLICA_ARN);
    const role = lambdaRole(stack);
    const grants = UserPoolDeviceGrants.fromUserPool(replica);

    grants.sweepDevices(role);
    grants.describeUserPool(role);
    UserPoolDeviceGrants.fromUserPool(replica).forgetDevice(role);

    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: SWEEP, Resource: PRIMARY_ARN },
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPool', Resource: PRIMARY_ARN },
      { Effect: 'Allow', Action: 'cognito-idp:AdminForgetDevice', Resource: PRIMARY_ARN },
    ]);
    const infos = Annotations.fromStack(stack).findInfo('/Stack/Replica', Match.stringLikeRegexp('Multi-Region replica in us-west-2'));
    expect(infos).toHaveLength(1);
    expect(infos[0].entry.data).toBe(
      `${REPLICA_ARN} is the ARN of a Multi-Region replica in us-west-2 of a pool whose primary is in us-east-1: ` +
      `device administration goes to the primary, so its grants name ${PRIMARY_ARN}. [ack: ${INFO_ID}]`);
  });

  test('fromUserPools: the replica and its primary named both are one ARN, other pools stay as they are', () => {
    const stack = newStack();
    const role = lambdaRole(stack);
    UserPoolDeviceGrants.fromUserPools([
      cognito.UserPool.fromUserPoolArn(stack, 'Replica', REPLICA_ARN),
      cognito.UserPool.fromUserPoolArn(stack, 'Primary', PRIMARY_ARN),
      cognito.UserPool.fromUserPoolArn(stack, 'Other', 'arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_Other1'),
    ]).scanDevices(role);

    expect(statementsOf(stack)).toEqual([{
      Effect: 'Allow',
      Action: ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices'],
      Resource: [PRIMARY_ARN, 'arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_Other1'],
    }]);
    expect(replicaInfos(stack)).toHaveLength(1);
  });

  test('a plain pool (ARN and id in the same Region) is granted on its ARN exactly as given, with no info', () => {
    const stack = newStack();
    const role = lambdaRole(stack);
    UserPoolDeviceGrants.fromUserPool(cognito.UserPool.fromUserPoolArn(stack, 'Primary', PRIMARY_ARN)).sweepDevices(role);
    UserPoolDeviceGrants.fromUserPool(cognito.UserPool.fromUserPoolId(stack, 'ById', 'eu-west-1_AbC123')).sweepDevices(role);

    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: SWEEP, Resource: PRIMARY_ARN },
      {
        Effect: 'Allow',
        Action: SWEEP,
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cognito-idp:eu-west-1:${TEST_ACCOUNT}:userpool/eu-west-1_AbC123`]] },
      },
    ]);
    expect(replicaInfos(stack)).toEqual([]);
  });

  test('token ARNs: an id given at deploy time keeps the ARN as given; fromUserPoolId in an agnostic stack names the id\'s Region', () => {
    const stack = newStack({ agnostic: true });
    const role = lambdaRole(stack);
    const poolId = new CfnParameter(stack, 'PoolId');
    UserPoolDeviceGrants.fromUserPool(
      cognito.UserPool.fromUserPoolArn(stack, 'ByParameter', `arn:aws:cognito-idp:us-west-2:111122223333:userpool/${poolId.valueAsString}`),
    ).forgetDevice(role);
    UserPoolDeviceGrants.fromUserPool(cognito.UserPool.fromUserPoolArn(stack, 'ByImport', Fn.importValue('PoolArn'))).forgetDevice(role);
    UserPoolDeviceGrants.fromUserPool(cognito.UserPool.fromUserPoolId(stack, 'ById', 'us-east-1_EXAMPLE')).forgetDevice(role);

    expect(statementsOf(stack).map((s) => s.Resource)).toEqual([
      { 'Fn::Join': ['', ['arn:aws:cognito-idp:us-west-2:111122223333:userpool/', { Ref: 'PoolId' }]] },
      { 'Fn::ImportValue': 'PoolArn' },
      // The stack's Region is unknown, but the pool id is administered in us-east-1 wherever the stack runs.
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cognito-idp:us-east-1:', { Ref: 'AWS::AccountId' }, ':userpool/us-east-1_EXAMPLE']] },
    ]);
    expect(replicaInfos(stack)).toEqual([]);
  });

  test('IAM evaluation: the sweep\'s calls on the primary\'s ARN are Allowed; nothing is granted on the replica\'s ARN, where no call goes', async () => {
    const stack = newStack();
    const replicaArn = `arn:aws:cognito-idp:us-west-2:${TEST_ACCOUNT}:userpool/us-east-1_EXAMPLE`;
    const primaryArn = `arn:aws:cognito-idp:us-east-1:${TEST_ACCOUNT}:userpool/us-east-1_EXAMPLE`;
    const role = lambdaRole(stack);
    const grants = UserPoolDeviceGrants.fromUserPool(cognito.UserPool.fromUserPoolArn(stack, 'Replica', replicaArn));
    grants.sweepDevices(role);
    grants.describeUserPool(role);

    const resolver = new TemplateResolver(Template.fromStack(stack).toJSON() as TemplateJson);
    const policies = policiesOfRole(resolver, stack.getLogicalId(role.node.defaultChild as iam.CfnRole));
    for (const action of [...SWEEP, 'cognito-idp:DescribeUserPool']) {
      expect([action, await evaluate(policies, 'Role', action, primaryArn)]).toEqual([action, 'Allowed']);
      expect([action, await evaluate(policies, 'Role', action, replicaArn)]).toEqual([action, 'ImplicitlyDenied']);
    }
    expect(await evaluate(policies, 'Role', 'cognito-idp:AdminGetDevice', primaryArn)).toBe('ImplicitlyDenied');
  });
});

describe('constructs that grant on pools', () => {
  const replicaArn = `arn:aws:cognito-idp:us-west-2:${TEST_ACCOUNT}:userpool/us-east-1_EXAMPLE`;
  const primaryArn = `arn:aws:cognito-idp:us-east-1:${TEST_ACCOUNT}:userpool/us-east-1_EXAMPLE`;

  test('DeviceSweepAccessRole: a replica of its account is granted on the primary\'s ARN', () => {
    const stack = newStack();
    new DeviceSweepAccessRole(stack, 'Access', {
      trustedRoleArns: ['arn:aws:iam::222222222222:role/central-device-sweep'],
      externalId: 'org-device-sweep-2026',
      userPools: [cognito.UserPool.fromUserPoolArn(stack, 'Replica', replicaArn)],
    });
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toHaveLength(1);
    expect((policies[0] as any).Properties.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPool', Resource: primaryArn },
      { Effect: 'Allow', Action: SWEEP, Resource: primaryArn },
    ]);
  });

  test('DeviceSweepAccessRole: a replica of another account is refused, named as given', () => {
    const stack = newStack();
    expect(() => new DeviceSweepAccessRole(stack, 'Access', {
      trustedRoleArns: ['arn:aws:iam::222222222222:role/central-device-sweep'],
      externalId: 'org-device-sweep-2026',
      userPools: [cognito.UserPool.fromUserPoolArn(stack, 'Replica', REPLICA_ARN)],
    })).toThrow(`userPools: ${REPLICA_ARN} is a pool of account 111122223333, but this role is in account ${TEST_ACCOUNT}.`);
  });

  test('DeviceRevocation: its function is granted on the primary\'s ARN', () => {
    const stack = newStack();
    new DeviceRevocation(stack, 'Revocation', { userPools: [cognito.UserPool.fromUserPoolArn(stack, 'Replica', replicaArn)] });
    const statements = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('cognito-idp:'));
    expect(statements).toEqual([{ Effect: 'Allow', Action: SWEEP, Resource: primaryArn }]);
  });
});
