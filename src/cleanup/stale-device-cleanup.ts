import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { grantAccountUsageRead } from './account-usage-grant';
import { validateTimeout } from './cleanup-validation';
import { createNextCheckTable } from './next-check-table';
import { scheduleInterval } from './schedule-interval';
import { DeviceSweepOptions } from '../common/device-sweep-options';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { validateDatedRules } from '../private/sweep-prop-checks';
import { validationError } from '../private/validation-error';
import { WorkflowSweepBase } from '../private/workflow-sweep-base';
import { SweepExecutionInput } from '../workflow/contract';

/** Properties of a `StaleDeviceCleanup`. */
export interface StaleDeviceCleanupProps extends DeviceSweepOptions {
  /**
   * The user pools to clean up: owned, imported (also of other Regions) or L1. The cleanup's Lambda
   * may touch these pools only, and only their device actions.
   */
  readonly userPools: cognitoRefs.IUserPoolRef[];

  /**
   * A device is stale when its last use (last authentication, else last modification, else creation)
   * is older than this. Devices with no date at all are never forgotten. At least one day.
   * Give this, `maxDeviceAge`, or both (a device is forgotten when either rule picks it).
   * @default - no staleness rule (then `maxDeviceAge` is required)
   */
  readonly staleAfter?: Duration;

  /**
   * Trust lifetime: a device created longer ago than this is forgotten even if it was used
   * yesterday, so its user passes MFA again on it (the Cognito guide suggests trusting a device for
   * 30, 60 or 90 days; no Cognito setting does it). Devices without a creation date are never
   * forgotten by this rule. At least one day. Incremental runs stay exact with it.
   * @default - no trust lifetime (then `staleAfter` is required)
   */
  readonly maxDeviceAge?: Duration;

  /**
   * When the cleanup runs. A start while the previous run is still going is skipped.
   * @default ScheduleExpression.rate(Duration.days(1))
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * The older name of `maxForgets`, with the same meaning. Setting both to different values is an
   * error.
   * @default - no cap
   * @deprecated use `maxForgets`
   */
  readonly maxForgetsPerRun?: number;

  /**
   * Also yield to your applications before they are throttled: every minute, read each quota
   * category's CallCount and ThrottleCount (CloudWatch AWS/Usage) and cap the sweep at what the
   * other callers leave of the quota. Grants the slice function cloudwatch:GetMetricData, which has
   * no resource type (so on "*"). Without it, the sweep slows down on throttles only.
   *
   * Pools of other accounts are fine: CloudWatch shows each account only its own usage, so each of
   * those accounts' usage is read there, with its access role, which must then allow the read too
   * (`DeviceSweepAccessRole`'s `followAccountUsage`). Where it does not, the sweep warns once per
   * Region of that account and slows down there on throttles only, with its full budget.
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
   * Incremental runs: keep, per user, when their devices can next turn stale (a DynamoDB table, on
   * demand, with point-in-time recovery, TTL and AWS managed encryption, destroyed with the
   * cleanup), and skip listing the devices of users not yet due. It never changes what is
   * forgotten; a daily run then lists a few percent of the users (see the README's cost model).
   * @default true
   */
  readonly incremental?: boolean;
}

/** The default run timeout: a daily schedule's interval, less an hour's margin. */
const DEFAULT_TIMEOUT = Duration.hours(23);

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
 *   maxForgets: 100_000,
 * });
 */
export class StaleDeviceCleanup extends WorkflowSweepBase {
  /** The Lambda that runs each slice of a sweep. */
  public readonly sliceFunction: lambda.Function;
  /** The schedule that starts runs. */
  public readonly schedule: scheduler.Schedule;
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
    const timeout = props.timeout ?? DEFAULT_TIMEOUT;
    super(scope, id, {
      kind: 'Cognito stale device cleanup',
      userPools: props.userPools,
      options: props,
      timeout,
      deprecatedCap: {
        prop: 'maxForgetsPerRun',
        api: 'cdk-cognito-devices.StaleDeviceCleanupProps#maxForgetsPerRun',
        value: props.maxForgetsPerRun,
      },
      validate: (self) => validateProps(self, props),
    });
    const schedule = props.schedule ?? scheduler.ScheduleExpression.rate(Duration.days(1));
    this.warnIfRunsOverlap(schedule, timeout);

    this.sliceFunction = this._workflow.sliceFunction;
    if (props.followAccountUsage) grantAccountUsageRead(this, this.sliceFunction);
    if (props.incremental ?? true) {
      this.indexTable = createNextCheckTable(this, this.sliceFunction);
    }

    const input: SweepExecutionInput = {
      config: {
        ...this._sweepConfig({
          kind: 'stale',
          ...(props.staleAfter === undefined ? {} : { staleAfterSeconds: props.staleAfter.toSeconds() }),
          ...(props.maxDeviceAge === undefined ? {} : { maxDeviceAgeSeconds: props.maxDeviceAge.toSeconds() }),
        }),
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

/** The cleanup's own checks; the shared options are checked by the base. */
function validateProps(scope: Construct, props: StaleDeviceCleanupProps): void {
  if (props.userPools.length === 0) {
    throw validationError(scope, 'userPools is empty; name at least one user pool to clean up.');
  }
  validateDatedRules(scope, props.staleAfter, props.maxDeviceAge);
  if (props.timeout) {
    validateTimeout(scope, props.timeout);
  }
}
