import { Token } from 'aws-cdk-lib';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import { isRegionName } from '../sweep/input/pool-id';

/**
 * The ARN that device administration of a user pool names, and what it was mapped from.
 *
 * Internal to the library (not exported from the package): constructs that write IAM statements
 * for the device administration calls use it so that they all name the same ARN.
 */
export interface PrimaryPoolArn {
  /** The ARN to grant on: the pool's ARN in the Region of its id (the primary's), or the ARN as given. */
  readonly arn: string;
  /** The Region the given ARN named, when it named a replica (a literal Region other than the id's). */
  readonly replicaRegion?: string;
  /** The primary's Region (the id's prefix), when the id is literal text. */
  readonly primaryRegion?: string;
}

/**
 * The ARN IAM evaluates the device administration calls of a pool on: its primary's.
 *
 * A Multi-Region replica keeps the pool id, whose prefix names the primary's Region, while its ARN
 * names the replica's Region (`arn:aws:cognito-idp:us-west-2:111122223333:userpool/us-east-1_EXAMPLE`).
 * A secondary replica accepts only end-user operations: `ListUsers`, `AdminListDevices`,
 * `AdminForgetDevice`, `DescribeUserPool`... go to the primary, in the id's Region, and IAM evaluates
 * them on the primary's ARN (`arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_EXAMPLE`).
 * So the Region field is replaced by the id's Region; the partition, the account and the id stay as
 * they are (tokens included: a replica is in its primary's account).
 *
 * - A literal Region field equal to the id's: the ARN is returned unchanged (the same string, so an
 *   ARN with tokens elsewhere renders exactly as before).
 * - A Region field that is a token (`UserPool.fromUserPoolId` in an environment-agnostic stack writes
 *   `${AWS::Region}`) with a literal id: the id's Region replaces it, since a pool id is administered
 *   in its own Region whatever Region the stack is deployed in.
 * - A Region field that is literal but no Region name (`*`, empty): the ARN as given.
 * - The id is a token (an owned pool's `Fn::GetAtt ... Arn`, a parameter, an import), the whole ARN
 *   is one token, or the text is not a user pool ARN: the ARN as given. Its Region is known at deploy
 *   time only, so it cannot be checked here; for an owned pool it is the stack's, which is the
 *   primary's.
 */
export function primaryPoolArnOf(userPoolArn: string): PrimaryPoolArn {
  const given: PrimaryPoolArn = { arn: userPoolArn };
  // A token stringifies as `${Token[...]}`, without colons, so the fields keep their places.
  const fields = userPoolArn.split(':');
  if (fields.length !== 6 || fields[0] !== 'arn' || fields[2] !== 'cognito-idp' || !fields[5].startsWith('userpool/')) return given;
  const poolId = fields[5].slice('userpool/'.length);
  const primaryRegion = literalRegionOfPoolId(poolId);
  if (primaryRegion === undefined) return given;
  const region = fields[3];
  if (region === primaryRegion) return { arn: userPoolArn, primaryRegion };
  // A literal that is no Region (`*`, empty): not a replica's ARN; left to IAM and to cdk-nag as written.
  if (!Token.isUnresolved(region) && !isRegionName(region)) return given;
  const arn = [...fields.slice(0, 3), primaryRegion, ...fields.slice(4)].join(':');
  const replicaRegion = Token.isUnresolved(region) ? undefined : region;
  return { arn, primaryRegion, ...(replicaRegion === undefined ? {} : { replicaRegion }) };
}

/**
 * The ARN to name in IAM statements for the device administration of `userPool` (its primary's):
 * see `primaryPoolArnOf`.
 *
 * @param userPool an owned, imported (by id or by ARN, also a replica's ARN) or L1 user pool
 */
export function primaryPoolArn(userPool: cognitoRefs.IUserPoolRef): string {
  return primaryPoolArnOf(userPool.userPoolRef.userPoolArn).arn;
}

/** The Region prefix of a literal pool id (`us-east-1` of `us-east-1_AbC123`); undefined for a token or another shape. */
function literalRegionOfPoolId(poolId: string): string | undefined {
  if (Token.isUnresolved(poolId)) return undefined;
  const underscore = poolId.indexOf('_');
  if (underscore < 0 || !/^[0-9a-zA-Z]+$/.test(poolId.slice(underscore + 1))) return undefined;
  const region = poolId.slice(0, underscore);
  return isRegionName(region) ? region : undefined;
}
