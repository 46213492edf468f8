/**
 * Issue 19, "the budget as a fraction of the account's real limit": with
 * `rateBudget.readProvisionedLimits`, each quota domain (account and Region) reads its raised limits
 * with GetProvisionedLimit (the simulator answers through the real SDK client) before its first
 * call, and budgets on them; explicit rates and base quotas win; a domain whose limits cannot be
 * read warns once and keeps the documented defaults.
 */
import { sweepDevices } from '../../src/sweep';
import type { AccountRole, RateBudget, SweepLogger, SweepOptions } from '../../src/sweep';
import { createSweepClient } from '../../src/sweep/calls/clients';
import type { CategoryUsage } from '../../src/sweep/rate/account-usage';
import { LimiterSet } from '../../src/sweep/rate/limiter-set';
import { PROVISIONED_LIMIT_SPACING_MS } from '../../src/sweep/rate/provisioned-limits';
import { DEFAULT_ACCOUNT_ID, useFreshSimulator } from '../sim';
import { GrantLog } from './grant-log';
import './fixture';

const TIME_SCALE = 2;
const REGION = 'eu-west-1';
const RAISED = 200;
const ACCOUNTS = ['210987654321', '310987654321', '410987654321'];
const roleOf = (account: string): string => `arn:aws:iam::${account}:role/DeviceSweepAccess`;

const sim = useFreshSimulator({ timeScale: TIME_SCALE, seed: 1919 });

/** The budget the CLI gives with --read-provisioned-limits on a time-scaled simulator: the adjustable category is read, the others scaled. */
function readingBudget(extra: RateBudget = {}): RateBudget {
  return {
    fraction: 0.5,
    baseQuotas: { UserList: 30 * TIME_SCALE, UserResourceUpdate: 25 * TIME_SCALE, ...extra.baseQuotas },
    perUserRatePerSecond: 10 * TIME_SCALE,
    readProvisionedLimits: true,
    ...(extra.ratesPerSecond ? { ratesPerSecond: extra.ratesPerSecond } : {}),
  };
}

interface Logged {
  readonly level: 'info' | 'warn';
  readonly message: string;
  readonly extra: Record<string, unknown>;
}

function logger(into: Logged[]): SweepLogger {
  return {
    info: (message, extra) => into.push({ level: 'info', message, extra: { ...extra } }),
    warn: (message, extra) => into.push({ level: 'warn', message, extra: { ...extra } }),
  };
}

const limitsRead = (log: Logged[]): Logged[] => log.filter((l) => l.message.startsWith('Read the account\'s provisioned limit'));
const limitWarnings = (log: Logged[]): Logged[] => log.filter((l) => l.message.startsWith('Cannot read the account\'s provisioned limits'));

function dryRun(userPoolIds: string[], rateBudget: RateBudget, log: Logged[], grants?: GrantLog): SweepOptions {
  return {
    userPoolIds,
    selection: { kind: 'all' },
    dryRun: true,
    endpoint: sim.endpoint,
    stsEndpoint: sim.endpoint,
    rateBudget,
    logger: logger(log),
    onGrant: grants?.record,
  };
}

test('a raised UserResourceRead limit is read once and budgeted on: faster than the default budget, and no throttle', async () => {
  sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserResourceRead', RAISED);
  const poolId = sim.seedPool({ region: REGION, users: 400, devicesPerUser: { min: 0, max: 2 } });
  const log: Logged[] = [];
  const grants = new GrantLog();

  const result = await sweepDevices(dryRun([poolId], readingBudget(), log, grants));

  expect(result.done).toBe(true);
  expect(result.pools[0].usersScanned).toBe(400);
  // One call, before the domain's first Cognito call, not counted in the sweep's categories.
  const calls = sim.provisionedLimitCalls();
  expect(calls).toEqual([expect.objectContaining({ accountId: DEFAULT_ACCOUNT_ID, region: REGION, category: 'UserResourceRead', outcome: 'answered' })]);
  expect(calls[0].atMs).toBeLessThanOrEqual(sim.stats.arrivalTimes('UserList', REGION)[0]);
  expect(result.calls.UserResourceRead).toBe(sim.stats.operations.AdminListDevices.calls);
  // The resolved base quota: the provisioned limit (the simulator's, times its time scale), not the documented 50.
  expect(limitsRead(log)).toEqual([expect.objectContaining({
    level: 'info',
    extra: expect.objectContaining({ region: REGION, category: 'UserResourceRead', provisionedLimit: RAISED * TIME_SCALE, freeLimit: 50 * TIME_SCALE, baseQuota: RAISED * TIME_SCALE }),
  })]);
  expect(limitWarnings(log)).toEqual([]);
  // On the budget's own clock: never above half the raised limit, and above what the default budget allows.
  const reads = grants.of('UserResourceRead');
  expect(reads.peak).toBeLessThanOrEqual((RAISED / 2) * TIME_SCALE);
  expect(reads.peak).toBeGreaterThan(25 * TIME_SCALE);
  // The simulator's buckets run at the raised limit too: nothing throttled.
  expect(result.throttled).toBe(0);
  expect(sim.stats.totals.throttled).toBe(0);
  expect(sim.peakRate('UserResourceRead', REGION, 1000 * TIME_SCALE)).toBeGreaterThan(25);
});

