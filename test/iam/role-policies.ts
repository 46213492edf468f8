/**
 * The identity policies a synthesized template attaches to one role, resolved to concrete ARNs:
 * the role's inline `Policies`, every AWS::IAM::Policy and AWS::IAM::ManagedPolicy that names the
 * role, and the managed policies in its `ManagedPolicyArns` (the stack's own, or AWS managed ones
 * copied below).
 */
import { TemplateResolver } from './template-resolver';

export interface NamedPolicy {
  readonly name: string;
  readonly policy: { Version: string; Statement: any[] };
}

/** AWS managed policies a role may carry, as AWS publishes them. */
const AWS_MANAGED: Record<string, NamedPolicy['policy']> = {
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
};

/** The logical id of the role a Lambda function runs as. */
export function roleOfFunction(resolver: TemplateResolver, functionLogicalId: string): string {
  const role = resolver.template.Resources[functionLogicalId]?.Properties?.Role;
  const logicalId = role?.['Fn::GetAtt']?.[0];
  if (!logicalId) throw new Error(`${functionLogicalId} has no role of this template (${JSON.stringify(role)})`);
  return logicalId;
}

/** Every identity policy the template attaches to `roleLogicalId`. */
export function policiesOfRole(resolver: TemplateResolver, roleLogicalId: string): NamedPolicy[] {
  const { Resources } = resolver.template;
  const names = (roles: unknown) => (Array.isArray(roles) ? roles : []).some((r: any) => r?.Ref === roleLogicalId);
  const role = Resources[roleLogicalId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleLogicalId} is not a role`);

  const policies: NamedPolicy[] = [];
  for (const inline of role.Properties?.Policies ?? []) {
    policies.push({ name: `${roleLogicalId}/${inline.PolicyName}`, policy: resolver.resolve(inline.PolicyDocument) });
  }
  const managedArns = new Set<string>((resolver.resolve(role.Properties?.ManagedPolicyArns ?? []) as string[]));
  for (const [id, resource] of Object.entries(Resources)) {
    const attached = names(resource.Properties?.Roles);
    if (resource.Type === 'AWS::IAM::Policy' && attached) {
      policies.push({ name: id, policy: resolver.resolve(resource.Properties.PolicyDocument) });
    }
    if (resource.Type === 'AWS::IAM::ManagedPolicy') {
      const arn = resolver.resolve({ Ref: id }) as string;
      if (attached || managedArns.delete(arn)) {
        policies.push({ name: id, policy: resolver.resolve(resource.Properties.PolicyDocument) });
      }
    }
  }
  for (const arn of managedArns) {
    const policy = AWS_MANAGED[arn];
    if (!policy) throw new Error(`${roleLogicalId} carries ${arn}, which role-policies.ts has no copy of`);
    policies.push({ name: arn, policy });
  }
  return policies;
}
