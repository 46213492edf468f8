import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { UserPoolDeviceGrants } from '../../src';
import { newStack } from '../util/stack';

type GrantMethod = 'forgetDevice' | 'listDevices' | 'getDevice' | 'updateDeviceStatus' | 'readDevices' | 'scanDevices' | 'sweepDevices';

const EXPECTED_ACTIONS: Record<GrantMethod, string[]> = {
  forgetDevice: ['cognito-idp:AdminForgetDevice'],
  listDevices: ['cognito-idp:AdminListDevices'],
  getDevice: ['cognito-idp:AdminGetDevice'],
  updateDeviceStatus: ['cognito-idp:AdminUpdateDeviceStatus'],
  readDevices: ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminGetDevice'],
  scanDevices: ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices'],
  sweepDevices: ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice'],
};
const METHODS = Object.keys(EXPECTED_ACTIONS) as GrantMethod[];

/** CDK renders a one-element action list as a plain string. */
function actionValue(actions: string[]): string | string[] {
  return actions.length === 1 ? actions[0] : actions;
}

function statementsOf(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

interface PoolKind {
  readonly name: string;
  readonly make: (stack: Stack) => cognito.IUserPool | cognito.CfnUserPool;
  readonly expectedResource: unknown;
}

const POOL_KINDS: PoolKind[] = [
  {
    name: 'owned UserPool',
    make: (stack) => new cognito.UserPool(stack, 'Pool'),
    expectedResource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Pool'), 'Arn'] },
  },
  {
    name: 'UserPool.fromUserPoolId',
    make: (stack) => cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AbC123'),
    expectedResource: {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbC123']],
    },
  },
  {
    name: 'UserPool.fromUserPoolArn of another account and Region',
    make: (stack) => cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:us-east-2:222222222222:userpool/us-east-2_XyZ789'),
    expectedResource: 'arn:aws:cognito-idp:us-east-2:222222222222:userpool/us-east-2_XyZ789',
  },
  {
    name: 'L1 CfnUserPool',
    make: (stack) => new cognito.CfnUserPool(stack, 'Pool'),
    expectedResource: { 'Fn::GetAtt': ['Pool', 'Arn'] },
  },
];

describe('UserPoolDeviceGrants.fromUserPool', () => {
  describe.each(POOL_KINDS)('on an $name', (kind) => {
    test.each(METHODS)('%s grants exactly its actions on exactly the pool ARN', (method) => {
      const stack = newStack();
      const pool = kind.make(stack);
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

      const grant = UserPoolDeviceGrants.fromUserPool(pool)[method](role);

      expect(grant.success).toBe(true);
      const statements = statementsOf(stack);
      expect(statements).toHaveLength(1);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [Match.exact({
            Effect: 'Allow',
            Action: actionValue(EXPECTED_ACTIONS[method]),
            Resource: kind.expectedResource,
          })],
        },
        Roles: [{ Ref: Match.stringLikeRegexp('^Role') }],
      });
    });
  });

  test('several grants on one role each add their own statement on the same pool', () => {
    const stack = newStack();
    const pool = new cognito.UserPool(stack, 'Pool');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const grants = UserPoolDeviceGrants.fromUserPool(pool);

    grants.forgetDevice(role);
    grants.listDevices(role);
    grants.readDevices(role);

    const statements = statementsOf(stack);
    expect(statements.map((s) => s.Action)).toEqual([
      'cognito-idp:AdminForgetDevice',
      'cognito-idp:AdminListDevices',
      ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminGetDevice'],
    ]);
    for (const statement of statements) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Pool/), 'Arn'] });
    }
  });

  test('with policy minimization on, CDK merges the grants on one pool into one statement', () => {
    const stack = newStack({ agnostic: true, context: { '@aws-cdk/aws-iam:minimizePolicies': true } });
    const pool = new cognito.UserPool(stack, 'Pool');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    UserPoolDeviceGrants.fromUserPool(pool).forgetDevice(role);
    UserPoolDeviceGrants.fromUserPool(pool).getDevice(role);

    const statements = statementsOf(stack);
    expect(statements).toHaveLength(1);
    expect([...statements[0].Action].sort()).toEqual(['cognito-idp:AdminForgetDevice', 'cognito-idp:AdminGetDevice']);
  });

  test('grants on two pools stay on their own ARNs', () => {
    const stack = newStack();
    const a = cognito.UserPool.fromUserPoolId(stack, 'A', 'eu-west-1_aaaaaaaaa');
    const b = cognito.UserPool.fromUserPoolArn(stack, 'B', 'arn:aws:cognito-idp:eu-west-1:333333333333:userpool/eu-west-1_bbbbbbbbb');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    UserPoolDeviceGrants.fromUserPool(a).sweepDevices(role);
    UserPoolDeviceGrants.fromUserPool(b).sweepDevices(role);

    const resources = statementsOf(stack).map((s) => JSON.stringify(s.Resource));
    expect(resources).toHaveLength(2);
    expect(resources[0]).toContain('userpool/eu-west-1_aaaaaaaaa');
    expect(resources[1]).toBe(JSON.stringify('arn:aws:cognito-idp:eu-west-1:333333333333:userpool/eu-west-1_bbbbbbbbb'));
  });

  test.each([
    ['a user', (stack: Stack) => new iam.User(stack, 'Grantee'), 'Users'],
    ['a group', (stack: Stack) => new iam.Group(stack, 'Grantee'), 'Groups'],
    ['a Lambda function', (stack: Stack) => new lambda.Function(stack, 'Grantee', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
    }), 'Roles'],
  ] as const)('works for %s', (_name, makeGrantee, attachment) => {
    const stack = newStack();
    const pool = new cognito.UserPool(stack, 'Pool');
    const grantee = makeGrantee(stack);

    const grant = UserPoolDeviceGrants.fromUserPool(pool).forgetDevice(grantee);

    expect(grant.success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'cognito-idp:AdminForgetDevice',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Pool'), 'Arn'] },
        })]),
      },
      [attachment]: [{ Ref: Match.stringLikeRegexp('^Grantee') }],
    });
  });

  test('a principal without an identity policy gets no statement and the Grant says so', () => {
    const stack = newStack();
    const pool = new cognito.UserPool(stack, 'Pool');

    const grant = UserPoolDeviceGrants.fromUserPool(pool).forgetDevice(new iam.AccountPrincipal('222222222222'));

    expect(grant.success).toBe(false);
    expect(() => grant.assertSuccess()).toThrow(/AdminForgetDevice/);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('an imported immutable role is left untouched, as aws-cdk-lib does', () => {
    const stack = newStack();
    const pool = new cognito.UserPool(stack, 'Pool');
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/ops', { mutable: false });

    UserPoolDeviceGrants.fromUserPool(pool).forgetDevice(role);

    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('an imported mutable role gets a policy attached by name', () => {
    const stack = newStack();
    const pool = new cognito.UserPool(stack, 'Pool');
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111111111111:role/ops');

    expect(UserPoolDeviceGrants.fromUserPool(pool).readDevices(role).success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { Roles: ['ops'] });
  });
});

describe('UserPoolDeviceGrants.fromTaggedUserPools', () => {
  test.each(METHODS)('%s grants its actions on userpool/* of the stack account and Region with a tag condition', (method) => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    UserPoolDeviceGrants.fromTaggedUserPools(stack, 'team', 'payments')[method](role);

    expect(statementsOf(stack)).toEqual([{
      Effect: 'Allow',
      Action: actionValue(EXPECTED_ACTIONS[method]),
      Resource: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cognito-idp:eu-west-1:111111111111:userpool/*']],
      },
      Condition: { StringEquals: { 'aws:ResourceTag/team': 'payments' } },
    }]);
  });

  test('an environment-agnostic stack scopes the ARN with the deploy-time account and Region', () => {
    const stack = newStack({ id: 'Agnostic', agnostic: true });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    UserPoolDeviceGrants.fromTaggedUserPools(role, 'env', 'prod').forgetDevice(role);

    expect(statementsOf(stack)[0].Resource).toEqual({
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':cognito-idp:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':userpool/*',
      ]],
    });
  });

  test.each([
    ['', 'payments', /tagKey must not be empty/],
    ['   ', 'payments', /tagKey must not be empty/],
    ['team', '', /tagValue must not be empty/],
    ['team*', 'payments', /tagKey 'team\*' has characters/],
    ['team', 'pay*', /tagValue 'pay\*' has characters/],
    ['team', 'pay"ments', /tagValue 'pay"ments' has characters/],
    ['aws:cloudformation:stack-name', 'x', /reserved 'aws:' prefix/],
    ['k'.repeat(129), 'x', /longer than 128/],
    ['team', 'v'.repeat(257), /longer than 256/],
  ])('rejects tag key %j and value %j at synth', (key, value, message) => {
    const stack = newStack();
    expect(() => UserPoolDeviceGrants.fromTaggedUserPools(stack, key, value)).toThrow(message);
  });

  test('rejects a token tag key at once with a clear message (it would otherwise fail deep in synth)', () => {
    const stack = newStack();
    const key = new CfnParameter(stack, 'TagKey').valueAsString;
    expect(() => UserPoolDeviceGrants.fromTaggedUserPools(stack, key, 'payments'))
      .toThrow('UserPoolDeviceGrants.fromTaggedUserPools: tagKey is a token');
  });

  test('a token tag value reaches the condition and synthesizes', () => {
    const stack = newStack();
    const value = new CfnParameter(stack, 'TagValue').valueAsString;
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    UserPoolDeviceGrants.fromTaggedUserPools(stack, 'team', value).forgetDevice(role);
    expect(statementsOf(stack)).toEqual([expect.objectContaining({
      Condition: { StringEquals: { 'aws:ResourceTag/team': { Ref: 'TagValue' } } },
    })]);
  });

  test('accepts the characters IAM allows in tags', () => {
    const stack = newStack();
    expect(() => UserPoolDeviceGrants.fromTaggedUserPools(stack, 'cost-center/team_1.a:b=c+d@e', 'Zahlungsverkehr 2')).not.toThrow();
  });

  test('rejects a scope outside a Stack with a clear message', () => {
    const app = new App();
    expect(() => UserPoolDeviceGrants.fromTaggedUserPools(app, 'team', 'payments')).toThrow(/is not inside a Stack/);
  });
});

describe('what is never granted', () => {
  test('no method grants a token-authorized device action or a "*" resource', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const pool = new cognito.UserPool(stack, 'Pool');
    for (const grants of [UserPoolDeviceGrants.fromUserPool(pool), UserPoolDeviceGrants.fromTaggedUserPools(stack, 'team', 'payments')]) {
      for (const method of METHODS) grants[method](role);
    }

    const statements = statementsOf(stack);
    expect(statements).toHaveLength(METHODS.length * 2);
    const actions = statements.flatMap((s) => [s.Action].flat());
    for (const tokenAction of ['ForgetDevice', 'ListDevices', 'GetDevice', 'UpdateDeviceStatus']) {
      expect(actions).not.toContain(`cognito-idp:${tokenAction}`);
    }
    expect(actions.every((a) => /^cognito-idp:(Admin[A-Za-z]+Device[s]?|AdminUpdateDeviceStatus|ListUsers)$/.test(a))).toBe(true);
    expect(statements.map((s) => s.Resource)).not.toContain('*');
  });
});

describe('UserPoolDeviceGrants.fromUserPools', () => {
  test('one statement per method, listing every pool once', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const a = cognito.UserPool.fromUserPoolArn(stack, 'A', 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AAAAAAAAA');
    const b = cognito.UserPool.fromUserPoolArn(stack, 'B', 'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_BBBBBBBBB');

    UserPoolDeviceGrants.fromUserPools([a, b, a]).sweepDevices(role);

    expect(statementsOf(stack)).toEqual([{
      Effect: 'Allow',
      Action: EXPECTED_ACTIONS.sweepDevices,
      Resource: [
        'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AAAAAAAAA',
        'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_BBBBBBBBB',
      ],
    }]);
  });

  test('an empty list is refused', () => {
    expect(() => UserPoolDeviceGrants.fromUserPools([])).toThrow('UserPoolDeviceGrants.fromUserPools: userPools is empty; name at least one user pool.');
  });
});

describe('describeUserPool', () => {
  test('allows cognito-idp:DescribeUserPool on the pool, or on tagged pools with the tag condition', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const pool = cognito.UserPool.fromUserPoolArn(stack, 'Pool', 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbC123');

    UserPoolDeviceGrants.fromUserPool(pool).describeUserPool(role);
    UserPoolDeviceGrants.fromTaggedUserPools(stack, 'team', 'payments').describeUserPool(role);

    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:DescribeUserPool', Resource: 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbC123' },
      {
        Effect: 'Allow',
        Action: 'cognito-idp:DescribeUserPool',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cognito-idp:eu-west-1:111111111111:userpool/*']] },
        Condition: { StringEquals: { 'aws:ResourceTag/team': 'payments' } },
      },
    ]);
  });
});
