import { hasIamWildcard, matchesIamPattern } from './iam-pattern';

/** The device actions that IAM authorizes: granting them is what the pack watches. */
export const ADMIN_DEVICE_ACTIONS: readonly string[] = [
  'cognito-idp:AdminForgetDevice',
  'cognito-idp:AdminListDevices',
  'cognito-idp:AdminGetDevice',
  'cognito-idp:AdminUpdateDeviceStatus',
];

/**
 * Device actions authorized by the signed-in user's access token: IAM never evaluates them, so an
 * IAM policy naming them changes nothing.
 */
export const TOKEN_AUTHORIZED_DEVICE_ACTIONS: readonly string[] = [
  'cognito-idp:ForgetDevice',
  'cognito-idp:ListDevices',
  'cognito-idp:GetDevice',
  'cognito-idp:UpdateDeviceStatus',
];

/** The admin device actions that at least one of the action patterns (`*`, `cognito-idp:Admin*` ...) matches. */
export function adminDeviceActionsMatchedBy(patterns: readonly string[]): string[] {
  return ADMIN_DEVICE_ACTIONS.filter((action) => patterns.some((pattern) => matchesIamPattern(pattern, action, false)));
}

/** The admin device actions that none of the patterns matches: what a `NotAction` list lets through. */
export function adminDeviceActionsNotMatchedBy(patterns: readonly string[]): string[] {
  return ADMIN_DEVICE_ACTIONS.filter((action) => !patterns.some((pattern) => matchesIamPattern(pattern, action, false)));
}

/**
 * The token-authorized device actions named explicitly (no wildcard) among the actions. Wildcards are
 * left alone: `cognito-idp:*` is not a claim that IAM controls `ForgetDevice`.
 */
export function tokenAuthorizedDeviceActionsNamedIn(actions: readonly string[]): string[] {
  const named = actions.filter((action) => !hasIamWildcard(action)).map((action) => action.toLowerCase());
  return TOKEN_AUTHORIZED_DEVICE_ACTIONS.filter((action) => named.includes(action.toLowerCase()));
}
