/**
 * Budget sharing, decided by LimiterSet: the clients of pools reached through one Region and
 * endpoint get one set of limiters (one budget), whatever Region their pool ids name.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createSweepClient } from '../../src/sweep';
import { LimiterSet } from '../../src/sweep/rate/limiter-set';
import type { Grant } from '../../src/sweep/types';

const RATES = { UserList: 15, UserResourceRead: 25, UserResourceUpdate: 12.5 };
const clients: CognitoIdentityProviderClient[] = [];
afterAll(() => clients.forEach((c) => c.destroy()));

function client(region: string, endpoint?: string): CognitoIdentityProviderClient {
  const c = createSweepClient(region, { endpoint });
  clients.push(c);
  return c;
}

function limiterSet(grants: Grant[]): LimiterSet {
  const never = new AbortController().signal;
  return new LimiterSet(RATES, { UserList: never, UserResourceRead: never, UserResourceUpdate: never }, undefined, (g) => grants.push(g));
}

test('clients of one Region and endpoint share one budget; another Region or endpoint gets its own', async () => {
  const grants: Grant[] = [];
  const set = limiterSet(grants);
  try {
    const a = await set.of(client('eu-west-1', 'http://127.0.0.1:9'));
    const b = await set.of(client('eu-west-1', 'http://127.0.0.1:9'));
    const otherEndpoint = await set.of(client('eu-west-1', 'http://127.0.0.1:10'));
    const otherRegion = await set.of(client('us-east-1', 'http://127.0.0.1:9'));

    expect(b).toBe(a);
    expect(set.size).toBe(3);
    for (const limiters of [a, b, otherEndpoint, otherRegion]) await limiters.UserResourceUpdate.acquire();
    const byTarget = new Map<string, Set<number>>();
    for (const g of grants) byTarget.set(g.target, (byTarget.get(g.target) ?? new Set()).add(g.budgetId));
    expect([...byTarget.keys()].sort()).toEqual(['eu-west-1 http://127.0.0.1:10/', 'eu-west-1 http://127.0.0.1:9/', 'us-east-1 http://127.0.0.1:9/']);
    // One budget per target, and three distinct budgets.
    expect([...byTarget.values()].map((ids) => ids.size)).toEqual([1, 1, 1]);
    expect(new Set(grants.map((g) => g.budgetId)).size).toBe(3);
    expect(grants.every((g) => g.category === 'UserResourceUpdate')).toBe(true);
  } finally {
    set.close();
  }
});

test('two LimiterSets never share budget ids: a sweep that made two for one target would show two', async () => {
  const grants: Grant[] = [];
  const sets = [limiterSet(grants), limiterSet(grants)];
  try {
    for (const set of sets) await (await set.of(client('eu-west-1', 'http://127.0.0.1:9'))).UserList.acquire();
    expect(new Set(grants.map((g) => g.target)).size).toBe(1);
    expect(new Set(grants.map((g) => g.budgetId)).size).toBe(2);
  } finally {
    sets.forEach((s) => s.close());
  }
});
