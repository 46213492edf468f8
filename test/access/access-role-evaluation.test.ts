/**
 * The synthesized access role as AWS evaluates it (`@cloud-copilot/iam-simulate`, the harness of
 * test/iam): the central role's AssumeRole against the trust policy (cross-account: the central
 * role's own policy must allow it too), then each call of the assumed role against its policies.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { accessRole, CENTRAL_CLI_ROLE, CENTRAL_SWEEP_ROLE, EXTERNAL_ID, OTHER_REGION_POOL_ARN, POOL_ARN } from './access-role-fixtures';
import { DeviceSweepAccessRole, DeviceSweepAccessRoleProps, StaleDeviceCleanup } from '../../src';
import { sessionName } from '../../src/sweep/calls/account-credentials';
import { SWEEP_SESSION_NAME_PREFIX } from '../../src/sweep/input/session-name';
import { Decision, evaluate } from '../iam/evaluate';
import { NamedPolicy, policiesOfRole } from '../iam/role-policies';
import { ACCOUNT, PARTITION, Template as TemplateJson, TemplateResolver } from '../iam/template-resolver';
import { newStack } from '../util/stack';

const ROLE_NAME = 'CognitoDeviceSweepAccess';
const ROLE_ARN = `arn:${PARTITION}:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const SESSION_NAME = 'cognito-device-sweep-run-2026-05-01';
const FOREIGN_POOL_ARN = `arn:${PARTITION}:cognito-idp:eu-west-1:${ACCOUNT}:userpool/eu-west-1_NotGiven1`;

interface Synthesized {
  readonly trustPolicy: unknown;
  readonly policies: NamedPolicy[];
}

function synthesize(props: Partial<DeviceSweepAccessRoleProps> = {}): Synthesized {
  const stack = newStack();
  const access = accessRole(stack, { roleName: ROLE_NAME, ...props });
  return fromTemplate(stack, access);
}

function fromTemplate(stack: Stack, access: DeviceSweepAccessRole): Synthesized {
  const resolver = new TemplateResolver(Template.fromStack(stack).toJSON() as TemplateJson);
  const logicalId = stack.getLogicalId(access.role.node.defaultChild as iam.CfnRole);
  expect(resolver.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] })).toBe(ROLE_ARN);
  return {
    trustPolicy: resolver.resolve(resolver.template.Resources[logicalId].Properties.AssumeRolePolicyDocument),
    policies: policiesOfRole(resolver, logicalId),
  };
}

/** What the central role's own (identity) policy allows: assuming the access role. */
const CENTRAL_POLICY = {
  name: 'central',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE_ARN }] },
};

interface SimulatedRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string>;
  readonly identityPolicies: unknown[];
  readonly resourcePolicy?: unknown;
}

