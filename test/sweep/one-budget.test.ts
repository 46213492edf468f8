/**
 * One budget per Region actually called: pools whose ids name two Regions, reached through one
 * Region (the CLI's --region) or one endpoint, draw on one quota, so they share one budget.
 * Checked on the budget's own grants (SweepOptions.onGrant): one budget granted every call of
 * the Region, never more than floor(budget) per second of its clock, and every call the
 * simulator received was granted. Exact on any machine; the wall-time peaks are in the bench.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createSweepClient, sweepDevices } from '../../src/sweep';
import { targetOf } from '../../src/sweep/rate/limiter-set';
import { runCliCaptured } from '../cli/cli-harness';
import { CognitoSimulator } from '../sim';
import { scaledBudget } from './fixture';
import { GrantLog } from './grant-log';

const T = 4;
const NOW = new Date();
const clients: CognitoIdentityProviderClient[] = [];
const CATEGORIES = ['UserList', 'UserResourceRead', 'UserResourceUpdate'] as const;
const SIM_CATEGORY_CALLS = { UserList: ['ListUsers'], UserResourceRead: ['AdminListDevices'], UserResourceUpdate: ['AdminForgetDevice'] } as const;

/** One budget drew every call to the simulator, within floor(rate) per second of its clock, and granted every call the simulator got. */
function expectOneBudget(log: GrantLog, sim: CognitoSimulator, rates: Record<(typeof CATEGORIES)[number], number>): void {
  expect(log.targets).toHaveLength(1);
  for (const category of CATEGORIES) {
    const summary = log.of(category);
    // Two budgets for one Region would show two ids here (and up to twice the rate below).
    expect({ category, budgets: summary.budgets }).toEqual({ category, budgets: 1 });
    expect(summary.peak).toBeLessThanOrEqual(Math.floor(rates[category]));
    const received = SIM_CATEGORY_CALLS[category].reduce((n, op) => n + sim.stats.operations[op].calls, 0);
    expect({ category, granted: summary.grants }).toEqual({ category, granted: received });
  }
  // The forgets filled several seconds of budget, so the peak checks windows that could overflow.
  expect(log.of('UserResourceUpdate').grants).toBeGreaterThan(3 * rates.UserResourceUpdate);
}
afterAll(() => clients.forEach((c) => c.destroy()));

function client(region: string, endpoint?: string): CognitoIdentityProviderClient {
  const c = createSweepClient(region, { endpoint });
  clients.push(c);
  return c;
}

test('pools of two Regions swept through one Region share its budget', async () => {
  // The simulator serves every pool at eu-west-1, as AWS does for a client whose Region is overridden.
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 10, max: 30 }, seed: 3, singleRegion: 'eu-west-1' });
  try {
    const pools = ['eu-west-1', 'us-east-1'].map((region) => sim.seedPool({ region, users: 20 * T, now: NOW, devicesPerUser: 2, maxAgeDays: 0 }));
    // Two clients, both of eu-west-1 at one endpoint: what matters is where they go, not which object.
    const byRegion = new Map([['eu-west-1', client('eu-west-1', sim.endpoint)], ['us-east-1', client('eu-west-1', sim.endpoint)]]);

    const log = new GrantLog();
    const result = await sweepDevices({
      userPoolIds: pools, selection: { kind: 'all' }, rateBudget: scaledBudget(T), clientFor: (region) => byRegion.get(region)!, onGrant: log.record,
    });

    expect(result.done).toBe(true);
    expect(result.pools.map((p) => p.devicesForgotten)).toEqual([40 * T, 40 * T]);
    expectOneBudget(log, sim, result.ratesPerSecond);
    expect(sim.stats.regions).toEqual(['eu-west-1']);
  } finally {
    await sim.stop();
  }
});

test('the CLI with --region gives pools of two Regions one budget', async () => {
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 10, max: 30 }, seed: 5, singleRegion: 'eu-west-1' });
  try {
    // Every device last used 5 days ago: all stale at --stale-after 1d.
    const fiveDaysAgo = new Date(Date.now() - 5 * 86_400_000);
    const pools = ['eu-west-1', 'us-east-1'].map((region) => sim.seedPool({ region, users: 20 * T, now: fiveDaysAgo, devicesPerUser: 3, maxAgeDays: 0, undatedFraction: 0 }));
    const log = new GrantLog();
    const run = await runCliCaptured([
      ...pools.flatMap((id) => ['--user-pool-id', id]), '--stale-after', '1d', '--region', 'eu-west-1', '--endpoint-url', sim.endpoint, '--rate-budget', '0.5',
    ], { COGNITO_SWEEP_QUOTA_SCALE: String(T) }, { onGrant: log.record });

    expect(run.status).toBe(0);
    expect(sim.allDevices(pools[0]).length + sim.allDevices(pools[1]).length).toBe(0);
    // The CLI's budget at --rate-budget 0.5 with quotas scaled by T.
    expectOneBudget(log, sim, { UserList: 15 * T, UserResourceRead: 25 * T, UserResourceUpdate: 12.5 * T });
  } finally {
    await sim.stop();
  }
});

test('a client is keyed by its Region and endpoint', async () => {
  const keys = await Promise.all([
    targetOf(client('eu-west-1')), targetOf(client('eu-west-1')), targetOf(client('us-east-1')),
    targetOf(client('eu-west-1', 'http://127.0.0.1:9')), targetOf(client('eu-west-1', 'http://127.0.0.1:9/')),
  ]);
  expect(keys[0]).toBe(keys[1]);
  expect(new Set(keys).size).toBe(3);
});
