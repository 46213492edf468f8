/** The plan step: the run's pools grouped by quota domain, each with its config and its share of the cap. */
import { SweepConfig } from '../../src/workflow/contract';
import { planDomains, splitCap } from '../../src/workflow/runtime/domain-plan';

const OWN = '111111111111';
const ACCOUNTS = ['410987654321', '210987654321', '310987654321'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const roleOf = (account: string): string => `arn:aws:iam::${account}:role/DeviceSweepAccess`;
const arn = (account: string, id: string): string => `arn:aws:cognito-idp:${id.split('_')[0]}:${account}:userpool/${id}`;

/** 3 accounts x 2 Regions, two pools each, listed in no particular order; and two pools of the own account. */
const POOLS = ACCOUNTS.flatMap((account, a) => REGIONS.flatMap((region) => [arn(account, `${region}_P${a}x`), arn(account, `${region}_P${a}y`)]));
const CONFIG: SweepConfig = {
  userPoolIds: ['us-east-1_Own', ...POOLS, arn(OWN, 'eu-west-1_OwnArn')],
  selection: { kind: 'stale', staleAfterSeconds: 90 * 86_400 },
  dryRun: false,
  rateBudget: { fraction: 0.25 },
  excludeUsernames: ['ops'],
  accountRoles: ACCOUNTS.map((accountId) => ({ accountId, roleArn: roleOf(accountId), externalId: 'org-sweep-7' })),
};

describe('planDomains', () => {
  test('groups 3 accounts x 2 Regions (and the own account\'s pools) into domains sorted by key, each config restricted to its domain', () => {
    const plan = planDomains(CONFIG);
    expect(plan.domains.map((d) => d.domain.key)).toEqual([
      '/eu-west-1', '/us-east-1',
      '210987654321/eu-west-1', '210987654321/us-east-1',
      '310987654321/eu-west-1', '310987654321/us-east-1',
      '410987654321/eu-west-1', '410987654321/us-east-1',
    ]);
    const a = plan.domains.find((d) => d.domain.key === '210987654321/us-east-1')!;
    expect(a.domain).toEqual({ key: '210987654321/us-east-1', accountId: '210987654321', region: 'us-east-1' });
    expect(a.config).toEqual({
      userPoolIds: [arn('210987654321', 'us-east-1_P1x'), arn('210987654321', 'us-east-1_P1y')],
      selection: CONFIG.selection,
      dryRun: false,
      rateBudget: { fraction: 0.25 },
      excludeUsernames: ['ops'],
      accountRoles: [{ accountId: '210987654321', roleArn: roleOf('210987654321'), externalId: 'org-sweep-7' }],
    });
    // The own account's pools, by id or by ARN, are called with the workflow's own credentials: no role.
    const own = plan.domains.find((d) => d.domain.key === '/eu-west-1')!;
    expect(own.domain).toEqual({ key: '/eu-west-1', region: 'eu-west-1' });
    expect(own.config.userPoolIds).toEqual([arn(OWN, 'eu-west-1_OwnArn')]);
    expect(own.config.accountRoles).toBeUndefined();
    // Every pool is in exactly one domain; no cap, no share.
    expect(plan.domains.flatMap((d) => d.config.userPoolIds).sort()).toEqual([...CONFIG.userPoolIds].sort());
    expect(plan.domains.every((d) => d.config.maxForgets === undefined)).toBe(true);
  });

  test('the order does not depend on the order of the pools', () => {
    const reversed = planDomains({ ...CONFIG, userPoolIds: [...CONFIG.userPoolIds].reverse() });
    expect(reversed.domains.map((d) => d.domain.key)).toEqual(planDomains(CONFIG).domains.map((d) => d.domain.key));
  });

  test('a pool ARN of an account without a role is in the own credentials\' domain', () => {
    const plan = planDomains({ ...CONFIG, accountRoles: undefined });
    expect(plan.domains.map((d) => d.domain.key)).toEqual(['/eu-west-1', '/us-east-1']);
  });

  test('without estimates, the cap is split by pool count, and the shares sum to the cap', () => {
    const plan = planDomains({ ...CONFIG, maxForgets: 1000 });
    const shares = plan.domains.map((d) => d.config.maxForgets!);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(1000);
    // 14 pools: the own domains have 1 each (71.4), the others 2 each (142.9): the largest remainders get the 6 left.
    expect(shares).toEqual([71, 71, 143, 143, 143, 143, 143, 143]);
  });

  test('with estimates, by estimated users (a pool without one counts as the mean of the known)', () => {
    const estimates = new Map<string, number>(CONFIG.userPoolIds.map((ref, i) => [ref, i === 0 ? 0 : 100]));
    estimates.set(POOLS[0], 700);
    estimates.delete(CONFIG.userPoolIds[CONFIG.userPoolIds.length - 1]);
    const plan = planDomains({ ...CONFIG, maxForgets: 100 }, estimates);
    const shares = new Map(plan.domains.map((d) => [d.domain.key, d.config.maxForgets!]));
    expect([...shares.values()].reduce((a, b) => a + b, 0)).toBe(100);
    // Weights: /us-east-1 0; /eu-west-1 the mean 1800/13 ≈ 138.5; 410987654321/us-east-1 800; the other 5 200 each
    // (1938.5 in all): 0, 7.1, 41.3 and 10.3 each; the 2 left go to the largest remainders, the first two of the 10.3.
    expect(shares.get('/us-east-1')).toBe(0);
    expect(shares.get('/eu-west-1')).toBe(7);
    expect(shares.get('410987654321/us-east-1')).toBe(41);
    expect(shares.get('210987654321/eu-west-1')).toBe(11);
    expect(shares.get('210987654321/us-east-1')).toBe(11);
    expect(shares.get('310987654321/eu-west-1')).toBe(10);
  });

  test('a cap smaller than the number of domains leaves some at 0', () => {
    const plan = planDomains({ ...CONFIG, maxForgets: 3 });
    const shares = plan.domains.map((d) => d.config.maxForgets!);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(3);
    expect(shares.filter((s) => s === 0)).toHaveLength(5);
  });
});

describe('splitCap', () => {
  test.each([
    [10, [1, 1, 1], [4, 3, 3]],
    [1, [1, 1, 1], [1, 0, 0]],
    [7, [0, 0], [4, 3]],
    [5, [3, 0, 1], [4, 0, 1]],
    [100, [1 / 3, 1 / 3, 1 / 3], [34, 33, 33]],
  ])('splits %d by %j into %j', (cap, weights, shares) => {
    expect(splitCap(cap, weights)).toEqual(shares);
  });

  test('the shares always sum to the cap, each within one of its exact share', () => {
    for (let seed = 1; seed < 200; seed++) {
      const weights = Array.from({ length: 1 + (seed % 9) }, (_, i) => ((seed * 7919 + i * 104_729) % 1000) / 7);
      const cap = (seed * 31) % 5000 + 1;
      const shares = splitCap(cap, weights);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(cap);
      const total = weights.reduce((a, b) => a + b, 0);
      shares.forEach((share, i) => expect(Math.abs(share - (total > 0 ? cap * weights[i] / total : cap / weights.length))).toBeLessThan(1));
    }
  });
});
