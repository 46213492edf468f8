import { adminDeviceActionsMatchedBy, adminDeviceActionsNotMatchedBy } from './device-action-matching';
import { IamStatement } from './policy-statements';
import { ResourcePatternReader } from './resource-patterns';
import { isScopedByResourceTag } from './resource-tag-condition';
import { coversAllUserPools } from './user-pool-coverage';

/**
 * True when an `Allow` statement lets admin device actions (`AdminForgetDevice` ...) through on every
 * user pool of an account and Region, with no `aws:ResourceTag/...` condition narrowing it down.
 * Whether it does so with `Action`/`Resource` or with `NotAction`/`NotResource` is for the caller to tell.
 */
export function isUnscopedAdminDeviceGrant(statement: IamStatement): boolean {
  return statement.effect === 'Allow'
    && adminDeviceActionsAllowed(statement).length > 0
    && reachesAllUserPools(statement)
    && !isScopedByResourceTag(statement.condition);
}

/** True when the statement uses `NotAction` or `NotResource`. */
export function usesNegation(statement: IamStatement): boolean {
  return statement.notActions !== undefined || statement.notResources !== undefined;
}

/** The admin device actions the statement's `Action` matches, or its `NotAction` does not exclude. */
export function adminDeviceActionsAllowed(statement: IamStatement): string[] {
  if (statement.actions !== undefined) {
    return adminDeviceActionsMatchedBy(statement.actions);
  }
  if (statement.notActions !== undefined) {
    return adminDeviceActionsNotMatchedBy(statement.notActions);
  }
  return [];
}

/**
 * True when some `Resource` entry covers every pool, or when `NotResource` is used and none of its
 * entries excludes every pool (all pools but a few named ones is still all pools for this purpose).
 */
function reachesAllUserPools(statement: IamStatement): boolean {
  const reader = new ResourcePatternReader();
  if (statement.resources !== undefined) {
    // An `Fn::If` entry counts if either branch covers every pool.
    return statement.resources.some((entry) => reader.read(entry).some(coversAllUserPools));
  }
  if (statement.notResources !== undefined) {
    // ...but excludes every pool only if both branches do.
    return !statement.notResources.some((entry) => {
      const patterns = reader.read(entry);
      return patterns.length > 0 && patterns.every(coversAllUserPools);
    });
  }
  return false;
}
