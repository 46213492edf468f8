import { ResourcePatternReader } from './resource-patterns';
import { isRegionName } from '../../sweep/input/pool-id';

/**
 * True when a `Resource` value names user pools through a Multi-Region replica's ARN: a literal
 * Region field other than the literal Region that starts the pool id
 * (`arn:aws:cognito-idp:us-west-2:111122223333:userpool/us-east-1_EXAMPLE`, also with a wildcard
 * after the `_`). Device administration of such a pool goes to the primary, in the id's Region, and
 * IAM evaluates it on the primary's ARN, so a statement on the replica's ARN reaches none of it.
 * References (`${AWS::Region}`, a pool's `Arn`) and wildcards in the Region field are not literal:
 * they are left alone. An `Fn::If` entry counts if either branch names a replica.
 */
export function namesReplicaPoolArn(reader: ResourcePatternReader, value: unknown): boolean {
  return reader.read(value).some(isReplicaPoolArn);
}

function isReplicaPoolArn(pattern: string): boolean {
  const fields = pattern.split(':');
  if (fields.length !== 6 || fields[0] !== 'arn' || fields[2] !== 'cognito-idp' || !fields[5].startsWith('userpool/')) return false;
  const region = fields[3];
  const poolId = fields[5].slice('userpool/'.length);
  const underscore = poolId.indexOf('_');
  if (underscore < 0) return false;
  const idRegion = poolId.slice(0, underscore);
  return isRegionName(region) && isRegionName(idRegion) && region !== idRegion;
}
