import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { SweepConstructBase } from './sweep-construct-base';
import { createSweepDashboard } from './sweep-dashboard';
import { resolveSweepPools, SweepPools } from './sweep-pools';
import { checkDeviceSweepOptions, DeprecatedCap, resolveMaxForgets } from './sweep-prop-checks';
import { resolveAudit } from '../audit/audit-props';
import type { DeviceSweepOptions } from '../common/device-sweep-options';
import { SweepMetric } from '../common/sweep-metric';
import type { DeviceSelection } from '../sweep/input/device-selection';
import type { SweepConfig } from '../workflow/contract';
import { SweepWorkflow } from '../workflow/sweep-workflow';

/** Quota domains a run sweeps at once unless `maxConcurrentDomains` says otherwise. */
const DEFAULT_CONCURRENT_DOMAINS = 10;

/** What a construct that runs sweeps as a Step Functions workflow hands its base. */
export interface WorkflowSweepSpec {
  /** The construct's kind in messages and descriptions, e.g. `Cognito device purge`. */
  readonly kind: string;
  readonly userPools: cognitoRefs.IUserPoolRef[];
  readonly options: DeviceSweepOptions;
  /** Longest time one run may take (already checked by `validate`). */
  readonly timeout: Duration;
  /** An older name of `maxForgets` the construct still accepts. */
  readonly deprecatedCap?: DeprecatedCap;
  /** The construct's own checks, run before the shared ones and before any child is created. */
  readonly validate: (scope: Construct) => void;
}

/**
 * The sweep constructs that run a Step Functions workflow (`DevicePurge`, `StaleDeviceCleanup`):
 * what `SweepConstructBase` has, plus the workflow (`stateMachine`), the shared options checked the
 * same way, the run configuration built the same way, and the runs alarm.
 *
 * @internal
 */
export abstract class WorkflowSweepBase extends SweepConstructBase {
  /** The state machine that runs each sweep; its input is `{"config": ...}` (see the README). */
  public readonly stateMachine: sfn.IStateMachine;

  /**
   * The role the sweep runs as (the slice Lambda's). The `DeviceSweepAccessRole` of each other
   * account trusts its ARN; `sweepRoleName` fixes the name.
   */
  public readonly sweepRole: iam.IRole;

  /** The alarm the `alarm` and `alarmTopic` props create, on failed, timed-out, erroring or capped runs. */
  public readonly alarm?: cloudwatch.Alarm;

  /** The CloudWatch dashboard the `dashboard` prop creates. */
  public readonly dashboard?: cloudwatch.Dashboard;

  /**
   * The workflow (its slice Lambda, its log groups).
   * @internal
   */
  protected readonly _workflow: SweepWorkflow;

  /** The forget cap, from `maxForgets` or the older name the construct accepts. */
  private readonly maxForgets?: number;
  private readonly pools: SweepPools;
  private readonly options: DeviceSweepOptions;

  protected constructor(scope: Construct, id: string, spec: WorkflowSweepSpec) {
    super(scope, id);
    spec.validate(this);
    checkDeviceSweepOptions(this, spec.options);
    this.maxForgets = resolveMaxForgets(this, spec.options.maxForgets, spec.deprecatedCap);
    this.options = spec.options;
    this.pools = resolveSweepPools(this, spec.userPools, spec.options.accountAccess);

    this._workflow = new SweepWorkflow(this, 'Workflow', {
      pools: this.pools,
      maxConcurrentDomains: spec.options.maxConcurrentDomains ?? DEFAULT_CONCURRENT_DOMAINS,
      toleratedDomainFailures: spec.options.toleratedDomainFailures ?? 0,
      sliceRoleName: spec.options.sweepRoleName,
      readProvisionedLimits: spec.options.readProvisionedLimits ?? false,
      dryRun: spec.options.dryRun ?? false,
      sweepName: this.sweepName,
      timeout: spec.timeout,
      logRetention: spec.options.logRetention,
      logEncryptionKey: spec.options.logEncryptionKey,
      logRemovalPolicy: spec.options.logRemovalPolicy,
      audit: resolveAudit(this, spec.options),
    });
    this.stateMachine = this._workflow.stateMachine;
    this.sweepRole = this._workflow.sliceRole;
    if (spec.options.dashboard) {
      this.dashboard = createSweepDashboard(this, 'Dashboard', this.sweepName, this.node.path);
    }

    if (spec.options.alarm ?? spec.options.alarmTopic !== undefined) {
      this.alarm = this.createRunsAlarm(spec.kind, spec.options.alarmTopic);
    }
  }

  /**
   * Quota domains (an account and a Region) whose slice loop failed, per run: a role that cannot be
   * assumed, a deleted pool, a denial. The run's output names each (`failedDomains`).
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricDomainsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricSweep(SweepMetric.DOMAINS_FAILED, props);
  }

  /**
   * The run configuration of `selection` over the construct's pools, with the shared options.
   * @internal
   */
  protected _sweepConfig(selection: DeviceSelection): SweepConfig {
    return {
      userPoolIds: this.pools.configPoolIds,
      selection,
      dryRun: this.options.dryRun ?? false,
      maxForgets: this.maxForgets,
      rateBudget: {
        fraction: this.options.rateBudget ?? 0.5,
        ...(this.options.readProvisionedLimits ? { readProvisionedLimits: true } : {}),
      },
      excludeUsernames: this.options.excludeUsernames,
      onlyRemembered: this.options.onlyRemembered,
      ...(this.pools.accountRoles.length === 0 ? {} : { accountRoles: this.pools.accountRoles }),
    };
  }

  private createRunsAlarm(kind: string, topic: sns.ITopic | undefined): cloudwatch.Alarm {
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
      label: 'Runs failed, timed out, with errors or capped',
    });
    const alarm = problems.createAlarm(this, 'RunsAlarm', {
      alarmDescription:
        `A run of the ${kind} ${this.node.path} failed, timed out, finished with errors or ` +
        'reached maxForgets. A run\'s output names each failed quota domain and why (failedDomains, failure); ' +
        'see the state machine executions and the slice Lambda logs.',
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
}
