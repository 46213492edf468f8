/** Issue 19 on the command line: pools of several accounts by ARN, one --assume-role per account. */
import { deviceCensus, problemLines, runCliCaptured, TIME_SCALE, useCliWorkspace } from './cli-harness';
import { useFreshSimulator } from '../sim';

const ACCOUNTS = ['210987654321', '310987654321', '410987654321'];
const REGIONS = ['eu-west-1', 'us-east-1'];
const STALE = 90 * 86_400;
const roleOf = (account: string): string => `arn:aws:iam::${account}:role/DeviceSweepAccess`;

useCliWorkspace('cli-accounts-');
const sim = useFreshSimulator({ timeScale: TIME_SCALE, seed: 1919 });

function seed(): string[] {
  const arns: string[] = [];
  for (const accountId of ACCOUNTS) {
    for (const region of REGIONS) arns.push(sim.poolArn(sim.seedPool({ region, users: 30, accountId })));
  }
  return arns;
}

function args(arns: readonly string[], roles: readonly string[]): string[] {
  return [
    '--endpoint-url', sim.endpoint, '--sts-endpoint-url', sim.endpoint, '--stale-after', '90d', '--json',
    ...arns.flatMap((arn) => ['--user-pool-id', arn]),
    ...roles.flatMap((account) => ['--assume-role', `${account}=${roleOf(account)}`]),
  ];
}

test('one command sweeps 3 accounts x 2 Regions, each account with its own role', async () => {
  const arns = seed();
  sim.setRoles(ACCOUNTS.map((a) => ({ roleArn: roleOf(a), externalId: 'org-7', sessionNamePrefix: 'cognito-device-sweep-' })));
  const expected = arns.map((arn) => deviceCensus(sim, arn.split('/').pop()!, STALE).stale);

  const run = await runCliCaptured([...args(arns, ACCOUNTS), '--external-id', 'org-7']);

  expect(problemLines(run).filter((l) => l.includes('error:'))).toEqual([]);
  expect(run.status).toBe(0);
  const report = JSON.parse(run.stdout);
  expect(report.pools.map((p: { userPoolId: string }) => p.userPoolId)).toEqual(arns);
  expect(report.pools.map((p: { devicesForgotten: number }) => p.devicesForgotten)).toEqual(expected);
  for (const arn of arns) expect(deviceCensus(sim, arn.split('/').pop()!, STALE).stale).toBe(0);
  for (const [caller, pools] of sim.callsByCaller()) {
    for (const poolId of pools.keys()) expect(caller).toBe(roleOf(sim.accountOf(poolId)));
  }
  expect(sim.assumeRoleCounts).toEqual({ calls: 3, refused: 0 });
});

test('a role that cannot be assumed stops that account only: exit 1 and one error line', async () => {
  const arns = seed();
  sim.setRoles(ACCOUNTS.filter((a) => a !== ACCOUNTS[0]).map((a) => ({ roleArn: roleOf(a) })));

  const run = await runCliCaptured(args(arns, ACCOUNTS));

  expect(run.status).toBe(1);
  const errors = problemLines(run).filter((l) => l.includes(': error: '));
  // One line for the account, whatever the number of its pools.
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(`cannot assume role ${roleOf(ACCOUNTS[0])} for the pools of account ${ACCOUNTS[0]} (sts:AssumeRole: AccessDenied)`);
  const report = JSON.parse(run.stdout);
  const stopped = report.pools.filter((p: { stopped?: unknown }) => p.stopped);
  expect(stopped.map((p: { userPoolId: string }) => p.userPoolId)).toEqual(arns.slice(0, 2));
  expect(stopped.every((p: { stopped: { reason: string } }) => p.stopped.reason === 'role-not-assumable')).toBe(true);
  expect(report.pools.slice(2).every((p: { usersScanned: number }) => p.usersScanned === 30)).toBe(true);
});

describe('bad input exits 2 with one line and no call', () => {
  const POOL_ARN = 'arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_AbC123';
  const cases: Array<[string, string[], string]> = [
    ['no =', ['--assume-role', '210987654321'], "--assume-role: '210987654321' is not ACCOUNT_ID=ROLE_ARN"],
    ['a short account', ['--assume-role', `2109=${roleOf('210987654321')}`], '--assume-role account is "2109"; give the 12-digit id'],
    ['a malformed role', ['--assume-role', '210987654321=role/x'], '--assume-role role is "role/x"; give an IAM role ARN'],
    ['a role of another account', ['--assume-role', `210987654321=${roleOf('310987654321')}`], '--assume-role role is a role of account 310987654321'],
    ['an account without pools', ['--assume-role', `310987654321=${roleOf('310987654321')}`], '--assume-role #1 is for account 310987654321, which none of the user pools is in'],
    ['an external id alone', ['--external-id', 'x7'], '--external-id goes with --assume-role'],
    ['a malformed pool ARN', ['--user-pool-id', 'arn:aws:cognito-idp:eu-west-1:2109:userpool/x'], '--user-pool-id: Invalid user pool ARN'],
  ];
  test.each(cases)('%s', async (_, extra, message) => {
    const run = await runCliCaptured(['--endpoint-url', sim.endpoint, '--stale-after', '90d', '--user-pool-id', POOL_ARN, ...extra]);
    expect(run.status).toBe(2);
    expect(problemLines(run)).toHaveLength(1);
    expect(problemLines(run)[0]).toContain(message);
    expect(sim.stats.operations.ListUsers.calls + sim.assumeRoleCounts.calls).toBe(0);
  });
});
