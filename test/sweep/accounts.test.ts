/**
 * Issue 19: one run over pools of several accounts, each account's pools called with that
 * account's role (STS AssumeRole on the simulator), each account and Region one quota domain.
 */
import { sweepDevices } from '../../src/sweep';
import type { AccountRole, SweepOptions } from '../../src/sweep';
import { CognitoSimulator, DEFAULT_ACCOUNT_ID, useFreshSimulator } from '../sim';
import { DAY_SECONDS, deviceKeys, keysWhere, removed, scaledBudget, sorted, staleAt } from './fixture';

const TIME_SCALE = 50;
const STALE = 90 * DAY_SECONDS;
const ACCOUNTS = ['210987654321', '310987654321', '410987654321'];
const REGIONS = ['eu-west-1', 'us-east-1'];
const EXTERNAL_ID = 'org-sweep-7';
const roleOf = (account: string): string => `arn:aws:iam::${account}:role/DeviceSweepAccess`;

const sim = useFreshSimulator({ timeScale: TIME_SCALE, seed: 19 });

/** Seeds 3 accounts x 2 Regions (one pool each) and their roles; returns the pools by ARN. */
function seedOrganization(setup: { trusted?: (account: string) => boolean } = {}): string[] {
  const arns: string[] = [];
  for (const accountId of ACCOUNTS) {
    for (const region of REGIONS) {
      const id = sim.seedPool({ region, users: 40, accountId, devicesPerUser: { min: 0, max: 4 } });
      arns.push(sim.poolArn(id));
    }
  }
  sim.setRoles(ACCOUNTS.filter((a) => setup.trusted?.(a) ?? true).map((a) => ({
    roleArn: roleOf(a), externalId: EXTERNAL_ID, sessionNamePrefix: 'cognito-device-sweep-',
  })));
  return arns;
}

function options(arns: string[], roles: AccountRole[]): SweepOptions {
  return {
    userPoolIds: arns,
    selection: { kind: 'stale', staleAfterSeconds: STALE },
    endpoint: sim.endpoint,
    stsEndpoint: sim.endpoint,
    rateBudget: scaledBudget(TIME_SCALE),
    accountRoles: roles,
    runId: 'test-run',
  };
}

const allRoles = (): AccountRole[] => ACCOUNTS.map((accountId) => ({ accountId, roleArn: roleOf(accountId), externalId: EXTERNAL_ID }));
const idOf = (arn: string): string => arn.split('/').pop()!;

test('3 accounts x 2 Regions: exactly the stale devices go, each account\'s calls made with its role', async () => {
  const arns = seedOrganization();
  const nowMs = Date.now();
  const expected = new Map(arns.map((arn) => [arn, keysWhere(sim.allDevices(idOf(arn)), staleAt(nowMs, STALE))]));
  const before = new Map(arns.map((arn) => [arn, deviceKeys(sim, idOf(arn))]));

  const result = await sweepDevices({ ...options(arns, allRoles()), now: () => nowMs });

  expect(result.done).toBe(true);
  expect(result.stopped).toBeUndefined();
  for (const arn of arns) {
    expect(sorted(removed(before.get(arn)!, deviceKeys(sim, idOf(arn))))).toEqual(sorted(expected.get(arn)!));
    expect(result.pools.find((p) => p.userPoolId === arn)?.devicesForgotten).toBe(expected.get(arn)!.size);
  }
  // Every call to an account's pool was signed with a session of that account's role; none with the default credentials.
  const byCaller = sim.callsByCaller();
  expect([...byCaller.keys()].sort()).toEqual(ACCOUNTS.map(roleOf).sort());
  for (const [caller, pools] of byCaller) {
    for (const poolId of pools.keys()) expect(roleOf(sim.accountOf(poolId))).toBe(caller);
  }
  expect(sim.stats.operations.ListUsers.refused + sim.stats.operations.AdminListDevices.refused).toBe(0);
  // One session per account, named with the trust policy's prefix and the run id.
  expect(sim.assumeRoleCounts).toEqual({ calls: 3, refused: 0 });
  expect(sim.sessions.map((s) => s.sessionName)).toEqual(['cognito-device-sweep-test-run', 'cognito-device-sweep-test-run', 'cognito-device-sweep-test-run']);
});

