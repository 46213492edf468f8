import { Duration } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { validationError } from '../private/validation-error';

/** Shortest run timeout: one full slice (a 15-minute Lambda). */
export const MIN_TIMEOUT = Duration.minutes(15);
/**
 * Longest run timeout. A Standard execution keeps at most 25,000 history events; one 14-minute slice
 * takes about 7, so 14 days (1,440 slices, about 10,000 events) leaves room for retries.
 */
export const MAX_TIMEOUT = Duration.days(14);

/** Throws when the run timeout is outside [15 minutes, 14 days]. */
export function validateTimeout(scope: IConstruct, timeout: Duration): void {
  if (timeout.isUnresolved()) {
    return;
  }
  const seconds = timeout.toSeconds();
  if (seconds < MIN_TIMEOUT.toSeconds() || seconds > MAX_TIMEOUT.toSeconds()) {
    throw validationError(scope,
      `timeout is ${timeout.toHumanString()}; use between 15 minutes (one slice) and 14 days ` +
      '(the most a run can take before its Step Functions history fills up).',
    );
  }
}
