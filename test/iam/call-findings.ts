/** Evaluates recorded requests against a role's policies and names every call that is wrong. */
import type { RecordedRequest } from './aws-gateway';
import { evaluate, foreignResource } from './evaluate';
import { authorizedCall } from './request-resources';
import type { NamedPolicy } from './role-policies';

export interface CheckedCall {
  readonly action: string;
  readonly resource: string;
}

/**
 * Each distinct (action, resource) of `requests`, and the problems: a call the policies do not allow
 * (named, with the decision), or the same call on a resource the construct was not given that they do allow.
 */
export async function callFindings(
  requests: RecordedRequest[], roleName: string, policies: NamedPolicy[],
): Promise<{ calls: CheckedCall[]; problems: string[] }> {
  const calls = new Map<string, CheckedCall>();
  const problems: string[] = [];
  for (const request of requests) {
    const { action, resources } = await authorizedCall(request);
    for (const resource of resources) {
      const key = `${action} on ${resource}`;
      if (calls.has(key)) continue;
      calls.set(key, { action, resource });
      const decision = await evaluate(policies, roleName, action, resource);
      if (decision !== 'Allowed') problems.push(`${roleName}: ${key} is ${decision} by the role's policies`);
      const foreign = await foreignResource(action, resource);
      if (foreign && (await evaluate(policies, roleName, action, foreign)) === 'Allowed') {
        problems.push(`${roleName}: ${action} on ${foreign}, which the construct was not given, is Allowed`);
      }
    }
  }
  return { calls: [...calls.values()], problems };
}
