import { ArnFormat, CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { findProviderParts } from './provider-parts';
import { acknowledgePurgeFindings } from './purge-nag';
import { PurgeProperty } from './purge-properties';
import { PurgeSelection } from './purge-selection';
import { IsCompleteFunction } from './runtime/is-complete-function';
import { OnEventFunction } from './runtime/on-event-function';
import { resolveAudit } from '../audit/audit-props';
import type { DeviceAudit } from '../audit/device-audit';
import { validateMaxForgets, validateRateBudget, validateUsernames } from '../private/sweep-prop-checks';
import type { PoolCounterName } from '../sweep/report';
import { SweepMetricNames } from '../workflow/contract';
import type { SweepConfig } from '../workflow/contract';
import { ManagedPolicyRole } from '../workflow/managed-policy-role';
import { createSweepDashboard } from '../workflow/sweep-dashboard';
import { sweepMetric } from '../workflow/sweep-metrics';
import { SweepWorkflow } from '../workflow/sweep-workflow';

/** Properties of a `DevicePurge`. */
export interface DevicePurgeProps {
  /** The user pool whose remembered devices are forgotten: owned, imported or L1 (`CfnUserPool`). */
  readonly userPool: cognitoRefs.IUserPoolRef;

  /** Which devices to forget. */
  readonly selection: PurgeSelection;

  /**
   * Any text; change it to purge again on the next deployment. A deployment that changes neither
   * the generation nor what is forgotten (pool, selection, `dryRun`, `excludeUsernames`,
   * `onlyRemembered`) purges nothing.
   *
   * @default '1'
   */
  readonly generation?: string;

  /**
   * Count what would be forgotten and forget nothing. The workflow then only has read permissions.
   *
   * @default false
   */
  readonly dryRun?: boolean;

  /**
   * Purge also when this resource is deleted (the stack is deleted, the construct removed, or
   * CloudFormation rolls back its creation). A failing purge never fails the deletion.
   *
   * @default false
   */
  readonly onDelete?: boolean;

  /**
   * Longest time one purge run may take; the run is stopped after it. When the deployment waits
   * (`waitForCompletion`), CloudFormation waits this long at most, so it must be between 5 minutes and
   * 1 hour; otherwise it may be up to 365 days.
   *
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;

  /**
   * Let the deployment wait until the purge finished, and fail when the purge fails. When false the
   * deployment goes on as soon as the run started, and the count attributes are not available.
   *
   * @default true
   */
  readonly waitForCompletion?: boolean;

  /**
   * Fraction (0, 1] of Cognito's default request-rate quotas the purge may use. The application's
   * own sign-ins draw on the same quotas, shared by every pool of the account and Region. Changing
   * it alone does not purge again.
   *
   * @default 0.5
   */
  readonly rateBudget?: number;

  /**
   * Safety cap, as `StaleDeviceCleanup`'s `maxForgetsPerRun`: a run stops forgetting once it has
   * forgotten this many devices and ends as capped (the deployment still succeeds; the handler logs a
   * warning and `metricRunsCapped()` counts it). Raising the cap, like changing `generation`, purges
   * again on the next deployment and picks up what is left.
   *
   * @default - no cap
   */
  readonly maxForgets?: number;

  /**
   * Users whose devices are never forgotten (e.g. operators, test users), at most 100.
   *
   * @default - no user is excluded
   */
  readonly excludeUsernames?: string[];

  /**
   * Forget only devices the user chose to remember (`dev:device_remembered_status` is `remembered`).
   *
   * @default false
   */
  readonly onlyRemembered?: boolean;

  /**
   * Retention of the logs of the purge's functions and workflow.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Customer managed key that encrypts the purge's log groups. Its key policy must let the
   * CloudWatch Logs service principal of this Region use it.
   *
   * @default - CloudWatch Logs encrypts the logs with its own key
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

/** CloudFormation waits at most one hour for a custom resource (ServiceTimeout 1..3600 s). */
const MAX_WAIT = Duration.hours(1);
/** Below this a Step Functions run and the Provider's polling have no room to work. */
const MIN_TIMEOUT = Duration.minutes(5);
/** Standard workflows run at most one year. */
const MAX_RUN = Duration.days(365);
/**
 * The handler stops waiting this long before CloudFormation would, so that the stack shows the
 * handler's reason (and the run is stopped) rather than a bare timeout.
 */
const WAIT_MARGIN = Duration.minutes(1);

/**
 * Forgets remembered devices of a Cognito user pool while a stack deploys: on creation, and again
 * whenever `generation` or what is forgotten changes.
 *
 * The purge runs as a Step Functions workflow that calls the sweep engine in Lambda slices, under a
 * share of Cognito's request-rate quotas; a CloudFormation custom resource starts it and (by
 * default) waits for it, so the deployment fails with the run's reason when the purge fails.
 *
 * Users notice: a forgotten device must sign in (and pass MFA) again, and refresh tokens bound to
 * it stop working.
 *
 * @example
 * new DevicePurge(this, 'Purge', {
 *   userPool,
 *   selection: PurgeSelection.staleDevices(Duration.days(30)),
 *   generation: '2026-11-21',
 * });
 */
export class DevicePurge extends Construct {
  /** The state machine that runs each purge. */
  public readonly stateMachine: sfn.IStateMachine;

  /** ARN of the most recent purge run (a Step Functions execution), or `none`. */
  public readonly executionArn: string;

  /** The CloudWatch dashboard, when `dashboard` is on. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** Value of the `SweepName` dimension of this purge's metrics (its construct path). */
  public readonly sweepName: string;

  private readonly resource: CustomResource;
  private readonly waitForCompletion: boolean;

  /**
   * Throws at synth time for settings that cannot work (see the props).
   *
   * @param scope the construct to define this one in
   * @param id the construct id, unique within `scope`
   * @param props which pools, which devices, and how
   */
  constructor(scope: Construct, id: string, props: DevicePurgeProps) {
    super(scope, id);
    this.waitForCompletion = props.waitForCompletion ?? true;
    const timeout = props.timeout ?? MAX_WAIT;
    validateProps(props, timeout, this.waitForCompletion);

    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    this.sweepName = this.node.path;
    const workflow = new SweepWorkflow(this, 'Workflow', {
      userPools: [props.userPool],
      dryRun: props.dryRun ?? false,
      sweepName: this.sweepName,
      timeout,
      logRetention: retention,
      logEncryptionKey: props.logEncryptionKey,
      logRemovalPolicy: props.logRemovalPolicy,
      audit: resolveAudit(this, this.node.path, props),
    });
    this.stateMachine = workflow.stateMachine;
    if (props.dashboard) {
      this.dashboard = createSweepDashboard(this, 'Dashboard', this.sweepName, this.node.path);
    }

    const logOptions: logs.LogGroupProps = {
      retention,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    };
    const onEvent = this.handlerFunction('OnEvent', OnEventFunction, logOptions,
      'Starts a Cognito device purge run for a CloudFormation deployment');
    // Starts runs; lists runs to report the latest when an update purges nothing.
    workflow.stateMachine.grantStartExecution(onEvent);
    workflow.stateMachine.grant(onEvent, 'states:ListExecutions');

    const isComplete = this.handlerFunction('IsComplete', IsCompleteFunction, logOptions,
      'Follows a Cognito device purge run for a CloudFormation deployment');
    // Follows runs, and stops one the deployment gave up waiting for: executions of this state machine only.
    const executionArnPattern = executionArnPatternOf(workflow.stateMachine);
    iam.Grant.addToPrincipal({
      grantee: isComplete,
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resourceArns: [executionArnPattern],
    });

    const waitTimeout = Duration.seconds(Math.min(timeout.toSeconds(), MAX_WAIT.toSeconds()));
    const providerLogs = new logs.LogGroup(this, 'ProviderLogs', logOptions);
    const frameworkOnEventRole = ManagedPolicyRole.forLambda(this, 'FrameworkOnEventRole', providerLogs, 'CDK Provider framework onEvent of a Cognito device purge');
    const frameworkWaitRole = ManagedPolicyRole.forLambda(this, 'FrameworkWaitRole', providerLogs, 'CDK Provider framework isComplete and onTimeout of a Cognito device purge');
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      totalTimeout: waitTimeout,
      logGroup: providerLogs,
      frameworkOnEventRole,
      frameworkCompleteAndTimeoutRole: frameworkWaitRole,
    });

    this.resource = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::CognitoDevicePurge',
      serviceToken: provider.serviceToken,
      serviceTimeout: waitTimeout,
      properties: {
        [PurgeProperty.STATE_MACHINE_ARN]: workflow.stateMachine.stateMachineArn,
        [PurgeProperty.GENERATION]: props.generation ?? '1',
        [PurgeProperty.CONFIG]: Stack.of(this).toJsonString(sweepConfig(props)),
        [PurgeProperty.ON_DELETE]: props.onDelete ?? false,
        [PurgeProperty.WAIT_FOR_COMPLETION]: this.waitForCompletion,
        [PurgeProperty.WAIT_LIMIT_SECONDS]: waitTimeout.minus(WAIT_MARGIN).toSeconds(),
      },
    });
    this.executionArn = this.resource.getAttString('executionArn');

    const handlerPolicies = [onEvent, isComplete].map((fn) => (fn.role as ManagedPolicyRole).managedPolicy);
    acknowledgePurgeFindings({
      handlers: [onEvent, isComplete],
      handlerPolicies,
      provider: findProviderParts(provider, this, true),
      frameworkPolicies: [frameworkOnEventRole.managedPolicy, frameworkWaitRole.managedPolicy],
      executionArnPattern,
      isCompletePolicy: handlerPolicies[1],
      unencryptedLogGroups: props.logEncryptionKey ? [] :
        [onEvent, isComplete].map((fn) => fn.logGroup as logs.LogGroup).concat(providerLogs),
    });
  }

  /**
   * A metric of this purge's slice Lambda, in namespace `CognitoDeviceSweep` with dimension
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
   * Runs that finished with errors or whose input the Lambda refused (runs that fail in the workflow
   * show in `stateMachine.metricFailed()`).
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricRunsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(SweepMetricNames.RUNS_FAILED, props);
  }

  /**
   * Runs stopped by `maxForgets`.
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricRunsCapped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(SweepMetricNames.RUNS_CAPPED, props);
  }

  /** Users listed by the purge run (all pool users, or the named ones). */
  public get usersScanned(): string {
    return this.count('usersScanned');
  }

  /** Devices listed by the purge run. */
  public get devicesScanned(): string {
    return this.count('devicesScanned');
  }

  /** Devices the selection picked (forgotten, or in a dry run: would be forgotten). */
  public get devicesStale(): string {
    return this.count('devicesStale');
  }

  /** Devices the purge run forgot (0 in a dry run). */
  public get devicesForgotten(): string {
    return this.count('devicesForgotten');
  }

  /** Devices (or users) that were gone by the time the purge run forgot them. */
  public get devicesAlreadyGone(): string {
    return this.count('devicesAlreadyGone');
  }

  /** Devices with no date at all, which a stale-device selection never forgets. */
  public get devicesUndated(): string {
    return this.count('devicesUndated');
  }

  /** Calls the purge run could not complete (it went on with the other users). */
  public get errors(): string {
    return this.count('errors');
  }

  private count(name: PoolCounterName): string {
    if (!this.waitForCompletion) {
      throw new Error(
        `${this.node.path}: ${name} is only known when the deployment waits for the purge; ` +
        'remove waitForCompletion: false, or read the counts from the run (executionArn).',
      );
    }
    return this.resource.getAttString(name);
  }

  private handlerFunction(
    id: string,
    type: typeof OnEventFunction | typeof IsCompleteFunction,
    logOptions: logs.LogGroupProps,
    description: string,
  ): lambda.Function {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, logOptions);
    const role = ManagedPolicyRole.forLambda(this, `${id}Role`, logGroup, description);
    return new type(this, id, {
      description,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      memorySize: 256,
      // Each call is one or two Step Functions API calls (with SDK retries).
      timeout: Duration.minutes(1),
      tracing: lambda.Tracing.ACTIVE,
      environment: { POWERTOOLS_SERVICE_NAME: 'cognito-device-purge', NODE_OPTIONS: '--enable-source-maps' },
    });
  }
}

