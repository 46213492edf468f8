import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { sweepMetric } from './sweep-metrics';
import { AGE_BUCKET_METRICS, DEVICE_COUNT_METRICS, SweepMetric } from '../workflow/contract';

/** Labels of the age-picture metrics, in bucket order. */
const AGE_LABELS: Record<string, string> = {
  [SweepMetric.DEVICES_LAST_USED_UNDER_7_DAYS]: '< 7 d',
  [SweepMetric.DEVICES_LAST_USED_7_TO_30_DAYS]: '7-30 d',
  [SweepMetric.DEVICES_LAST_USED_30_TO_90_DAYS]: '30-90 d',
  [SweepMetric.DEVICES_LAST_USED_90_TO_180_DAYS]: '90-180 d',
  [SweepMetric.DEVICES_LAST_USED_180_TO_365_DAYS]: '180-365 d',
  [SweepMetric.DEVICES_LAST_USED_OVER_365_DAYS]: '> 365 d',
  [SweepMetric.DEVICES_UNDATED]: 'undated',
};

/**
 * The CloudWatch dashboard of one sweep: runs, forgets, throttles, errors, duration, progress and
 * the age picture, from the metrics its slice Lambda emits (namespace CognitoDeviceSweep,
 * dimension SweepName). Periods are a day: a run's slices sum into one point.
 */
export function createSweepDashboard(scope: Construct, id: string, sweepName: string, title: string): cloudwatch.Dashboard {
  const period = Duration.days(1);
  const m = (name: string, label?: string, statistic?: string) => sweepMetric(sweepName, name, { period, label: label ?? name, statistic });
  const graph = (heading: string, metrics: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
    new cloudwatch.GraphWidget({ title: heading, left: metrics, width: 12, height: 6, period, ...extra });

  const dashboard = new cloudwatch.Dashboard(scope, id, {
    // Dashboard names allow letters, digits, - and _ only.
    dashboardName: `CognitoDeviceSweep-${title}`.replace(/[^\w-]/g, '-').slice(0, 255),
    defaultInterval: Duration.days(30),
  });
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown: `# Cognito device sweep ${title}\nDaily sums of what each run's slices did; the age picture is at each run's reference time.`,
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    graph('Runs', [m(SweepMetric.RUNS_COMPLETED), m(SweepMetric.RUNS_FAILED), m(SweepMetric.RUNS_CAPPED), m(SweepMetric.DOMAINS_FAILED)]),
    graph('Run duration (seconds)', [m(SweepMetric.RUN_DURATION, 'RunDurationSeconds (max)', cloudwatch.Stats.MAXIMUM)]),
  );
  dashboard.addWidgets(
    graph('Devices forgotten', [
      m(SweepMetric.DEVICES_FORGOTTEN), m(SweepMetric.DEVICES_ALREADY_GONE), m(SweepMetric.DEVICES_STALE),
    ]),
    graph('Throttles and errors', [m(SweepMetric.THROTTLED), m(SweepMetric.ERRORS)]),
  );
  dashboard.addWidgets(
    graph('Users and devices scanned', [
      m(SweepMetric.USERS_SCANNED), m(SweepMetric.USERS_SKIPPED_BY_INDEX), m(SweepMetric.DEVICES_SCANNED),
      m(SweepMetric.DEVICES_REMEMBERED),
    ]),
    graph('Users by devices held after the run',
      Object.values(DEVICE_COUNT_METRICS).map((name) => m(name)),
      { view: cloudwatch.GraphWidgetView.BAR }),
  );
  dashboard.addWidgets(
    graph('Devices by last use (age picture)',
      Object.values(AGE_BUCKET_METRICS).map((name) => m(name, AGE_LABELS[name])),
      { view: cloudwatch.GraphWidgetView.BAR, width: 24 }),
  );
  return dashboard;
}