test('explicit ratesPerSecond and baseQuotas of the category win: nothing is read', async () => {
  sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserResourceRead', RAISED);
  const poolId = sim.seedPool({ region: REGION, users: 60, devicesPerUser: 1 });
  const log: Logged[] = [];
  const grants = new GrantLog();

  const byRate = await sweepDevices(dryRun([poolId], readingBudget({ ratesPerSecond: { UserResourceRead: 40 } }), log, grants));
  expect(byRate.done).toBe(true);
  expect(grants.of('UserResourceRead').peak).toBeLessThanOrEqual(40);
  const byBase = await sweepDevices(dryRun([poolId], readingBudget({ baseQuotas: { UserResourceRead: 80 } }), log));
  expect(byBase.done).toBe(true);

  expect(sim.provisionedLimitCalls()).toEqual([]);
  expect(log.filter((l) => l.message.includes('provisioned limit'))).toEqual([]);
});

test('GetProvisionedLimit denied: one warning naming the cause, the documented defaults, and the sweep goes on', async () => {
  sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserResourceRead', RAISED);
  sim.setAccess({ deny: ['GetProvisionedLimit'] });
  const pools = [sim.seedPool({ region: REGION, users: 20 }), sim.seedPool({ region: REGION, users: 20 })];
  const log: Logged[] = [];
  const grants = new GrantLog();

  const result = await sweepDevices(dryRun(pools, readingBudget(), log, grants));

  expect(result.done).toBe(true);
  expect(result.stopped).toBeUndefined();
  expect(result.pools.map((p) => p.usersScanned)).toEqual([20, 20]);
  // Not retried: a denial cannot change within the run. One domain (two pools): one call, one warning.
  expect(sim.provisionedLimitCalls().map((c) => c.outcome)).toEqual(['AccessDeniedException']);
  expect(limitWarnings(log)).toEqual([expect.objectContaining({
    level: 'warn',
    extra: expect.objectContaining({ region: REGION, category: 'UserResourceRead', error: expect.stringMatching(/^AccessDeniedException: .*cognito-idp:GetProvisionedLimit/) }),
  })]);
  expect(limitsRead(log)).toEqual([]);
  // The documented default budget (50 x 0.5 = 25/s), unscaled since that category's base quota was left to the account.
  expect(grants.of('UserResourceRead').peak).toBeLessThanOrEqual(25);
});

test('each account reads its own limits with its own role: raised, default, and denied (that account only warns)', async () => {
  const [raised, plain, denied] = ACCOUNTS;
  const arns = ACCOUNTS.map((accountId) => sim.poolArn(sim.seedPool({ region: REGION, users: 30, accountId })));
  sim.setRoles(ACCOUNTS.map((a) => ({ roleArn: roleOf(a) })));
  sim.setProvisionedLimit(raised, 'UserResourceRead', RAISED);
  sim.setProvisionedLimit(denied, 'UserResourceRead', RAISED);
  sim.setAccess({ deny: ['GetProvisionedLimit'], denyAccounts: [denied] });
  const roles: AccountRole[] = ACCOUNTS.map((accountId) => ({ accountId, roleArn: roleOf(accountId) }));
  const log: Logged[] = [];
  const grants = new GrantLog();

  const result = await sweepDevices({ ...dryRun(arns, readingBudget(), log, grants), accountRoles: roles });

  expect(result.done).toBe(true);
  expect(result.pools.every((p) => p.usersScanned === 30 && p.stopped === undefined)).toBe(true);
  // One call per domain, signed with that account's role.
  const calls = sim.provisionedLimitCalls();
  expect(calls.map((c) => [c.accountId, c.roleArn, c.outcome]).sort()).toEqual([
    [raised, roleOf(raised), 'answered'],
    [plain, roleOf(plain), 'answered'],
    [denied, roleOf(denied), 'AccessDeniedException'],
  ].sort());
  const baseOf = (accountId: string) => limitsRead(log).find((l) => l.extra.accountId === accountId)?.extra.baseQuota;
  expect(baseOf(raised)).toBe(RAISED * TIME_SCALE);
  expect(baseOf(plain)).toBe(50 * TIME_SCALE);
  expect(baseOf(denied)).toBeUndefined();
  expect(limitWarnings(log).map((l) => l.extra.accountId)).toEqual([denied]);
  // Three budgets, each at most half its own domain's limit.
  const targetOf = (accountId: string) => grants.targets.find((t) => t.endsWith(` ${accountId}`))!;
  expect(grants.of('UserResourceRead', targetOf(raised)).peak).toBeLessThanOrEqual((RAISED / 2) * TIME_SCALE);
  expect(grants.of('UserResourceRead', targetOf(plain)).peak).toBeLessThanOrEqual(25 * TIME_SCALE);
  expect(grants.of('UserResourceRead', targetOf(denied)).peak).toBeLessThanOrEqual(25);
  expect(result.throttled).toBe(0);
});

