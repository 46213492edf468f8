import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagPack } from 'cdk-nag';
import {
  CognitoDeviceChecks, DeviceAudit, DevicePurge, DeviceRevocation, DeviceSweepAccessRole, PurgeSelection, StaleDeviceCleanup, UserPoolDeviceGrants,
} from '../src';
import { allBuiltInPacks, NagFinding, nagFindings } from './util/nag';
import { appOf, newStack } from './util/stack';
import { acknowledgeFinding } from '../src/private/acknowledge-finding';

/** Paths of the library's own constructs in the test app. */
const INSIDE_LIBRARY = /^EveryConstruct\/(Cleanup|Purge|Revocation|Audit|SweepAccess)\//;

/**
 * An application that uses every construct of the library, the way a user would. What it
 * acknowledges itself is about its own resources (its roles' inline policies, the tag-scoped grant
 * it chose); everything inside the library's constructs must come out clean on its own.
 */
function everyConstructApp(): { app: App; stack: Stack } {
  const stack = newStack({ id: 'EveryConstruct' });
  const app = appOf(stack);
  const poolA = cognito.UserPool.fromUserPoolId(stack, 'PoolA', 'eu-west-1_AAAAAAAAA');
  const poolB = cognito.UserPool.fromUserPoolArn(stack, 'PoolB', 'arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_BBBBBBBBB');
  const topic = sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:111111111111:ops');

  const support = new iam.Role(stack, 'SupportRole', { assumedBy: new iam.AccountRootPrincipal() });
  UserPoolDeviceGrants.fromUserPool(poolA).forgetDevice(support);
  UserPoolDeviceGrants.fromUserPool(poolB).readDevices(support);
  const teamRole = new iam.Role(stack, 'TeamRole', { assumedBy: new iam.AccountRootPrincipal() });
  UserPoolDeviceGrants.fromTaggedUserPools(stack, 'team', 'payments').sweepDevices(teamRole);

  const audit = new DeviceAudit(stack, 'Audit', { hashUsernames: true });
  new StaleDeviceCleanup(stack, 'Cleanup', {
    audit,
    dashboard: true,
    userPools: [poolA, poolB],
    staleAfter: Duration.days(90),
    maxForgets: 10_000,
    alarmTopic: topic,
  });
  new DeviceRevocation(stack, 'Revocation', { userPools: [poolA], alarmTopic: topic });
  new DevicePurge(stack, 'Purge', {
    userPool: poolA,
    selection: PurgeSelection.staleDevices(Duration.days(30)),
    generation: '2026-11-21',
    audit,
  });
  new DeviceSweepAccessRole(stack, 'SweepAccess', {
    trustedRoleArns: ['arn:aws:iam::222222222222:role/central-device-sweep'],
    externalId: 'org-device-sweep',
    userPools: [poolA, poolB],
    userPoolTag: { key: 'team', value: 'identity' },
  });

  for (const role of [support, teamRole]) {
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      Validations.of(role).acknowledge({
        id: `${pack}-IAMNoInlinePolicy`,
        reason: 'CDK grants write to the role\'s own default policy, which lives and dies with the role.',
      });
    }
  }
  acknowledgeFinding(teamRole, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:eu-west-1:111111111111:userpool/*]',
    'userpool/* is narrowed by a StringEquals aws:ResourceTag/team = payments condition.');
  return { app, stack };
}

test('an app using every construct passes the six cdk-nag packs and CognitoDeviceChecks with zero findings', () => {
  const { app } = everyConstructApp();

  expect(nagFindings(app, [...allBuiltInPacks(), new CognitoDeviceChecks()])).toEqual([]);
});

test('nothing inside the library\'s constructs needs an acknowledgement from the user', () => {
  const { app } = everyConstructApp();

  const findings = nagFindings(app, [...allBuiltInPacks(), new CognitoDeviceChecks()]);
  const insideConstructs = findings.filter((f) => INSIDE_LIBRARY.test(f.path));
  expect(insideConstructs).toEqual([]);
  // The user's acknowledgements sit on the user's roles only.
  const acknowledgedPaths = app.node.findAll()
    .filter((c) => c.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
    .map((c) => c.node.path)
    .filter((p) => !INSIDE_LIBRARY.test(p));
  expect(acknowledgedPaths.sort()).toEqual(['EveryConstruct/SupportRole', 'EveryConstruct/TeamRole']);
});

/** Every acknowledgement the library's constructs record: one entry per construct, id and reason. */
function libraryAcknowledgements(app: App): Array<{ path: string; id: string; reason: string }> {
  app.synth();
  const entries = app.node.findAll()
    .filter((c) => INSIDE_LIBRARY.test(c.node.path))
    .flatMap((c) => c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>)
        .map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^annotation::/, ''), reason }))));
  // Each acknowledgement re-records the construct's earlier ones: keep one entry per construct and id.
  return [...new Map(entries.map((a) => [`${a.path} ${a.id}`, a])).values()];
}

test('the library\'s own acknowledgements each name one finding and carry a reason', () => {
  const { app } = everyConstructApp();

  const acknowledgements = libraryAcknowledgements(app);

  expect(acknowledgements.length).toBeGreaterThan(0);
  for (const { id, reason } of acknowledgements) {
    // One rule (or one finding of a rule) per entry: no pack-wide or rule-family wildcards.
    expect(id).toMatch(/^[A-Za-z0-9.]+-[A-Za-z0-9]+(\[.+\])?$/);
    expect(reason.length).toBeGreaterThan(40);
  }
});

test('every acknowledgement the library adds hides a finding that really fires (none is stale)', () => {
  const { app } = everyConstructApp();
  const acknowledgements = libraryAcknowledgements(app);

  // Run the packs as if nothing were acknowledged.
  const spy = jest.spyOn(NagPack.prototype as any, 'isAcknowledged').mockReturnValue(false);
  let raw: NagFinding[];
  try {
    raw = nagFindings(app, [...allBuiltInPacks(), new CognitoDeviceChecks()]);
  } finally {
    spy.mockRestore();
  }

  const stale = acknowledgements.filter(({ path, id }) =>
    !raw.some((f) => f.ruleId === id && (f.path === path || f.path.startsWith(`${path}/`))));
  expect(stale).toEqual([]);
});
