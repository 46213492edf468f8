/**
 * followAccountUsage across accounts: CloudWatch shows each account only its own usage, so the
 * domain of an account in `accountRoles` reads its usage in that account, with the role its Cognito
 * calls use (the engine's AccountCredentials: one session per account). The simulator answers
 * GetMetricData (through the real CloudWatch client) with the usage of the account that signed.
 */
import { sweepDevices } from '../../src/sweep';
import type { AccountAccess, AccountRole, SweepLogger } from '../../src/sweep';
import { AccountCredentials } from '../../src/sweep/calls/account-credentials';
import { createSweepClient } from '../../src/sweep/calls/clients';
import type { CategoryUsage, UsageSource } from '../../src/sweep/rate/account-usage';
import { cloudWatchSourceFor, LimiterSet } from '../../src/sweep/rate/limiter-set';
import { DEFAULT_ACCOUNT_ID, useFreshSimulator } from '../sim';
import { scaledBudget } from './fixture';

const REGION = 'eu-west-1';
const ACCOUNTS = ['210987654321', '310987654321'];
const roleOf = (account: string): string => `arn:aws:iam::${account}:role/DeviceSweepAccess`;
const roles: AccountRole[] = ACCOUNTS.map((accountId) => ({ accountId, roleArn: roleOf(accountId) }));

const sim = useFreshSimulator({ seed: 2311 });

// The engine's default CloudWatch client, pointed at the simulator (the SDK's service-specific endpoint variable).
beforeEach(() => {
  process.env.AWS_ENDPOINT_URL_CLOUDWATCH = sim.endpoint;
  sim.setRoles(ACCOUNTS.map((account) => ({ roleArn: roleOf(account) })));
});
afterEach(() => {
  delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH;
});

interface Warning {
  readonly message: string;
  readonly extra: Record<string, unknown>;
}

