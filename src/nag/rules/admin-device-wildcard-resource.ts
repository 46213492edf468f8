import { NagMessageLevel } from 'cdk-nag';
import { DeviceRule, SCOPED_GRANT_ADVICE, statementRule } from './device-rule';
import { isUnscopedAdminDeviceGrant, usesNegation } from '../policy/admin-device-grant';

/**
 * Non-compliant when an `Allow` statement grants an admin device action (`cognito-idp:AdminForgetDevice`,
 * `AdminListDevices`, `AdminGetDevice`, `AdminUpdateDeviceStatus`, or a wildcard such as
 * `cognito-idp:Admin*`, `cognito-idp:*`, `*` that matches one) on a resource covering every user pool
 * (`*`, `arn:...:userpool/*`) without an `aws:ResourceTag/...` condition.
 */
export const adminDeviceWildcardResource = statementRule('AdminDeviceWildcardResource', (statement) =>
  !usesNegation(statement) && isUnscopedAdminDeviceGrant(statement));

/** `CognitoDevice-AdminDeviceWildcardResource` */
export const ADMIN_DEVICE_WILDCARD_RESOURCE: DeviceRule = {
  rule: adminDeviceWildcardResource,
  info: 'The IAM policy allows Cognito admin device actions (such as cognito-idp:AdminForgetDevice) on every user pool, without an aws:ResourceTag condition.',
  explanation:
    'AdminForgetDevice, AdminListDevices, AdminGetDevice and AdminUpdateDeviceStatus act on any user of any pool the ' +
    'statement reaches: forgetting a device forces its user to sign in and pass MFA again. A Resource of "*" or ' +
    '"arn:...:cognito-idp:<region>:<account>:userpool/*" (or an action wildcard such as cognito-idp:* or cognito-idp:Admin* ' +
    'on it) hands that power over every pool in the account, including pools created later. ' +
    SCOPED_GRANT_ADVICE,
  level: NagMessageLevel.ERROR,
};