async function simulate(request: SimulatedRequest): Promise<Decision> {
  const response = await runSimulation({
    identityPolicies: request.identityPolicies,
    resourcePolicy: request.resourcePolicy,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action: request.action,
      principal: request.principal,
      resource: { accountId: ACCOUNT, resource: request.resource },
      contextVariables: request.context ?? {},
    },
  } as any, {});
  if (response.resultType === 'error') throw new Error(`iam-simulate refused the request: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}

function assumeRole(trustPolicy: unknown, principal: string, context: Record<string, string>, identityPolicies = [CENTRAL_POLICY]) {
  return simulate({ principal, action: 'sts:AssumeRole', resource: ROLE_ARN, context, identityPolicies, resourcePolicy: trustPolicy });
}

const GOOD_CONTEXT = { 'sts:ExternalId': EXTERNAL_ID, 'sts:RoleSessionName': SESSION_NAME };

describe('AssumeRole from the central account', () => {
  let trustPolicy: unknown;
  beforeAll(() => {
    trustPolicy = synthesize({ trustedRoleArns: [CENTRAL_SWEEP_ROLE, CENTRAL_CLI_ROLE] }).trustPolicy;
  });

  test.each([CENTRAL_SWEEP_ROLE, CENTRAL_CLI_ROLE])('%s with the external id and a sweep session name: Allowed', async (principal) => {
    expect(await assumeRole(trustPolicy, principal, GOOD_CONTEXT)).toBe('Allowed');
  });

  test.each([
    ['a wrong external id', { ...GOOD_CONTEXT, 'sts:ExternalId': 'guessed' }],
    ['no external id', { 'sts:RoleSessionName': SESSION_NAME }],
    ['a session name without the prefix', { ...GOOD_CONTEXT, 'sts:RoleSessionName': 'alice-console' }],
    ['the prefix not at the start', { ...GOOD_CONTEXT, 'sts:RoleSessionName': 'x-cognito-device-sweep-run' }],
  ])('%s: denied', async (_name, context) => {
    expect(await assumeRole(trustPolicy, CENTRAL_SWEEP_ROLE, context)).not.toBe('Allowed');
  });

  test.each([
    ['another role of the central account', 'arn:aws:iam::222222222222:role/developer'],
    ['a user of the central account', 'arn:aws:iam::222222222222:user/alice'],
    ['the same role name in another account', 'arn:aws:iam::444444444444:role/central-device-sweep'],
  ])('%s, even with the external id and session name: denied', async (_name, principal) => {
    const anyRole = { name: 'any', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } };
    expect(await assumeRole(trustPolicy, principal, GOOD_CONTEXT, [anyRole])).not.toBe('Allowed');
  });

  test('the central role still needs its own policy to allow it (cross-account)', async () => {
    expect(await assumeRole(trustPolicy, CENTRAL_SWEEP_ROLE, GOOD_CONTEXT, [])).not.toBe('Allowed');
  });
});

describe('the assumed role\'s calls', () => {
  const call = (policies: NamedPolicy[], action: string, resource: string) => evaluate(policies, ROLE_NAME, action, resource);

  test('the sweep\'s calls on the listed pools (both Regions) are Allowed; on another pool, and any other call, denied', async () => {
    const { policies } = synthesize();
    for (const pool of [POOL_ARN, OTHER_REGION_POOL_ARN]) {
      for (const action of ['ListUsers', 'AdminListDevices', 'AdminForgetDevice', 'DescribeUserPool']) {
        expect([action, pool, await call(policies, `cognito-idp:${action}`, pool)]).toEqual([action, pool, 'Allowed']);
      }
      for (const action of ['AdminGetDevice', 'AdminUpdateDeviceStatus', 'AdminDeleteUser', 'AdminGetUser', 'UpdateUserPool']) {
        expect([action, pool, await call(policies, `cognito-idp:${action}`, pool)]).toEqual([action, pool, 'ImplicitlyDenied']);
      }
    }
    expect(await call(policies, 'cognito-idp:AdminForgetDevice', FOREIGN_POOL_ARN)).toBe('ImplicitlyDenied');
    expect(await call(policies, 'cognito-idp:ListUsers', FOREIGN_POOL_ARN)).toBe('ImplicitlyDenied');
  });

  test('dry run only: listing is Allowed, forgetting is not', async () => {
    const { policies } = synthesize({ dryRunOnly: true });
    expect(await call(policies, 'cognito-idp:AdminListDevices', POOL_ARN)).toBe('Allowed');
    expect(await call(policies, 'cognito-idp:ListUsers', POOL_ARN)).toBe('Allowed');
    expect(await call(policies, 'cognito-idp:AdminForgetDevice', POOL_ARN)).toBe('ImplicitlyDenied');
  });

  test('followAccountUsage: cloudwatch:GetMetricData (no resource type, so "*") is Allowed; without it, denied', async () => {
    const { policies } = synthesize({ followAccountUsage: true });
    expect(await call(policies, 'cloudwatch:GetMetricData', '*')).toBe('Allowed');
    // Only that read: no other CloudWatch action, and the device actions stay on the listed pools.
    expect(await call(policies, 'cloudwatch:PutMetricData', '*')).toBe('ImplicitlyDenied');
    expect(await call(policies, 'cognito-idp:AdminForgetDevice', FOREIGN_POOL_ARN)).toBe('ImplicitlyDenied');
    expect(await call(synthesize().policies, 'cloudwatch:GetMetricData', '*')).toBe('ImplicitlyDenied');
  });

  test('by tag: a pool tagged team=payments is Allowed, an untagged or otherwise tagged one is not', async () => {
    const { policies } = synthesize({ userPools: [], userPoolTag: { key: 'team', value: 'payments' } });
    const tagged = (value?: string) => simulate({
      principal: ROLE_ARN,
      action: 'cognito-idp:AdminForgetDevice',
      resource: FOREIGN_POOL_ARN,
      context: value === undefined ? {} : { 'aws:ResourceTag/team': value },
      identityPolicies: policies,
    });
    expect(await tagged('payments')).toBe('Allowed');
    expect(await tagged('identity')).toBe('ImplicitlyDenied');
    expect(await tagged(undefined)).toBe('ImplicitlyDenied');
  });
});

describe('the central StaleDeviceCleanup assumes it as AWS evaluates it', () => {
  /** The cleanup of the central account, over one pool of this access role's account. */
  function centralCleanup(): { policies: NamedPolicy[]; config: any } {
    const stack = new Stack(new App(), 'Central', { env: { account: '222222222222', region: 'eu-west-1' } });
    const cleanup = new StaleDeviceCleanup(stack, 'OrgCleanup', {
      userPools: [cognito.UserPool.fromUserPoolArn(stack, 'Pool', POOL_ARN)],
      accountAccess: [{ role: iam.Role.fromRoleArn(stack, 'Access', ROLE_ARN), externalId: EXTERNAL_ID }],
      sweepRoleName: 'central-device-sweep',
      staleAfter: Duration.days(90),
    });
    const template = Template.fromStack(stack).toJSON() as TemplateJson;
    const resolver = new TemplateResolver(template);
    const schedule = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::Scheduler::Schedule') as any;
    return {
      policies: policiesOfRole(resolver, stack.getLogicalId(cleanup.sweepRole.node.defaultChild as iam.CfnRole)),
      config: JSON.parse(schedule.Properties.Target.Input).config,
    };
  }

  test('its role (sweepRoleName), its policy, the external id of its run config and the engine\'s session name: Allowed', async () => {
    const { trustPolicy } = synthesize();
    const { policies, config } = centralCleanup();
    expect('arn:aws:iam::222222222222:role/central-device-sweep').toBe(CENTRAL_SWEEP_ROLE);
    const context = {
      'sts:ExternalId': config.accountRoles[0].externalId,
      // What the slice's engine names its session: the prefix and the execution's name.
      'sts:RoleSessionName': sessionName(SWEEP_SESSION_NAME_PREFIX, 'a1b2c3d4-0000-4000-8000-aaaaaaaaaaaa'),
    };
    expect(await assumeRole(trustPolicy, CENTRAL_SWEEP_ROLE, context, policies)).toBe('Allowed');
    // Its policy allows exactly that role: another account's role of the same name is not.
    expect(await simulate({
      principal: CENTRAL_SWEEP_ROLE,
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::444444444444:role/CognitoDeviceSweepAccess',
      context,
      identityPolicies: policies,
    })).not.toBe('Allowed');
  });
});