/** Resolves once `done()` holds (checked every few ms; the test's own timeout bounds it). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}

test('a sweep reads each domain\'s usage in its own account: another account\'s with that account\'s role', async () => {
  // Each account's application uses a different share of UserResourceUpdate.
  const used = new Map([[DEFAULT_ACCOUNT_ID, 3], [ACCOUNTS[0], 11], [ACCOUNTS[1], 17]]);
  for (const [accountId, callsPerSecond] of used) sim.setAccountUsage(accountId, REGION, 'UserResourceUpdate', { callsPerSecond });
  const pools = [...used.keys()].map((accountId) => sim.poolArn(sim.seedPool({ region: REGION, users: 10, accountId })));
  const given: Array<{ region: string; access?: AccountAccess }> = [];
  const reads: Array<Promise<CategoryUsage | undefined>> = [];

  const result = await sweepDevices({
    userPoolIds: pools,
    selection: { kind: 'all' },
    dryRun: true,
    endpoint: sim.endpoint,
    stsEndpoint: sim.endpoint,
    rateBudget: scaledBudget(1),
    accountRoles: roles,
    runId: 'usage-run',
    followAccountUsage: true,
    // The engine's own CloudWatch source, read once as each domain starts (a sweep this short ends before its first poll).
    usageSourceFor: (region, access) => {
      given.push({ region, access });
      const source = cloudWatchSourceFor(region, access);
      const read = source('UserResourceUpdate');
      reads.push(read);
      return Object.assign((category: Parameters<UsageSource>[0]) => source(category), {
        close: () => void read.finally(() => source.close?.()),
      });
    },
  });

  expect(result.done).toBe(true);
  expect(result.stopped).toBeUndefined();
  // One source per domain: the default account's without access, each other account's with its role.
  expect(given.map((g) => `${g.region} ${g.access?.accountId} ${g.access?.roleArn}`).sort()).toEqual([
    `${REGION} ${ACCOUNTS[0]} ${roleOf(ACCOUNTS[0])}`,
    `${REGION} ${ACCOUNTS[1]} ${roleOf(ACCOUNTS[1])}`,
    `${REGION} undefined undefined`,
  ].sort());
  const usage = await Promise.all(reads);
  // Each domain saw its own account's usage...
  const seen = given.map((g, i) => [g.access?.accountId ?? DEFAULT_ACCOUNT_ID, usage[i]?.callsPerSecond]);
  expect(seen.sort()).toEqual([...used].sort());
  // ... because the simulator saw each read signed by that account: the role's session, or the default credentials.
  expect(sim.usageReadCalls().map((c) => `${c.accountId} ${c.roleArn} ${c.region} ${c.outcome}`).sort()).toEqual([
    `${DEFAULT_ACCOUNT_ID} undefined ${REGION} answered`,
    `${ACCOUNTS[0]} ${roleOf(ACCOUNTS[0])} ${REGION} answered`,
    `${ACCOUNTS[1]} ${roleOf(ACCOUNTS[1])} ${REGION} answered`,
  ].sort());
  // The usage reads reused the run's sessions: one AssumeRole per account, not one more per CloudWatch client.
  expect(sim.assumeRoleCounts).toEqual({ calls: 2, refused: 0 });
});

test('a usage read denied in one account warns once for that domain and keeps its budget; the other account is followed', async () => {
  const [followed, denied] = ACCOUNTS;
  sim.setAccountUsage(followed, REGION, 'UserResourceUpdate', { callsPerSecond: 22.5 });
  sim.setAccountUsage(denied, REGION, 'UserResourceUpdate', { callsPerSecond: 22.5 });
  sim.denyUsageRead([denied]);
  const stop = new AbortController();
  const signals = { UserList: stop.signal, UserResourceRead: stop.signal, UserResourceUpdate: stop.signal };
  const warnings: Warning[] = [];
  const logger: SweepLogger = { info: () => {}, warn: (message, extra) => warnings.push({ message, extra: { ...extra } }) };
  const credentials = new AccountCredentials({ runId: 'usage-run', stsEndpoint: sim.endpoint, logger });
  const set = new LimiterSet({ UserList: 15, UserResourceRead: 25, UserResourceUpdate: 12.5 }, signals, {
    quotas: { UserList: 30, UserResourceRead: 50, UserResourceUpdate: 25 },
    sourceFor: cloudWatchSourceFor,
    intervalMs: 10,
    logger,
  });
  const access = (role: AccountRole): AccountAccess => ({ ...role, credentials: credentials.for(role, REGION) });
  const clients = roles.map((role) => createSweepClient(REGION, { endpoint: sim.endpoint, credentials: credentials.for(role, REGION) }));
  try {
    const [a, b] = await Promise.all(roles.map((role, i) => set.of(clients[i], access(role))));
    const deniedReads = () => sim.usageReadCalls().filter((c) => c.accountId === denied).length;
    // Several polls of the denied domain (three categories each), and the followed one capped.
    await until(() => deniedReads() >= 9 && a.UserResourceUpdate.currentRate < 12.5);
    // 25 - 22.5 left by the followed account's application.
    expect(a.UserResourceUpdate.currentRate).toBeCloseTo(2.5);
    // The denied domain keeps its budget, as the own account's does when its read is denied.
    expect(b.UserResourceUpdate.currentRate).toBe(12.5);
    expect(b.UserResourceUpdate.budget).toBe(12.5);
  } finally {
    set.close();
    clients.forEach((client) => client.destroy());
  }
  expect(new Set(sim.usageReadCalls().map((c) => `${c.accountId} ${c.roleArn} ${c.outcome}`))).toEqual(new Set([
    `${followed} ${roleOf(followed)} answered`,
    `${denied} ${roleOf(denied)} AccessDeniedException`,
  ]));
  expect(warnings).toEqual([{
    message: expect.stringMatching(/^Cannot read the account's usage from CloudWatch/),
    extra: expect.objectContaining({ region: REGION, accountId: denied, error: expect.stringMatching(/^AccessDeniedException: .*cloudwatch:GetMetricData/) }),
  }]);
});
