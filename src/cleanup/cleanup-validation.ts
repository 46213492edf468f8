import { Duration, Token } from 'aws-cdk-lib';

/** Shortest `staleAfter`: anything shorter would forget devices people use every day. */
export const MIN_STALE_AFTER = Duration.days(1);
/** Shortest run timeout: one full slice (a 15-minute Lambda). */
export const MIN_TIMEOUT = Duration.minutes(15);
/**
 * Longest run timeout. A Standard execution keeps at most 25,000 history events; one 14-minute slice
 * takes about 7, so 14 days (1,440 slices, about 10,000 events) leaves room for retries.
 */
export const MAX_TIMEOUT = Duration.days(14);

/** Throws when `staleAfter` is shorter than a day. */
export function validateStaleAfter(path: string, staleAfter: Duration): void {
  if (!staleAfter.isUnresolved() && staleAfter.toSeconds() < MIN_STALE_AFTER.toSeconds()) {
    throw new Error(
      `${path}: staleAfter is ${staleAfter.toHumanString()}; use at least Duration.days(1) ` +
      '(the Cognito guide suggests 90 days), or it forgets devices that are in use.',
    );
  }
}

/** Throws when the rate budget fraction is outside (0, 1]. */
export function validateRateBudget(path: string, rateBudget: number | undefined): void {
  if (rateBudget === undefined || Token.isUnresolved(rateBudget)) {
    return;
  }
  if (!(rateBudget > 0 && rateBudget <= 1)) {
    throw new Error(
      `${path}: rateBudget is ${rateBudget}; use a fraction of Cognito's request-rate quotas in (0, 1], e.g. 0.5. ` +
      'Your application shares those quotas, so leave it room.',
    );
  }
}

/** Throws when the forget cap is not a whole number of at least 1. */
export function validateMaxForgets(path: string, maxForgetsPerRun: number | undefined): void {
  if (maxForgetsPerRun === undefined || Token.isUnresolved(maxForgetsPerRun)) {
    return;
  }
  if (!Number.isInteger(maxForgetsPerRun) || maxForgetsPerRun < 1) {
    throw new Error(
      `${path}: maxForgetsPerRun is ${maxForgetsPerRun}; use a whole number of at least 1, or leave it out for no cap.`,
    );
  }
}

/** Throws when the run timeout is outside [15 minutes, 14 days]. */
export function validateTimeout(path: string, timeout: Duration): void {
  if (timeout.isUnresolved()) {
    return;
  }
  const seconds = timeout.toSeconds();
  if (seconds < MIN_TIMEOUT.toSeconds() || seconds > MAX_TIMEOUT.toSeconds()) {
    throw new Error(
      `${path}: timeout is ${timeout.toHumanString()}; use between 15 minutes (one slice) and 14 days ` +
      '(the most a run can take before its Step Functions history fills up).',
    );
  }
}

/** Throws when an excluded username is empty. */
export function validateExcludedUsernames(path: string, usernames: string[] | undefined): void {
  if (usernames?.some((username) => !Token.isUnresolved(username) && username.length === 0)) {
    throw new Error(`${path}: excludeUsernames contains an empty string; list usernames as Cognito knows them.`);
  }
}