test('a role the account does not have stops that account\'s pools only, and says why', async () => {
  const untrusted = ACCOUNTS[1];
  const arns = seedOrganization({ trusted: (a) => a !== untrusted });
  const warnings: string[] = [];
  const result = await sweepDevices({
    ...options(arns, allRoles()),
    logger: { info: () => {}, warn: (message) => warnings.push(message) },
  });

  const stopped = result.pools.filter((p) => p.stopped);
  expect(stopped.map((p) => p.userPoolId).sort()).toEqual(arns.filter((a) => a.includes(`:${untrusted}:`)).sort());
  for (const pool of stopped) {
    expect(pool.stopped?.reason).toBe('role-not-assumable');
    expect(pool.stopped?.message).toContain(`cannot assume role ${roleOf(untrusted)} for the pools of account ${untrusted}`);
    expect(pool.devicesForgotten).toBe(0);
  }
  // The other accounts were swept to the end.
  for (const pool of result.pools.filter((p) => !p.stopped)) expect(pool.usersScanned).toBe(40);
  expect(result.stopped?.reason).toBe('role-not-assumable');
  // One refusal by STS (the failure is kept for the run), one warning, no Cognito call with the wrong credentials.
  expect(sim.assumeRoleCounts.refused).toBe(1);
  expect(warnings.filter((w) => w.startsWith('Cannot assume the role'))).toHaveLength(1);
  expect([...sim.callsByCaller().keys()].sort()).toEqual(ACCOUNTS.filter((a) => a !== untrusted).map(roleOf).sort());
});

test('a wrong external id is refused the same way', async () => {
  const arns = seedOrganization();
  const roles = allRoles().map((r) => (r.accountId === ACCOUNTS[2] ? { ...r, externalId: 'not-it' } : r));
  const result = await sweepDevices(options(arns, roles));
  expect(result.pools.filter((p) => p.stopped).map((p) => p.stopped!.reason)).toEqual(['role-not-assumable', 'role-not-assumable']);
  expect(result.pools.filter((p) => !p.stopped).every((p) => p.usersScanned === 40)).toBe(true);
});

test('a pool ARN of an account without a role is called with the default credentials, and denied for another account\'s pool', async () => {
  const own = sim.seedPool({ region: 'eu-west-1', users: 10 });
  const foreign = sim.seedPool({ region: 'eu-west-1', users: 10, accountId: ACCOUNTS[0] });
  const result = await sweepDevices({
    userPoolIds: [sim.poolArn(own), sim.poolArn(foreign)],
    selection: { kind: 'all' },
    dryRun: true,
    endpoint: sim.endpoint,
    rateBudget: scaledBudget(TIME_SCALE),
  });
  expect(result.pools[0].stopped).toBeUndefined();
  expect(result.pools[0].usersScanned).toBe(10);
  expect(result.pools[1].stopped?.reason).toBe('access-denied');
  expect([...sim.callsByCaller().keys()]).toEqual([`account:${DEFAULT_ACCOUNT_ID}`]);
});

test('credentials about to expire are refreshed by the provider, not resolved once', async () => {
  // A simulator whose sessions live 60 s: always within the SDK's 5-minute refresh window.
  const shortLived = await CognitoSimulator.start({ timeScale: TIME_SCALE, seed: 19, credentialLifetimeSeconds: 60 });
  try {
    const id = shortLived.seedPool({ region: 'eu-west-1', users: 20, accountId: ACCOUNTS[0] });
    shortLived.setRoles([{ roleArn: roleOf(ACCOUNTS[0]) }]);
    const result = await sweepDevices({
      userPoolIds: [shortLived.poolArn(id)],
      selection: { kind: 'all' },
      dryRun: true,
      endpoint: shortLived.endpoint,
      stsEndpoint: shortLived.endpoint,
      rateBudget: scaledBudget(TIME_SCALE),
      accountRoles: [{ accountId: ACCOUNTS[0], roleArn: roleOf(ACCOUNTS[0]) }],
    });
    expect(result.done).toBe(true);
    expect(result.pools[0].stopped).toBeUndefined();
    // More than one session: the clients asked the provider again as expiry neared.
    expect(shortLived.assumeRoleCounts.calls).toBeGreaterThan(1);
  } finally {
    await shortLived.stop();
  }
});
