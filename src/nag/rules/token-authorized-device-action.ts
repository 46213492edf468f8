import { NagMessageLevel } from 'cdk-nag';
import { DeviceRule, statementRule } from './device-rule';
import { tokenAuthorizedDeviceActionsNamedIn } from '../policy/device-action-matching';

/**
 * Non-compliant when a statement names `cognito-idp:ForgetDevice`, `ListDevices`, `GetDevice` or
 * `UpdateDeviceStatus` explicitly in `Action`. Deny statements count too: a Deny of `ForgetDevice`
 * stops nobody, which is the same false sense of control. Wildcards are not reported.
 */
export const tokenAuthorizedDeviceAction = statementRule('TokenAuthorizedDeviceAction', (statement) =>
  tokenAuthorizedDeviceActionsNamedIn(statement.actions ?? []).length > 0);

/** `CognitoDevice-TokenAuthorizedDeviceAction` */
export const TOKEN_AUTHORIZED_DEVICE_ACTION: DeviceRule = {
  rule: tokenAuthorizedDeviceAction,
  info: 'The IAM policy names a token-authorized Cognito device action (cognito-idp:ForgetDevice, ListDevices, GetDevice or UpdateDeviceStatus): IAM never evaluates it, so the statement has no effect on it.',
  explanation:
    "These operations are authorized by the signed-in user's access token (scope aws.cognito.signin.user.admin), not by " +
    'IAM: allowing them grants nothing and denying them prevents nothing. To manage devices with AWS credentials use the ' +
    'admin actions with UserPoolDeviceGrants.fromUserPool(pool).forgetDevice(role) (exact pool ARN) or ' +
    'UserPoolDeviceGrants.fromTaggedUserPools(stack, key, value) (aws:ResourceTag condition); what users may do with ' +
    'their own tokens is controlled outside IAM (the scopes an app client issues, AWS WAF on the user pool). Then remove ' +
    'these actions from the policy.',
  level: NagMessageLevel.WARN,
};
