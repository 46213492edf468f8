/**
 * Pools of other accounts in StaleDeviceCleanup and DevicePurge (the shared WorkflowSweepBase): each
 * reached through the DeviceSweepAccessRole of its account, given in `accountAccess`.
 */
import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CognitoDeviceChecks, DevicePurge, PurgeSelection, StaleDeviceCleanup, StaleDeviceCleanupProps } from '../../src';
import { allBuiltInPacks, nagFindings } from '../util/nag';
import { appOf, newStack, TEST_ACCOUNT } from '../util/stack';

const OWN_POOL_ARN = `arn:aws:cognito-idp:eu-west-1:${TEST_ACCOUNT}:userpool/eu-west-1_Own1`;
const B = '222222222222';
const C = '333333333333';
const B_POOL_ARN = `arn:aws:cognito-idp:eu-west-1:${B}:userpool/eu-west-1_Bee1`;
const B_US_POOL_ARN = `arn:aws:cognito-idp:us-east-1:${B}:userpool/us-east-1_Bee2`;
const C_POOL_ARN = `arn:aws:cognito-idp:us-east-1:${C}:userpool/us-east-1_Cee1`;
const B_ROLE = `arn:aws:iam::${B}:role/CognitoDeviceSweepAccess`;
const C_ROLE = `arn:aws:iam::${C}:role/CognitoDeviceSweepAccess`;

type Stack = ReturnType<typeof newStack>;

/** Construct ids for the imports: each test may import the same ARN more than once. */
let imports = 0;

function pools(stack: Stack, arns: string[]): cognito.IUserPool[] {
  return arns.map((arn) => cognito.UserPool.fromUserPoolArn(stack, `Pool${imports++}`, arn));
}

function access(stack: Stack, roleArn: string, externalId?: string) {
  return { role: iam.Role.fromRoleArn(stack, `Role${imports++}`, roleArn), externalId };
}

function cleanup(props: Partial<StaleDeviceCleanupProps> = {}, stack = newStack()) {
  const cleanupConstruct = new StaleDeviceCleanup(stack, 'Cleanup', {
    staleAfter: Duration.days(90),
    ...props,
    userPools: props.userPools ?? pools(stack, [OWN_POOL_ARN, B_POOL_ARN, B_US_POOL_ARN, C_POOL_ARN]),
    accountAccess: props.accountAccess ?? [access(stack, B_ROLE, 'org-sweep'), access(stack, C_ROLE, 'org-sweep')],
  });
  return { stack, cleanup: cleanupConstruct, template: Template.fromStack(stack) };
}

