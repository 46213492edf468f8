import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The id of the `AwsSolutions-IAM5` finding about the wildcard resource `resource` (e.g.
 * `${fn.functionArn}:*`) in a policy of `scope`'s stack, as cdk-nag names it.
 */
export function wildcardResourceFindingId(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${findingResource(scope, resource)}]`;
}

/**
 * A resource ARN as cdk-nag names it in a finding id (e.g. `<LogicalId.Arn>:*`): the template value,
 * with references flattened the way cdk-nag flattens them.
 */
function findingResource(scope: IConstruct, value: string): string {
  return flatten(Stack.of(scope).resolve(value));
}

function flatten(node: unknown): string {
  if (node === undefined) {
    return '';
  }
  if (typeof node === 'string') {
    return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  const fn = node as Record<string, unknown>;
  if (fn['Fn::Join']) {
    const [delimiter, items] = fn['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (fn['Fn::GetAtt']) {
    const [resource, attribute] = fn['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (fn.Ref) {
    return `<${flatten(fn.Ref)}>`;
  }
  return JSON.stringify(node);
}
