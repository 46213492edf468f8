/**
 * The revoker honours `rateBudget.readProvisionedLimits` as the sweep does: each Region reads the
 * account's raised UserResourceRead limit once (GetProvisionedLimit, through the real SDK client)
 * before its first revocation call and budgets on it; a denied read warns once and keeps the
 * documented defaults, and the revocations go on.
 */
import { DeviceRevoker } from '../../src/sweep';
import type { RateBudget, SweepLogger } from '../../src/sweep';
import { DEFAULT_ACCOUNT_ID, useFreshSimulator } from '../sim';
import './fixture';

const TIME_SCALE = 2;
const REGION = 'eu-west-1';
const RAISED = 200;
const USERS = 300;

const sim = useFreshSimulator({ timeScale: TIME_SCALE, seed: 2323 });

/** Half of each quota; UserList and UserResourceUpdate scaled, UserResourceRead left to the account. */
const budget: RateBudget = {
  fraction: 0.5,
  baseQuotas: { UserList: 30 * TIME_SCALE, UserResourceUpdate: 25 * TIME_SCALE },
  perUserRatePerSecond: 10 * TIME_SCALE,
  readProvisionedLimits: true,
};

interface Logged { readonly level: 'info' | 'warn'; readonly message: string; readonly extra: Record<string, unknown> }

function logger(into: Logged[]): SweepLogger {
  return {
    info: (message, extra) => into.push({ level: 'info', message, extra: { ...extra } }),
    warn: (message, extra) => into.push({ level: 'warn', message, extra: { ...extra } }),
  };
}

/** Revokes every user of the pool at once (a burst of security events), in a dry run: only reads. */
async function revokeAll(poolId: string, log: Logged[]): Promise<number> {
  const revoker = new DeviceRevoker({ endpoint: sim.endpoint, rateBudget: budget, dryRun: true, logger: logger(log) });
  try {
    const results = await Promise.all(sim.usersOf(poolId).map((u) => revoker.revoke({ userPoolId: poolId, username: u.username })));
    return results.filter((r) => r.outcome === 'revoked').length;
  } finally {
    revoker.close();
  }
}

test('a raised UserResourceRead limit is read once, before the first call, and the revocations budget on it', async () => {
  sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserResourceRead', RAISED);
  const poolId = sim.seedPool({ region: REGION, users: USERS, devicesPerUser: 1 });
  const log: Logged[] = [];

  expect(await revokeAll(poolId, log)).toBe(USERS);

  const calls = sim.provisionedLimitCalls();
  expect(calls).toEqual([expect.objectContaining({ accountId: DEFAULT_ACCOUNT_ID, region: REGION, category: 'UserResourceRead', outcome: 'answered' })]);
  expect(calls[0].atMs).toBeLessThanOrEqual(sim.stats.arrivalTimes('UserResourceRead', REGION)[0]);
  expect(log.filter((l) => l.level === 'info')).toEqual([expect.objectContaining({
    message: expect.stringMatching(/^Read the account's provisioned limit/),
    extra: expect.objectContaining({ region: REGION, category: 'UserResourceRead', provisionedLimit: RAISED * TIME_SCALE, baseQuota: RAISED * TIME_SCALE }),
  })]);
  expect(log.filter((l) => l.level === 'warn')).toEqual([]);
  // Faster than the documented default's half (25/s) allows, and nothing throttled at the raised limit.
  expect(sim.peakRate('UserResourceRead', REGION, 1000 * TIME_SCALE)).toBeGreaterThan(25);
  expect(sim.stats.totals.throttled).toBe(0);
});

test('GetProvisionedLimit denied: one warning, the documented defaults, and every user is still revoked', async () => {
  sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserResourceRead', RAISED);
  sim.setAccess({ deny: ['GetProvisionedLimit'] });
  const poolId = sim.seedPool({ region: REGION, users: 40, devicesPerUser: 1 });
  const log: Logged[] = [];

  expect(await revokeAll(poolId, log)).toBe(40);

  // Not retried: a denial does not change within the process.
  expect(sim.provisionedLimitCalls().map((c) => c.outcome)).toEqual(['AccessDeniedException']);
  expect(log).toEqual([expect.objectContaining({
    level: 'warn',
    message: expect.stringMatching(/^Cannot read the account's provisioned limits/),
    extra: expect.objectContaining({ region: REGION, category: 'UserResourceRead', error: expect.stringMatching(/^AccessDeniedException/) }),
  })]);
  // The documented default budget: half of 50/s, unscaled.
  expect(sim.peakRate('UserResourceRead', REGION, 1000 * TIME_SCALE)).toBeLessThanOrEqual(25 * TIME_SCALE);
});

test('without readProvisionedLimits nothing is read', async () => {
  const poolId = sim.seedPool({ region: REGION, users: 5, devicesPerUser: 1 });
  const revoker = new DeviceRevoker({ endpoint: sim.endpoint, rateBudget: { ...budget, readProvisionedLimits: false }, dryRun: true });
  try {
    await revoker.revoke({ userPoolId: poolId, username: sim.usersOf(poolId)[0].username });
  } finally {
    revoker.close();
  }
  expect(sim.provisionedLimitCalls()).toEqual([]);
});