function sliceStatements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes('SliceRole'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

describe('a cleanup over pools of three accounts', () => {
  test('runs own pools by id and other accounts\' pools by ARN, with each account\'s role and external id', () => {
    const { template } = cleanup();
    const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule'))[0];
    const { config } = JSON.parse(schedule.Properties.Target.Input);
    expect(config.userPoolIds).toEqual(['eu-west-1_Own1', B_POOL_ARN, B_US_POOL_ARN, C_POOL_ARN]);
    expect(config.accountRoles).toEqual([
      { accountId: B, roleArn: B_ROLE, externalId: 'org-sweep' },
      { accountId: C, roleArn: C_ROLE, externalId: 'org-sweep' },
    ]);
  });

  test('the slice may assume exactly the two roles; device grants name only its own account\'s pool', () => {
    const { template } = cleanup();
    const statements = sliceStatements(template);
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('sts:'))).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: [B_ROLE, C_ROLE] },
    ]);
    const cognitoResources = statements.filter((s) => JSON.stringify(s.Action).includes('cognito-idp:')).flatMap((s) => [s.Resource].flat());
    // A grant on another account's pool would do nothing (pools have no resource policy): none is made.
    expect([...new Set(cognitoResources)]).toEqual([OWN_POOL_ARN]);
  });

  test('the slice\'s allow-lists hold every pool id and exactly the two roles', () => {
    const { template } = cleanup();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ALLOWED_USER_POOL_IDS: 'eu-west-1_Own1,eu-west-1_Bee1,us-east-1_Bee2,us-east-1_Cee1',
          ALLOWED_ACCOUNT_ROLE_ARNS: `${B_ROLE},${C_ROLE}`,
        }),
      },
      // At most one slice per pool: four pools, at most four domains at once.
      ReservedConcurrentExecutions: 4,
    });
  });

  test('sweepRoleName fixes the role the access roles trust; sweepRole is it', () => {
    const { template, cleanup: construct, stack } = cleanup({ sweepRoleName: 'central-device-sweep' });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'central-device-sweep' });
    const roles = template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'central-device-sweep' } });
    expect(stack.resolve(construct.sweepRole.roleArn)).toEqual({ 'Fn::GetAtt': [Object.keys(roles)[0], 'Arn'] });
  });

  test('maxConcurrentDomains and toleratedDomainFailures reach the Map and the failure choice', () => {
    const { template } = cleanup({ maxConcurrentDomains: 2, toleratedDomainFailures: 1 });
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"MaxConcurrency\\":2');
    expect(definition).toContain('\\"toleratedDomainFailures\\":1');
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 2 });
  });

  test('passes the six built-in packs and CognitoDeviceChecks with zero findings', () => {
    const { stack } = cleanup({ sweepRoleName: 'central-device-sweep' });
    expect(nagFindings(appOf(stack), [...allBuiltInPacks(), new CognitoDeviceChecks()])).toEqual([]);
  });
});

describe('a purge of a pool of another account', () => {
  test('carries the role in its run config and may assume only it', () => {
    const stack = newStack();
    new DevicePurge(stack, 'Purge', {
      userPool: cognito.UserPool.fromUserPoolArn(stack, 'Pool', C_POOL_ARN),
      selection: PurgeSelection.allDevices(),
      accountAccess: [access(stack, C_ROLE, 'org-sweep')],
    });
    const template = Template.fromStack(stack);
    const resource = Object.values(template.findResources('Custom::CognitoDevicePurge'))[0];
    const config = JSON.parse(resource.Properties.Config);
    expect(config.userPoolIds).toEqual([C_POOL_ARN]);
    expect(config.accountRoles).toEqual([{ accountId: C, roleArn: C_ROLE, externalId: 'org-sweep' }]);
    const statements = sliceStatements(template);
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('sts:'))).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: C_ROLE },
    ]);
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('cognito-idp:'))).toEqual([]);
  });
});