/**
 * `arn:<partition>:states:<region>:<account>:execution:<state machine name>:*`, from the state
 * machine's literal name, so the policy (and its cdk-nag finding id) names this state machine plainly.
 */
function executionArnPatternOf(stateMachine: sfn.StateMachine): string {
  const name = (stateMachine.node.defaultChild as sfn.CfnStateMachine).stateMachineName;
  if (name === undefined || Token.isUnresolved(name)) {
    throw new Error('DevicePurge: the sweep workflow\'s state machine must have a literal name.');
  }
  return Stack.of(stateMachine).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${name}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

function sweepConfig(props: DevicePurgeProps): SweepConfig {
  return {
    userPoolIds: [props.userPool.userPoolRef.userPoolId],
    selection: props.selection._toSweepSelection(),
    dryRun: props.dryRun ?? false,
    maxForgets: props.maxForgets,
    rateBudget: { fraction: props.rateBudget ?? 0.5 },
    excludeUsernames: props.excludeUsernames,
    onlyRemembered: props.onlyRemembered,
  };
}

function validateProps(props: DevicePurgeProps, timeout: Duration, waitForCompletion: boolean): void {
  if (timeout.isUnresolved()) {
    throw new Error('DevicePurge: give timeout as a literal Duration; the Provider and CloudFormation timeouts derive from it at synth time.');
  }
  const maxTimeout = waitForCompletion ? MAX_WAIT : MAX_RUN;
  if (timeout.toSeconds() < MIN_TIMEOUT.toSeconds() || timeout.toSeconds() > maxTimeout.toSeconds()) {
    throw new Error(
      `DevicePurge: timeout is ${timeout.toHumanString()}; use between 5 minutes and ${maxTimeout.toHumanString()}` +
      (waitForCompletion ? ' (CloudFormation waits at most 1 hour for a custom resource; set waitForCompletion: false for longer purges).' : '.'),
    );
  }
  validateRateBudget('DevicePurge', props.rateBudget);
  validateMaxForgets('DevicePurge', 'maxForgets', props.maxForgets);
  if (props.generation !== undefined && !Token.isUnresolved(props.generation) && props.generation.length === 0) {
    throw new Error('DevicePurge: generation is empty; leave it out or give any non-empty text, e.g. a date.');
  }
  validateUsernames('DevicePurge', 'excludeUsernames', props.excludeUsernames);
}
