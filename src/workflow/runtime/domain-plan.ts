/**
 * The plan step of the workflow: the run's pools grouped by quota domain (one account and Region:
 * Cognito's quotas are per account and Region), one Map item each. Pure: the handler asks Cognito
 * for the pools' estimated users and passes them in.
 */
import { parseUserPoolRef } from '../../sweep/input/pool-id';
import type { DomainItem, SweepAccountRole, SweepConfig, SweepDomain, SweepPlan } from '../contract';

/**
 * The quota domain of a pool (an id or ARN, already checked): its account when its ARN names an
 * account that has a role in `roleAccounts` (its calls are that role's), else the workflow's own
 * credentials (key `/region`); the Region is always the id's.
 */
export function domainOfPool(ref: string, roleAccounts: ReadonlySet<string>): SweepDomain {
  const { region, accountId } = parseUserPoolRef(ref);
  if (accountId !== undefined && roleAccounts.has(accountId)) {
    return { key: `${accountId}/${region}`, accountId, region };
  }
  return { key: `/${region}`, region };
}

/**
 * Splits the run into its quota domains, sorted by key (a stable order: the Map's items and the
 * run output's `domains` do not move between runs). Each item's config is the run's config with
 * that domain's pools (in `userPoolIds` order) and that domain's account role only.
 *
 * With `maxForgets`, each domain gets a share of it and the shares sum exactly to the run's cap
 * (largest remainder). The cap is split because the domains run in parallel, each its own slice
 * loop in its own Lambda invocations, with no counter they share: a run-wide cap could only be
 * held by making them take turns. The consequence: a domain stops at its share even when others
 * forgot less than theirs, so a run can end capped (that domain did) with a total below the cap.
 * Shares are weighted by the domains' estimated users (Cognito's EstimatedNumberOfUsers, summed
 * over the domain's pools; a pool without an estimate counts as the mean of the known ones, and
 * with no estimate at all, or only empty pools, every pool counts the same), since stale devices
 * are about where the users are. A share may be 0 (a cap smaller than the number of domains):
 * that domain forgets nothing and its slice ends capped at once, without a call.
 *
 * @param estimatedUsers Cognito's estimate of each pool's users, by the pool as `userPoolIds` names it
 */
export function planDomains(config: SweepConfig, estimatedUsers: ReadonlyMap<string, number> = new Map()): SweepPlan {
  const roles = new Map((config.accountRoles ?? []).map((role) => [role.accountId, role] as const));
  const roleAccounts = new Set(roles.keys());
  const groups = new Map<string, { domain: SweepDomain; pools: string[] }>();
  for (const ref of config.userPoolIds) {
    const domain = domainOfPool(ref, roleAccounts);
    let group = groups.get(domain.key);
    if (!group) groups.set(domain.key, (group = { domain, pools: [] }));
    group.pools.push(ref);
  }
  const sorted = [...groups.values()].sort((a, b) => (a.domain.key < b.domain.key ? -1 : a.domain.key > b.domain.key ? 1 : 0));
  const shares = config.maxForgets === undefined
    ? undefined
    : splitCap(config.maxForgets, poolWeights(sorted.map((g) => g.pools), estimatedUsers));
  const domains: DomainItem[] = sorted.map((group, i) => {
    const role = group.domain.accountId === undefined ? undefined : roles.get(group.domain.accountId);
    const { accountRoles: _roles, maxForgets: _cap, ...rest } = config;
    const domainConfig: SweepConfig = {
      ...rest,
      userPoolIds: group.pools,
      ...(shares === undefined ? {} : { maxForgets: shares[i] }),
      ...(role === undefined ? {} : { accountRoles: [role] as SweepAccountRole[] }),
    };
    return { domain: group.domain, config: domainConfig };
  });
  return { domains };
}

/** Each domain's weight: its pools' estimated users (a pool without one: the mean of the known; none known: 1 per pool). */
function poolWeights(domains: readonly (readonly string[])[], estimatedUsers: ReadonlyMap<string, number>): number[] {
  const estimateOf = (ref: string): number | undefined => {
    const users = estimatedUsers.get(ref);
    return users !== undefined && Number.isFinite(users) && users >= 0 ? users : undefined;
  };
  const known = domains.flat().flatMap((ref) => estimateOf(ref) ?? []);
  const knownTotal = known.reduce((a, b) => a + b, 0);
  if (knownTotal <= 0) return domains.map((pools) => pools.length);
  const mean = knownTotal / known.length;
  return domains.map((pools) => pools.reduce((sum, ref) => sum + (estimateOf(ref) ?? mean), 0));
}

/**
 * Splits `cap` into whole shares proportional to `weights` that sum exactly to `cap` (largest
 * remainder: each share's floor, then one more to the largest remainders, ties to the earlier).
 * With all weights 0, the weights count as equal.
 */
export function splitCap(cap: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const total = weights.reduce((a, b) => a + b, 0);
  const w = total > 0 ? weights : weights.map(() => 1);
  const sum = total > 0 ? total : weights.length;
  const exact = w.map((weight) => (cap * weight) / sum);
  const shares = exact.map(Math.floor);
  let left = cap - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((value, i) => ({ i, remainder: value - shares[i] })).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]++;
    left--;
  }
  // Rounding error of the floors (never seen, but the sum must hold): take back from the smallest remainders.
  for (const { i } of [...order].reverse()) {
    if (left >= 0) break;
    if (shares[i] > 0) {
      shares[i]--;
      left++;
    }
  }
  return shares;
}
