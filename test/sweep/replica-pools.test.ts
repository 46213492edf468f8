/**
 * Multi-Region replica pools (issue 19): a pool named by a secondary replica's ARN
 * (`arn:aws:cognito-idp:us-west-2:<account>:userpool/us-east-1_...`) is administered in its primary's
 * Region, the id's: the engine's client for it signs for us-east-1, its calls count in the us-east-1
 * quota domain of the ARN's account, and it is reported under the ARN it was given. The simulator
 * answers administration calls signed for the replica's Region with OperationNotEnabledException, so
 * a sweep that finishes there has called the primary's Region.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { sweepDevices } from '../../src/sweep';
import type { AccountAccess } from '../../src/sweep';
import { parseUserPoolRef } from '../../src/sweep/input/pool-id';
import { planSweep } from '../../src/sweep/input/validate';
import { DEFAULT_ACCOUNT_ID, useFreshSimulator } from '../sim';
import { DAY_SECONDS, deviceKeys, keysWhere, removed, scaledBudget, sorted, staleAt } from './fixture';

const TIME_SCALE = 50;
const STALE = 90 * DAY_SECONDS;
const ACCOUNT = '210987654321';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/DeviceSweepAccess`;
const EXTERNAL_ID = 'org-sweep-7';

const sim = useFreshSimulator({ timeScale: TIME_SCALE, seed: 23 });

test('parseUserPoolRef: a replica\'s ARN gives the id\'s Region, the bare id and the ARN\'s account', () => {
  expect(parseUserPoolRef('arn:aws:cognito-idp:us-west-2:111122223333:userpool/us-east-1_X')).toEqual({
    region: 'us-east-1', userPoolId: 'us-east-1_X', accountId: '111122223333',
  });
});

test('planSweep: a replica\'s ARN is in the us-east-1 quota domain of its account, with that account\'s other us-east-1 pools', () => {
  const plan = planSweep({
    userPoolIds: [
      `arn:aws:cognito-idp:us-west-2:${ACCOUNT}:userpool/us-east-1_Replicated`,
      `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_Other`,
      `arn:aws:cognito-idp:us-west-2:${ACCOUNT}:userpool/us-west-2_Local`,
      'arn:aws:cognito-idp:eu-central-1:111122223333:userpool/eu-west-1_NoRole',
    ],
    selection: { kind: 'all' },
    accountRoles: [{ accountId: ACCOUNT, roleArn: ROLE }],
  });
  expect(plan.regions.map(({ key, region, userPoolIds }) => ({ key, region, userPoolIds }))).toEqual([
    {
      key: `us-east-1@${ACCOUNT}`,
      region: 'us-east-1',
      userPoolIds: [`arn:aws:cognito-idp:us-west-2:${ACCOUNT}:userpool/us-east-1_Replicated`, `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_Other`],
    },
    { key: `us-west-2@${ACCOUNT}`, region: 'us-west-2', userPoolIds: [`arn:aws:cognito-idp:us-west-2:${ACCOUNT}:userpool/us-west-2_Local`] },
    // No role for the account: the default credentials' domain of the id's Region.
    { key: 'eu-west-1', region: 'eu-west-1', userPoolIds: ['arn:aws:cognito-idp:eu-central-1:111122223333:userpool/eu-west-1_NoRole'] },
  ]);
});

test('planSweep: the same pool named by its replica\'s ARN and by its primary\'s is listed twice', () => {
  expect(() => planSweep({
    userPoolIds: ['arn:aws:cognito-idp:us-west-2:111122223333:userpool/us-east-1_X', 'us-east-1_X'],
    selection: { kind: 'all' },
  })).toThrow('User pool us-east-1_X is listed twice in userPoolIds');
});

test('default credentials: the replica\'s ARN is swept in us-east-1, every call signed for us-east-1, reported under the ARN given', async () => {
  const poolId = sim.seedPool({ region: 'us-east-1', users: 40, devicesPerUser: { min: 0, max: 4 }, replicaRegions: ['us-west-2'] });
  const replicaArn = sim.replicaArn(poolId, 'us-west-2');
  const nowMs = Date.now();
  const expected = keysWhere(sim.allDevices(poolId), staleAt(nowMs, STALE));
  const before = deviceKeys(sim, poolId);
  expect(expected.size).toBeGreaterThan(0);

  const result = await sweepDevices({
    userPoolIds: [replicaArn],
    selection: { kind: 'stale', staleAfterSeconds: STALE },
    endpoint: sim.endpoint,
    rateBudget: scaledBudget(TIME_SCALE),
    now: () => nowMs,
  });

  expect(result.done).toBe(true);
  expect(result.stopped).toBeUndefined();
  expect(sorted(removed(before, deviceKeys(sim, poolId)))).toEqual(sorted(expected));
  expect(result.pools.map((p) => [p.userPoolId, p.usersScanned, p.devicesForgotten])).toEqual([[replicaArn, 40, expected.size]]);
  const signed = sim.callsBySignedRegion(poolId);
  expect([...signed.keys()]).toEqual(['us-east-1']);
  expect(signed.get('us-east-1')).toBe(sim.stats.operations.ListUsers.calls + sim.stats.operations.AdminListDevices.calls +
    sim.stats.operations.AdminForgetDevice.calls + sim.stats.operations.DescribeUserPool.calls);
  expect(sim.stats.operations.AdminForgetDevice.errors + sim.stats.operations.ListUsers.errors).toBe(0);
});

test('an account role: the replica\'s ARN and a us-east-1 pool of the same account share one client and one quota domain, with the role', async () => {
  const replicated = sim.seedPool({ region: 'us-east-1', users: 20, accountId: ACCOUNT, replicaRegions: ['us-west-2', 'eu-west-1'] });
  const other = sim.seedPool({ region: 'us-east-1', users: 20, accountId: ACCOUNT });
  sim.setRoles([{ roleArn: ROLE, externalId: EXTERNAL_ID, sessionNamePrefix: 'cognito-device-sweep-' }]);
  const refs = [sim.replicaArn(replicated, 'us-west-2'), sim.poolArn(other)];
  const clients: Array<{ region: string; accountId?: string }> = [];

  const result = await sweepDevices({
    userPoolIds: refs,
    selection: { kind: 'all' },
    dryRun: true,
    stsEndpoint: sim.endpoint,
    rateBudget: scaledBudget(TIME_SCALE),
    accountRoles: [{ accountId: ACCOUNT, roleArn: ROLE, externalId: EXTERNAL_ID }],
    runId: 'replica-run',
    clientFor: (region: string, access?: AccountAccess) => {
      clients.push({ region, accountId: access?.accountId });
      return new CognitoIdentityProviderClient({ region, endpoint: sim.endpoint, credentials: access!.credentials, maxAttempts: 1 });
    },
  });

  expect(clients).toEqual([{ region: 'us-east-1', accountId: ACCOUNT }]);
  expect(result.stopped).toBeUndefined();
  expect(result.pools.map((p) => [p.userPoolId, p.usersScanned])).toEqual([[refs[0], 20], [refs[1], 20]]);
  expect([...sim.callsBySignedRegion(replicated).keys()]).toEqual(['us-east-1']);
  // Every call made with the account's role (none with the default credentials of another account).
  expect([...sim.callsByCaller().keys()]).toEqual([ROLE]);
  expect(sim.accountOf(replicated)).not.toBe(DEFAULT_ACCOUNT_ID);
});