test('a throttled GetProvisionedLimit is retried at most once a second, then falls back with one warning', async () => {
  sim.setFaults({ throttleRate: 1, operations: ['GetProvisionedLimit'] });
  const poolId = sim.seedPool({ region: REGION, users: 20 });
  const log: Logged[] = [];

  const result = await sweepDevices(dryRun([poolId], readingBudget(), log));

  expect(result.done).toBe(true);
  expect(result.pools[0].usersScanned).toBe(20);
  const calls = sim.provisionedLimitCalls();
  expect(calls.map((c) => c.outcome)).toEqual(['TooManyRequestsException', 'TooManyRequestsException', 'TooManyRequestsException']);
  for (let i = 1; i < calls.length; i++) {
    // Arrivals at the simulator: each call leaves a full second after the last answer (1 ms: Date.now's resolution).
    expect(calls[i].atMs - calls[i - 1].atMs).toBeGreaterThanOrEqual(PROVISIONED_LIMIT_SPACING_MS - 1);
  }
  // The domain's first Cognito call comes after the last attempt: the limits are settled first.
  expect(sim.stats.arrivalTimes('UserList', REGION)[0]).toBeGreaterThanOrEqual(calls[2].atMs);
  expect(limitWarnings(log)).toEqual([expect.objectContaining({ extra: expect.objectContaining({ error: expect.stringMatching(/^TooManyRequestsException/) }) })]);
  // The throttles were GetProvisionedLimit's own (LimitManagement): none of the sweep's categories.
  expect(result.throttled).toBe(0);
});

test('followAccountUsage follows the domain\'s real limit: what the others leave of the raised quota', async () => {
  sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserResourceRead', RAISED);
  const stop = new AbortController();
  const signals = { UserList: stop.signal, UserResourceRead: stop.signal, UserResourceUpdate: stop.signal };
  // Unscaled quotas here: the simulator reports RAISED x TIME_SCALE, which is then the domain's quota.
  const documented = { UserList: 30, UserResourceRead: 50, UserResourceUpdate: 25 };
  const othersUse = RAISED * TIME_SCALE - 30;
  let polled = false;
  const set = new LimiterSet({ UserList: 15, UserResourceRead: 25, UserResourceUpdate: 12.5 }, signals, {
    quotas: documented,
    sourceFor: () => async (category): Promise<CategoryUsage | undefined> => {
      if (category !== 'UserResourceRead') return undefined;
      polled = true;
      const end = Date.now();
      return { callsPerSecond: othersUse, throttlesPerSecond: 0, windowStartMs: end - 300_000, windowEndMs: end };
    },
    intervalMs: 10,
  }, undefined, { budget: { readProvisionedLimits: true } });
  const client = createSweepClient(REGION, { endpoint: sim.endpoint });
  try {
    const limiters = await set.of(client);
    expect(limiters.UserResourceRead.budget).toBe((RAISED * TIME_SCALE) / 2);
    expect([...set.budgets.values()]).toEqual([{ UserList: 15, UserResourceRead: (RAISED * TIME_SCALE) / 2, UserResourceUpdate: 12.5 }]);
    while (!(polled && limiters.UserResourceRead.currentRate < limiters.UserResourceRead.budget)) await new Promise((r) => setTimeout(r, 5));
    // The documented quota (50) would leave nothing; the real one leaves 30/s.
    expect(limiters.UserResourceRead.currentRate).toBeCloseTo(30);
  } finally {
    set.close();
    client.destroy();
  }
});

test('LimiterSet: one read per domain even when two pools ask for its limiters at once', async () => {
  const stop = new AbortController();
  const signals = { UserList: stop.signal, UserResourceRead: stop.signal, UserResourceUpdate: stop.signal };
  const set = new LimiterSet({ UserList: 15, UserResourceRead: 25, UserResourceUpdate: 12.5 }, signals, undefined, undefined, {
    budget: { readProvisionedLimits: true },
  });
  const clients = [createSweepClient(REGION, { endpoint: sim.endpoint }), createSweepClient(REGION, { endpoint: sim.endpoint })];
  try {
    const [a, b] = await Promise.all(clients.map((c) => set.of(c)));
    expect(b).toBe(a);
    expect(set.size).toBe(1);
    expect(sim.provisionedLimitCalls()).toHaveLength(1);
    // An unraised account: the documented default, times the simulator's scale, halved.
    expect(a.UserResourceRead.budget).toBe(25 * TIME_SCALE);
  } finally {
    set.close();
    clients.forEach((c) => c.destroy());
  }
});
