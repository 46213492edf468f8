import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding on one construct, with its reason.
 *
 * Finding ids such as `AwsSolutions-IAM5[Resource::arn:...]` contain `::`, which
 * `Validations.acknowledge` rejects in aws-cdk-lib 2.257 (it reserves `::` for a prefix). cdk-nag
 * reads the same metadata entry that `acknowledge` writes, so such ids are recorded directly, in
 * the form `acknowledge` itself uses.
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  if (!id.includes('::')) {
    Validations.of(scope).acknowledge({ id, reason });
    return;
  }
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`annotation::${id}`]: reason });
}
