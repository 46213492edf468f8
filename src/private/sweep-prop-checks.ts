import { Duration, Token } from 'aws-cdk-lib';
import { datedRulesProblem, maxDeviceAgeProblem, maxForgetsProblem, staleAfterProblem, usernamesProblem } from '../sweep/rules';

/**
 * Synth-time checks of the sweep settings that StaleDeviceCleanup and DevicePurge share, so the two
 * constructs accept and reject exactly the same values with the same messages. `owner` starts each
 * message (a construct path or a class name).
 */

/** Throws when `staleAfter` is shorter than a day (rule: sweep/rules). */
export function validateStaleAfter(owner: string, staleAfter: Duration): void {
  if (staleAfter.isUnresolved()) return;
  throwIf(owner, staleAfterProblem('staleAfter', staleAfter.toSeconds()));
}

/** Throws when `maxDeviceAge` is shorter than a day (rule: sweep/rules). */
export function validateMaxDeviceAge(owner: string, maxDeviceAge: Duration | undefined): void {
  if (maxDeviceAge === undefined || maxDeviceAge.isUnresolved()) return;
  throwIf(owner, maxDeviceAgeProblem('maxDeviceAge', maxDeviceAge.toSeconds()));
}

/** Throws when neither `staleAfter` nor `maxDeviceAge` is given (rule: sweep/rules). */
export function validateDatedRules(owner: string, staleAfter: Duration | undefined, maxDeviceAge: Duration | undefined): void {
  throwIf(owner, datedRulesProblem('staleAfter', 'maxDeviceAge', staleAfter, maxDeviceAge));
  if (staleAfter !== undefined) validateStaleAfter(owner, staleAfter);
  validateMaxDeviceAge(owner, maxDeviceAge);
}

/** Throws when the forget cap `prop` is not a whole number of at least 1 (rule: sweep/rules). */
export function validateMaxForgets(owner: string, prop: string, maxForgets: number | undefined): void {
  if (maxForgets === undefined || Token.isUnresolved(maxForgets)) return;
  throwIf(owner, maxForgetsProblem(prop, maxForgets));
}

/** Throws when the rate budget fraction is outside (0, 1]. */
export function validateRateBudget(owner: string, rateBudget: number | undefined): void {
  if (rateBudget === undefined || Token.isUnresolved(rateBudget)) {
    return;
  }
  if (!(rateBudget > 0 && rateBudget <= 1)) {
    throw new Error(
      `${owner}: rateBudget is ${rateBudget}; use a fraction in (0, 1] of Cognito's request-rate quotas, e.g. 0.5. ` +
      'Your application shares those quotas, so leave it room.',
    );
  }
}

/** Throws for a list of usernames that is a token, too long, or has an empty name (rule: sweep/rules). */
export function validateUsernames(owner: string, prop: string, usernames: string[] | undefined): void {
  if (usernames === undefined) {
    return;
  }
  if (Token.isUnresolved(usernames)) {
    throw new Error(`${owner}: give ${prop} as a literal list, not a token; they are checked at synth time.`);
  }
  // A token name (e.g. a parameter) is resolved at deploy time, and checked by the slice then.
  throwIf(owner, usernamesProblem(prop, usernames.map((name) => (Token.isUnresolved(name) ? 'token' : name))));
}

function throwIf(owner: string, problem: string | undefined): void {
  if (problem) throw new Error(`${owner}: ${problem}`);
}
