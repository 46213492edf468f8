/** Which of Cognito's device actions a policy statement's action patterns reach. */
import { hasIamWildcard, matchesIamPattern } from './iam-pattern';
import { ADMIN_DEVICE_ACTIONS, TOKEN_AUTHORIZED_DEVICE_ACTIONS } from '../../grants/device-actions';

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
