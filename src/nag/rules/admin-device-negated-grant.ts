import { NagMessageLevel } from 'cdk-nag';
import { DeviceRule, SCOPED_GRANT_ADVICE, statementRule } from './device-rule';
import { isUnscopedAdminDeviceGrant, usesNegation } from '../policy/admin-device-grant';

/**
 * Non-compliant when an `Allow` statement written with `NotAction` or `NotResource` lets admin device
 * actions through on every user pool: a `NotAction` that does not exclude them (on a resource covering
 * every pool), or a `NotResource` that does not exclude every pool (with actions that include them),
 * in both cases without an `aws:ResourceTag/...` condition.
 */
export const adminDeviceNegatedGrant = statementRule('AdminDeviceNegatedGrant', (statement) =>
  usesNegation(statement) && isUnscopedAdminDeviceGrant(statement));

/** `CognitoDevice-AdminDeviceNegatedGrant` */
export const ADMIN_DEVICE_NEGATED_GRANT: DeviceRule = {
  rule: adminDeviceNegatedGrant,
  info: 'The IAM policy uses NotAction or NotResource in an Allow statement that lets Cognito admin device actions (such as cognito-idp:AdminForgetDevice) through on every user pool.',
  explanation:
    'An Allow with NotAction grants every action it does not list, and an Allow with NotResource grants on every resource ' +
    'it does not list: unless the list names the admin device actions (or every user pool), AdminForgetDevice and its ' +
    'siblings are granted on all pools without being written anywhere. Use Action and Resource instead. ' +
    SCOPED_GRANT_ADVICE,
  level: NagMessageLevel.ERROR,
};
