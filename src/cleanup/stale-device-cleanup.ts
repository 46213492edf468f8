import { Annotations, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { grantAccountUsageRead } from './account-usage-grant';
import { validateTimeout } from './cleanup-validation';
import { createNextCheckTable } from './next-check-table';
import { scheduleInterval } from './schedule-interval';
import { resolveAudit } from '../audit/audit-props';
import type { DeviceAudit } from '../audit/device-audit';
import { validateMaxForgets, validateRateBudget, validateStaleAfter, validateUsernames } from '../private/sweep-prop-checks';
import { SweepExecutionInput, SweepMetricNames } from '../workflow/contract';
import { ManagedPolicyRole } from '../workflow/managed-policy-role';
import { createSweepDashboard } from '../workflow/sweep-dashboard';
import { sweepMetric } from '../workflow/sweep-metrics';
import { SweepWorkflow } from '../workflow/sweep-workflow';

/** Properties of a `StaleDeviceCleanup`. */
export interface StaleDeviceCleanupProps {
  /**
   * The user pools to clean up: owned, imported (also of other Regions) or L1. The cleanup's Lambda
   * may touch these pools only, and only their device actions.
   */
  readonly userPools: cognitoRefs.IUserPoolRef[];

  /**
   * A device is stale when its last use (last authentication, else last modification, else creation)
   * is older than this. Devices with no date at all are never forgotten. At least one day.
   */
  readonly staleAfter: Duration;

  /**
   * When the cleanup runs. A start while the previous run is still going is skipped.
   * @default ScheduleExpression.rate(Duration.days(1))
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * Count what would be forgotten without forgetting anything. The Lambda then only gets read
   * permissions. Run a dry run first and read its metrics and execution output.
   * @default false
   */
  readonly dryRun?: boolean;

  /**
   * Fraction (0, 1] of Cognito's documented default request-rate quotas (per account and Region,
   * shared with your application) that one run may use. The run also slows down on throttling.
   * @default 0.5
   */
  readonly rateBudget?: number;

  /**
   * Safety cap: a run stops forgetting once it has forgotten this many devices, ends as "capped",
   * emits the RunsCapped metric and sets off the alarm. Use it to catch a wrong `staleAfter` or a
   * pool that suddenly has far more stale devices than usual.
   * @default - no cap
   */
  readonly maxForgetsPerRun?: number;

  /**
   * Users (usernames as Cognito knows them) whose devices are never forgotten, e.g. operators or
   * test users; at most 100 (they travel in every run's execution input).
   * @default - no user is excluded
   */
  readonly excludeUsernames?: string[];

  /**
   * Forget only devices the user chose to remember (`dev:device_remembered_status` = `remembered`).
   * @default false
   */
  readonly onlyRemembered?: boolean;

  /**
   * Also yield to your applications before they are throttled: every minute, read each quota
   * category's CallCount and ThrottleCount (CloudWatch AWS/Usage) and cap the sweep at what the
   * other callers leave of the quota. Grants the slice function cloudwatch:GetMetricData, which has
   * no resource type (so on "*"). Without it, the sweep slows down on throttles only.
   * @default false
   */
  readonly followAccountUsage?: boolean;

  /**
   * Longest time one run may take, between 15 minutes and 14 days. At the default rate budget a run
   * covers roughly 90,000 users an hour (see the README); raise it for larger pools, and keep the
   * schedule's interval at least this long.
   * @default Duration.hours(23)
   */
  readonly timeout?: Duration;

  /**
   * Create an alarm that fires when a run fails, times out, finishes with errors or is capped.
   * @default - true when `alarmTopic` is given, false otherwise
   */
  readonly alarm?: boolean;

  /**
   * SNS topic the alarm notifies. Setting it creates the alarm unless `alarm` is false.
   * @default - no notification
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Incremental runs: keep, per user, when their devices can next turn stale (a DynamoDB table, on
   * demand, with point-in-time recovery, TTL and AWS managed encryption, destroyed with the
   * cleanup), and skip listing the devices of users not yet due. It never changes what is
   * forgotten; a daily run then lists a few percent of the users (see the README's cost model).
   * @default true
   */
  readonly incremental?: boolean;

  /**
   * Retention of the Lambda's and the state machine's logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Customer managed key that encrypts the logs. Its key policy must allow the CloudWatch Logs
   * service principal of this Region.
   * @default - CloudWatch Logs encrypts the logs with a key it manages
   */
  readonly logEncryptionKey?: kms.IKey;
  /**
   * What happens to the log groups when they leave the stack (the stack is deleted or the construct
   * removed). No log group has a name fixed across stack instances, so a retained one never stops
   * the stack from being deployed again.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * Where each run writes its audit trail: one JSON Lines record per device forgotten (or, in a dry
   * run, that would be), one S3 object per slice. Share one `DeviceAudit` among sweeps.
   * @default no audit trail (unless auditBucket is set)
   */
  readonly audit?: DeviceAudit;
  /**
   * Shorthand for `audit: new DeviceAudit(this, 'Audit', { bucket: auditBucket })`: records go to this
   * bucket under `cognito-device-audit/`, usernames in clear.
   * @default no audit trail (unless audit is set)
   */
  readonly auditBucket?: s3.IBucket;
  /**
   * Create a CloudWatch dashboard of this sweep: runs, forgets, throttles, errors, duration,
   * progress and the age picture of the devices.
   * @default false
   */
  readonly dashboard?: boolean;
}

/**
 * Forgets the stale remembered devices of one or more Amazon Cognito user pools on a schedule.
 *
 * An EventBridge Scheduler schedule starts a Step Functions Standard workflow that sweeps the pools
 * in Lambda slices of about 14 minutes each, under a share of Cognito's request-rate quotas, until
 * every user has been visited. Runs take hours on large pools, which is fine: the budget leaves
 * capacity to the application, and only one run goes at a time.
 *
 * @example
 * declare const userPool: cognito.UserPool;
 * new StaleDeviceCleanup(this, 'Cleanup', {
 *   userPools: [userPool],
 *   staleAfter: Duration.days(90),
 *   maxForgetsPerRun: 100_000,
 * });
 */
export class StaleDeviceCleanup extends Construct {
  /** The workflow one run executes; its input is `{"config": ...}` (see the README). */
  public readonly stateMachine: sfn.IStateMachine;
  /** The Lambda that runs each slice of a sweep. */
  public readonly sliceFunction: lambda.Function;
  /** The schedule that starts runs. */
  public readonly schedule: scheduler.Schedule;
  /** The alarm on failed, timed-out, erroring or capped runs, when enabled. */
  public readonly alarm?: cloudwatch.Alarm;
  /** The CloudWatch dashboard, when `dashboard` is on. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** Value of the `SweepName` dimension of this cleanup's metrics. */
  public readonly sweepName: string;
  /** The next-check index table, when `incremental` is on. */
  public readonly indexTable?: dynamodb.ITable;

  /**
   * Throws at synth time for settings that cannot work (see the props).
   *
   * @param scope the construct to define this one in
   * @param id the construct id, unique within `scope`
   * @param props which pools, which devices, and how
   */
  constructor(scope: Construct, id: string, props: StaleDeviceCleanupProps) {
    super(scope, id);
    validateProps(this.node.path, props);
    const timeout = props.timeout ?? Duration.hours(23);
    const schedule = props.schedule ?? scheduler.ScheduleExpression.rate(Duration.days(1));
    this.warnIfRunsOverlap(schedule, timeout);

    this.sweepName = Names.uniqueResourceName(this, { maxLength: 255 });
    const workflow = new SweepWorkflow(this, 'Workflow', {
      userPools: props.userPools,
      dryRun: props.dryRun ?? false,
      sweepName: this.sweepName,
      timeout,
      logRetention: props.logRetention,
      logEncryptionKey: props.logEncryptionKey,
      logRemovalPolicy: props.logRemovalPolicy,
      audit: resolveAudit(this, this.node.path, props),
    });
    this.stateMachine = workflow.stateMachine;
    if (props.dashboard) {
      this.dashboard = createSweepDashboard(this, 'Dashboard', this.sweepName, this.node.path);
    }
    this.sliceFunction = workflow.sliceFunction;
    if (props.followAccountUsage) grantAccountUsageRead(this, this.sliceFunction);
    if (props.incremental ?? true) {
      this.indexTable = createNextCheckTable(this, this.sliceFunction);
    }

    const input: SweepExecutionInput = {
      config: {
        userPoolIds: props.userPools.map((pool) => pool.userPoolRef.userPoolId),
        selection: { kind: 'stale', staleAfterSeconds: props.staleAfter.toSeconds() },
        dryRun: props.dryRun ?? false,
        maxForgets: props.maxForgetsPerRun,
        rateBudget: { fraction: props.rateBudget ?? 0.5 },
        excludeUsernames: props.excludeUsernames,
        onlyRemembered: props.onlyRemembered,
        followAccountUsage: props.followAccountUsage,
      },
    };
    // Grants go to a managed policy of the role (no inline policy), as for the workflow's roles.
    const schedulerRole = new ManagedPolicyRole(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `Starts the Cognito stale device cleanup ${this.sweepName}`,
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      schedule,
      description: `Starts the Cognito stale device cleanup ${this.node.path}`,
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject(input),
        role: schedulerRole,
      }),
    });

    if (props.alarm ?? props.alarmTopic !== undefined) {
      this.alarm = this.createAlarm(props.alarmTopic);
    }
  }

  /**
   * A metric of this cleanup's slice Lambda, in namespace `CognitoDeviceSweep` with dimension
   * `SweepName`. Statistic: sum; period: 5 minutes unless `props` says otherwise.
   *
   * @param metricName e.g. `DevicesForgotten`, `DevicesScanned`, `DevicesAlreadyGone`, `Errors`, `Throttled`
   * @param props options that override the statistic, period, label...
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return sweepMetric(this.sweepName, metricName, props);
  }

  /**
   * Devices forgotten (in a dry run: none).
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricDevicesForgotten(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(SweepMetricNames.DEVICES_FORGOTTEN, props);
  }

  /**
   * Devices examined.
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricDevicesScanned(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(SweepMetricNames.DEVICES_SCANNED, props);
  }

  /**
   * Runs that finished with errors (devices that could not be examined or forgotten) or whose input
   * the Lambda refused. Runs that fail or time out in the workflow show in the state machine's
   * `metricFailed()` and `metricTimedOut()`; the alarm watches all of them.
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricRunsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(SweepMetricNames.RUNS_FAILED, props);
  }

  /**
   * Runs stopped by `maxForgetsPerRun`.
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricRunsCapped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(SweepMetricNames.RUNS_CAPPED, props);
  }

  private createAlarm(topic: sns.ITopic | undefined): cloudwatch.Alarm {
    const period = Duration.hours(1);
    const problems = new cloudwatch.MathExpression({
      // FILL: a healthy hour has no data points at all, which must count as zero problems.
      expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(runsFailed, 0) + FILL(runsCapped, 0)',
      usingMetrics: {
        failed: this.stateMachine.metricFailed({ period }),
        timedOut: this.stateMachine.metricTimedOut({ period }),
        runsFailed: this.metricRunsFailed({ period }),
        runsCapped: this.metricRunsCapped({ period }),
      },
      period,
      label: 'Cleanup runs failed, timed out, with errors or capped',
    });
    const alarm = problems.createAlarm(this, 'RunsAlarm', {
      alarmDescription:
        `A run of the Cognito stale device cleanup ${this.node.path} failed, timed out, finished with errors or ` +
        'reached maxForgetsPerRun. See the state machine executions and the slice Lambda logs.',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (topic) {
      alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    }
    return alarm;
  }

  private warnIfRunsOverlap(schedule: scheduler.ScheduleExpression, timeout: Duration): void {
    const interval = scheduleInterval(schedule);
    if (interval && !timeout.isUnresolved() && interval.toSeconds() < timeout.toSeconds()) {
      Annotations.of(this).addWarningV2(
        'cdk-cognito-devices:StaleDeviceCleanup.scheduleShorterThanTimeout',
        `The schedule starts a run every ${interval.toHumanString()} but a run may last ${timeout.toHumanString()} ` +
        '(timeout): a start while a run is going is skipped. Set timeout to at most the interval, or schedule less often.',
      );
    }
  }
}

function validateProps(path: string, props: StaleDeviceCleanupProps): void {
  if (props.userPools.length === 0) {
    throw new Error(`${path}: userPools is empty; name at least one user pool to clean up.`);
  }
  validateStaleAfter(path, props.staleAfter);
  validateRateBudget(path, props.rateBudget);
  validateMaxForgets(path, 'maxForgetsPerRun', props.maxForgetsPerRun);
  validateUsernames(path, 'excludeUsernames', props.excludeUsernames);
  if (props.timeout) {
    validateTimeout(path, props.timeout);
  }
}
