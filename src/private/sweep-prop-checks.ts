import { Annotations, Duration, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { validationError } from './validation-error';
import type { DeviceSweepOptions } from '../common/device-sweep-options';
import {
  concurrentDomainsProblem, datedRulesProblem, maxDeviceAgeProblem, maxForgetsProblem, rateBudgetProblem, staleAfterProblem,
  toleratedDomainFailuresProblem, usernamesProblem,
} from '../sweep/input/rules';

/**
 * Synth-time checks of the sweep settings that StaleDeviceCleanup and DevicePurge share, so the two
 * constructs accept and reject exactly the same values with the same messages. `owner` starts each
 * message (see validationError: a construct's path, or the name of a static factory).
 */

/** Throws when `staleAfter` is shorter than a day (rule: sweep/input/rules). */
export function validateStaleAfter(owner: IConstruct | string, staleAfter: Duration): void {
  if (staleAfter.isUnresolved()) return;
  throwIf(owner, staleAfterProblem('staleAfter', staleAfter.toSeconds()));
}

/** Throws when `maxDeviceAge` is shorter than a day (rule: sweep/input/rules). */
export function validateMaxDeviceAge(owner: IConstruct | string, maxDeviceAge: Duration | undefined): void {
  if (maxDeviceAge === undefined || maxDeviceAge.isUnresolved()) return;
  throwIf(owner, maxDeviceAgeProblem('maxDeviceAge', maxDeviceAge.toSeconds()));
}

/** Throws when neither `staleAfter` nor `maxDeviceAge` is given (rule: sweep/input/rules). */
export function validateDatedRules(owner: IConstruct | string, staleAfter: Duration | undefined, maxDeviceAge: Duration | undefined): void {
  throwIf(owner, datedRulesProblem('staleAfter', 'maxDeviceAge', staleAfter, maxDeviceAge));
  if (staleAfter !== undefined) validateStaleAfter(owner, staleAfter);
  validateMaxDeviceAge(owner, maxDeviceAge);
}

/** Throws when the forget cap `prop` is not a whole number of at least 1 (rule: sweep/input/rules). */
export function validateMaxForgets(owner: IConstruct | string, prop: string, maxForgets: number | undefined): void {
  if (maxForgets === undefined || Token.isUnresolved(maxForgets)) return;
  throwIf(owner, maxForgetsProblem(prop, maxForgets));
}

/** Throws when the rate budget fraction is outside (0, 1] (rule: sweep/input/rules). */
export function validateRateBudget(owner: IConstruct | string, rateBudget: number | undefined): void {
  if (rateBudget === undefined || Token.isUnresolved(rateBudget)) return;
  throwIf(owner, rateBudgetProblem('rateBudget', rateBudget));
}

/** Throws for a list of usernames that is a token, too long, or has an empty name (rule: sweep/input/rules). */
export function validateUsernames(owner: IConstruct | string, prop: string, usernames: string[] | undefined): void {
  if (usernames === undefined) {
    return;
  }
  if (Token.isUnresolved(usernames)) {
    throw validationError(owner, `give ${prop} as a literal list, not a token; they are checked at synth time.`);
  }
  // A token name (e.g. a parameter) is resolved at deploy time, and checked by the slice then.
  throwIf(owner, usernamesProblem(prop, usernames.map((name) => (Token.isUnresolved(name) ? 'token' : name))));
}

function throwIf(owner: IConstruct | string, problem: string | undefined): void {
  if (problem) throw validationError(owner, problem);
}

/**
 * The checks of the options every sweep construct shares (DeviceSweepOptions), with the same
 * messages in each. `maxForgets` is resolved separately (resolveMaxForgets), as a construct may
 * still accept an older name for it.
 */
export function checkDeviceSweepOptions(scope: IConstruct, options: DeviceSweepOptions): void {
  validateRateBudget(scope, options.rateBudget);
  validateUsernames(scope, 'excludeUsernames', options.excludeUsernames);
  if (options.maxConcurrentDomains !== undefined && !Token.isUnresolved(options.maxConcurrentDomains)) {
    throwIf(scope, concurrentDomainsProblem('maxConcurrentDomains', options.maxConcurrentDomains));
  }
  if (options.toleratedDomainFailures !== undefined && !Token.isUnresolved(options.toleratedDomainFailures)) {
    throwIf(scope, toleratedDomainFailuresProblem('toleratedDomainFailures', options.toleratedDomainFailures));
  }
  if (options.sweepRoleName !== undefined && !Token.isUnresolved(options.sweepRoleName) && !ROLE_NAME.test(options.sweepRoleName)) {
    throw validationError(scope,
      `sweepRoleName is '${options.sweepRoleName}'; an IAM role name is 1 to 64 letters, digits or _+=,.@- characters.`);
  }
}

/** An IAM role name (IAM User Guide, IAM identifiers). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** An older prop name still accepted for `maxForgets`. */
export interface DeprecatedCap {
  /** The prop as users spell it, e.g. `maxForgetsPerRun`. */
  readonly prop: string;
  /** The API name for the deprecation warning, e.g. `cdk-cognito-devices.StaleDeviceCleanupProps#maxForgetsPerRun`. */
  readonly api: string;
  readonly value: number | undefined;
}

/**
 * The forget cap from `maxForgets` or, with a deprecation warning, an older name for it. Both set
 * to different values is an error: no guess at which one was meant.
 */
export function resolveMaxForgets(scope: IConstruct, maxForgets: number | undefined, deprecated?: DeprecatedCap): number | undefined {
  validateMaxForgets(scope, 'maxForgets', maxForgets);
  if (deprecated?.value === undefined) return maxForgets;
  validateMaxForgets(scope, deprecated.prop, deprecated.value);
  Annotations.of(scope).addDeprecation(deprecated.api, `use maxForgets instead of ${deprecated.prop} (same meaning).`);
  if (maxForgets !== undefined && maxForgets !== deprecated.value) {
    throw validationError(scope,
      `maxForgets is ${maxForgets} but ${deprecated.prop} is ${deprecated.value}; ${deprecated.prop} is the older name of maxForgets: set maxForgets only.`);
  }
  return deprecated.value;
}