describe('synth errors', () => {
  test.each<[string, (stack: Stack) => Partial<StaleDeviceCleanupProps>, RegExp]>([
    ['a pool of another account without a role',
      (stack) => ({ accountAccess: [access(stack, B_ROLE)] }),
      new RegExp(`${C_POOL_ARN} is a pool of account ${C}, and this stack is in account ${TEST_ACCOUNT}.*DeviceSweepAccessRole in account ${C}`)],
    ['a role whose account is a token',
      (stack) => ({ accountAccess: [{ role: iam.Role.fromRoleArn(stack, 'TokenRole', new cognito.UserPool(stack, 'P').userPoolArn) }] }),
      /accountAccess\[0\]\.role: its account is not known at synth time/],
    ['a role of the stack\'s own account',
      (stack) => ({ accountAccess: [access(stack, B_ROLE), access(stack, C_ROLE), access(stack, `arn:aws:iam::${TEST_ACCOUNT}:role/x`)] }),
      new RegExp(`accountAccess\\[2\\]\\.role is a role of this stack's own account ${TEST_ACCOUNT}`)],
    ['two roles for one account',
      (stack) => ({ accountAccess: [access(stack, B_ROLE), { role: iam.Role.fromRoleArn(stack, 'Again', `arn:aws:iam::${B}:role/other`) }] }),
      new RegExp(`accountAccess\\[1\\]: account ${B} has two roles`)],
    ['a role no pool needs',
      (stack) => ({ userPools: pools(stack, [OWN_POOL_ARN, B_POOL_ARN]), accountAccess: [access(stack, B_ROLE), access(stack, C_ROLE)] }),
      new RegExp(`accountAccess: the role for account ${C} serves none of the user pools`)],
    ['an external id STS would refuse',
      (stack) => ({ accountAccess: [access(stack, B_ROLE, 'x'), access(stack, C_ROLE)] }),
      /accountAccess\[0\]\.externalId is "x"/],
    ['no concurrent domain', () => ({ maxConcurrentDomains: 0 }), /maxConcurrentDomains is 0; use a whole number from 1 to 100/],
    ['too many concurrent domains', () => ({ maxConcurrentDomains: 101 }), /maxConcurrentDomains is 101/],
    ['a fraction of a domain', () => ({ maxConcurrentDomains: 1.5 }), /maxConcurrentDomains is 1.5/],
    ['negative tolerated failures', () => ({ toleratedDomainFailures: -1 }), /toleratedDomainFailures is -1; use a whole number/],
    ['a role name IAM refuses', () => ({ sweepRoleName: 'has space' }), /sweepRoleName is 'has space'/],
  ])('%s', (_name, props, message) => {
    const stack = newStack();
    expect(() => cleanup(props(stack), stack)).toThrow(message);
  });
});

test('in an environment-agnostic stack, a pool ARN of an account without a role is a warning, not an error', () => {
  const stack = newStack({ agnostic: true });
  new StaleDeviceCleanup(stack, 'Cleanup', { userPools: pools(stack, [C_POOL_ARN]), staleAfter: Duration.days(90) });
  Annotations.fromStack(stack).hasWarning('/Stack/Cleanup', Match.stringLikeRegexp(`pool of account ${C}, but this stack is environment-agnostic`));
});

describe('readProvisionedLimits', () => {
  test('puts the read in the run config and allows GetProvisionedLimit, the one action on "*" besides X-Ray, acknowledged with that reason', () => {
    const { template, stack } = cleanup({ readProvisionedLimits: true, rateBudget: 0.3 });
    const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule'))[0];
    expect(JSON.parse(schedule.Properties.Target.Input).config.rateBudget).toEqual({ fraction: 0.3, readProvisionedLimits: true });
    const onStar = sliceStatements(template).filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat());
    expect(onStar.sort()).toEqual(['cognito-idp:GetProvisionedLimit', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    const acknowledgements = JSON.stringify(stack.node.findAll().flatMap((c) => c.node.metadata.map((m) => m.data)));
    expect(acknowledgements).toContain('and cognito-idp:GetProvisionedLimit (readProvisionedLimits');
    expect(nagFindings(appOf(stack), [...allBuiltInPacks(), new CognitoDeviceChecks()])).toEqual([]);
  });

  test('off by default: no read in the config, no GetProvisionedLimit grant', () => {
    const { template } = cleanup();
    const schedule = Object.values(template.findResources('AWS::Scheduler::Schedule'))[0];
    expect(JSON.parse(schedule.Properties.Target.Input).config.rateBudget).toEqual({ fraction: 0.5 });
    expect(JSON.stringify(sliceStatements(template))).not.toContain('GetProvisionedLimit');
  });
});

test('metricDomainsFailed reads the merge\'s DomainsFailed of this sweep', () => {
  const { cleanup: construct, stack } = cleanup();
  const metric = construct.metricDomainsFailed();
  expect(metric.metricName).toBe('DomainsFailed');
  expect(metric.namespace).toBe('CognitoDeviceSweep');
  expect(stack.resolve(metric.dimensions)).toEqual({ SweepName: construct.sweepName });
  expect(metric.statistic).toBe('Sum');
});
