import { NagMessageLevel } from 'cdk-nag';
import { DeviceRule, statementRule } from './device-rule';
import { adminDeviceActionsAllowed } from '../policy/admin-device-grant';
import { namesReplicaPoolArn } from '../policy/replica-pool-arn';
import { ResourcePatternReader } from '../policy/resource-patterns';

/**
 * Non-compliant when a statement whose `Action` reaches an admin device action (or whose `NotAction`
 * does not exclude one) names a Multi-Region replica's pool ARN in `Resource`: a literal Region other
 * than the one its pool id starts with. Deny statements count too: a Deny on the replica's ARN stops
 * nothing, the same false sense of control as an Allow that allows nothing.
 */
export const adminDeviceReplicaArn = statementRule('AdminDeviceReplicaArn', (statement) => {
  if (statement.resources === undefined || adminDeviceActionsAllowed(statement).length === 0) return false;
  const reader = new ResourcePatternReader();
  return statement.resources.some((entry) => namesReplicaPoolArn(reader, entry));
});

/** `CognitoDevice-AdminDeviceReplicaArn` */
export const ADMIN_DEVICE_REPLICA_ARN: DeviceRule = {
  rule: adminDeviceReplicaArn,
  info: 'The IAM policy names Cognito admin device actions on a Multi-Region replica\'s user pool ARN (its Region is not the one in the pool id): the calls go to the primary, so this statement allows or denies nothing for them.',
  explanation:
    'A replica keeps its primary\'s pool id, whose prefix names the primary\'s Region, while its ARN names the replica\'s ' +
    'Region (arn:aws:cognito-idp:us-west-2:<account>:userpool/us-east-1_...). A secondary replica accepts only end-user ' +
    'operations: AdminForgetDevice, AdminListDevices, ListUsers and the other administration calls are sent to the ' +
    'primary\'s Region, and IAM evaluates them on the primary\'s ARN (arn:aws:cognito-idp:us-east-1:<account>:userpool/us-east-1_...). ' +
    'Name the primary\'s ARN instead: UserPoolDeviceGrants.fromUserPool(UserPool.fromUserPoolArn(scope, id, replicaArn)) ' +
    'maps a replica\'s ARN to its primary\'s.',
  level: NagMessageLevel.WARN,
};
