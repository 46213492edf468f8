import { Duration, Token } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';

const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3_600, day: 86_400 };

/**
 * The interval between starts of a `rate(...)` schedule, or undefined when it cannot be told at synth
 * time (cron, one-time `at(...)`, tokens).
 */
export function scheduleInterval(schedule: scheduler.ScheduleExpression): Duration | undefined {
  const expression = schedule.expressionString;
  if (Token.isUnresolved(expression)) {
    return undefined;
  }
  const match = /^rate\(\s*(\d+)\s+(minute|hour|day)s?\s*\)$/.exec(expression);
  if (!match) {
    return undefined;
  }
  return Duration.seconds(Number(match[1]) * UNIT_SECONDS[match[2]]);
}
