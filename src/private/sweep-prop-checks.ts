import { Duration, Token } from 'aws-cdk-lib';

/**
 * Synth-time checks of the sweep settings that StaleDeviceCleanup and DevicePurge share, so the two
 * constructs accept and reject exactly the same values with the same messages. `owner` starts each
 * message (a construct path or a class name).
 */

/** Shortest `staleAfter`: anything shorter would forget devices people use every day. */
export const MIN_STALE_AFTER = Duration.days(1);
/** Most usernames one sweep configuration carries (they travel in the execution input). */
export const MAX_USERNAMES = 100;

/** Throws when `staleAfter` is shorter than a day. */
export function checkStaleAfter(owner: string, staleAfter: Duration): void {
  if (!staleAfter.isUnresolved() && staleAfter.toSeconds() < MIN_STALE_AFTER.toSeconds()) {
    throw new Error(
      `${owner}: staleAfter is ${staleAfter.toHumanString()}; use at least Duration.days(1) ` +
      '(the Cognito guide suggests 90 days), or it forgets devices that are in everyday use.',
    );
  }
}

/** Throws when the rate budget fraction is outside (0, 1]. */
export function checkRateBudget(owner: string, rateBudget: number | undefined): void {
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

/** Throws for a list of usernames that is a token, too long, or has an empty name. */
export function checkUsernames(owner: string, prop: string, usernames: string[] | undefined): void {
  if (usernames === undefined) {
    return;
  }
  if (Token.isUnresolved(usernames)) {
    throw new Error(`${owner}: give ${prop} as a literal list, not a token; they are checked at synth time.`);
  }
  if (usernames.length > MAX_USERNAMES) {
    throw new Error(`${owner}: ${prop} has ${usernames.length} names; at most ${MAX_USERNAMES} fit in one sweep configuration.`);
  }
  usernames.forEach((name, index) => {
    if (!Token.isUnresolved(name) && name.trim().length === 0) {
      throw new Error(`${owner}: ${prop} #${index + 1} is empty; give the username as Cognito knows it.`);
    }
  });
}
