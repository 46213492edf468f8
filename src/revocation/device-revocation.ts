import { Annotations, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import {
  ADMIN_TRIGGERS, CLOUDTRAIL_DETAIL_TYPE, CLOUDTRAIL_SOURCE, RevocationEnvironmentVariables, RevocationMetricNames, USER_TRIGGERS,
} from './contract';
import { acknowledgeQueueFindings, acknowledgeRevocationFindings } from './revocation-nag';
import type { RevocationTriggers } from './revocation-triggers';
import { RevokeFunction } from './runtime/revoke-function';
import type { DeviceForgetOptions } from '../common/device-sweep-options';
import { UserPoolDeviceGrants } from '../grants/user-pool-device-grants';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { sweepMetric } from '../private/sweep-metrics';
import { validateRateBudget } from '../private/sweep-prop-checks';

/** Properties of a `DeviceRevocation`. */
export interface DeviceRevocationProps extends DeviceForgetOptions {
  /**
   * The user pools whose users are revoked: owned, imported or L1. The Lambda may touch these pools
   * only (IAM on their ARNs, and an allow-list checked in code); events and messages of any other
   * pool change nothing.
   */
  readonly userPools: cognitoRefs.IUserPoolRef[];

  /**
   * Which Cognito API calls (delivered by EventBridge from CloudTrail) start a revocation. Each is on
   * unless set to false; see `cloudTrailEvents` to turn them all off.
   * @default - all six on
   */
  readonly triggers?: RevocationTriggers;

  /**
   * Listen to CloudTrail events at all. False leaves only the queue (`grantSendMessages`): your
   * application, a runbook or a support tool then sends `{"userPoolId", "username"}` or
   * `{"userPoolId", "sub"}` messages.
   * @default true
   */
  readonly cloudTrailEvents?: boolean;

  /**
   * Lambda instances at once (reserved concurrency). With `rateBudget`, this bounds the share of the
   * quotas revocations can take: instances x rateBudget of the quota (each instance keeps its own
   * budget), so keep the product at most 1.
   * @default 1
   */
  readonly maxConcurrency?: number;

  /**
   * Messages per Lambda invocation (1 to 10); the users of a batch are revoked at once.
   * @default 10
   */
  readonly batchSize?: number;

  /**
   * Deliveries of a message whose revocation keeps failing before it moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * Budget on the account's real request-rate limits where it raised them: before its first
   * revocation in a Region, each Lambda instance reads the account's `UserResourceRead` limit
   * (Cognito `GetProvisionedLimit`) and takes `rateBudget` of it instead of the documented default.
   * The action has no resource type, so this grants it on `Resource: "*"` (acknowledged for cdk-nag
   * with that reason). If the limit cannot be read, the instance logs one warning and keeps the
   * documented defaults: revocations go on.
   *
   * @default false - the documented default quotas
   */
  readonly readProvisionedLimits?: boolean;
}

/** The Lambda's timeout: a batch of 10 users, each with many devices, under a shared budget. */
const FUNCTION_TIMEOUT = Duration.minutes(2);

/**
 * Forgets every remembered device of a user within seconds of a security event: an administrator
 * signs the user out everywhere, disables the account, resets or sets the password, the user signs
 * out everywhere or confirms a forgotten-password reset. Also forgets on request: send
 * `{"userPoolId", "username" | "sub"}` to `queue` (see `grantSendMessages`).
 *
 * EventBridge rules (events from CloudTrail: the account needs a trail that records management
 * events, in the pools' Region) -> an encrypted SQS queue with a dead-letter queue -> a Lambda
 * that resolves the user, lists and forgets every device under a share of Cognito's quotas, and
 * reports failed messages so they are delivered again.
 *
 * Multi-Region replicas: an event matches a listed pool by its pool id, or, for the calls that name
 * no pool (`GlobalSignOut`, `ConfirmForgotPassword`), when the pool id names the event's Region,
 * which is the primary's (a replica keeps its primary's id, even when given by the replica's ARN).
 * Administrator calls and password resets are served by the primary only. AWS does not document in
 * which Region CloudTrail records a call served by a secondary replica (a `GlobalSignOut` during a
 * failover); if it is the replica's, no rule of this construct sees it (rules see their own Region's
 * events) and the Lambda would not match it either: revoke such users with a direct message.
 *
 * @example
 * declare const userPool: cognito.UserPool;
 * const revocation = new DeviceRevocation(this, 'Revocation', { userPools: [userPool] });
 * declare const supportTool: iam.IRole;
 * revocation.grantSendMessages(supportTool);
 */
export class DeviceRevocation extends Construct {
  /** The queue every revocation goes through; send direct messages here. */
  public readonly queue: sqs.Queue;
  /** Messages whose revocation failed `maxReceiveCount` times. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The Lambda that revokes. */
  public readonly revokeFunction: lambda.Function;
  /** The EventBridge rules (none when `cloudTrailEvents` is false or every trigger is off). */
  public readonly rules: events.Rule[] = [];
  /** The alarm on messages in the dead-letter queue, when enabled. */
  public readonly alarm?: cloudwatch.Alarm;
  /** Value of the `SweepName` dimension of this revocation's metrics. */
  public readonly sweepName: string;

  /**
   * Throws at synth time for settings that cannot work (see the props).
   *
   * @param scope the construct to define this one in
   * @param id the construct id, unique within `scope`
   * @param props which pools, which triggers, and how
   */
  constructor(scope: Construct, id: string, props: DeviceRevocationProps) {
    super(scope, id);
    validateProps(this.node.path, props);
    this.sweepName = Names.uniqueResourceName(this, { maxLength: 255 });
    const poolIds = props.userPools.map((pool) => pool.userPoolRef.userPoolId);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for Lambda event sources: at least six times the function's timeout.
      visibilityTimeout: Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    this.revokeFunction = this.createFunction(props, poolIds);
    const source = new lambdaEvents.SqsEventSource(this.queue, {
      batchSize: props.batchSize ?? 10,
      maxBatchingWindow: Duration.seconds(1),
      reportBatchItemFailures: true,
    });
    this.revokeFunction.addEventSource(source);
    acknowledgeQueueFindings({ deadLetterQueue: this.deadLetterQueue, eventSourceMapping: this.revokeFunction.node.findChild(`SqsEventSource:${Names.nodeUniqueId(this.queue.node)}`) });

    if (props.cloudTrailEvents ?? true) this.createRules(props, poolIds);
    if (props.alarm ?? props.alarmTopic !== undefined) this.alarm = this.createAlarm(props.alarmTopic);
  }

  /**
   * Lets `grantee` send direct revocation messages, `{"userPoolId": "...", "username": "..."}` or
   * `{"userPoolId": "...", "sub": "..."}`, to the queue.
   *
   * @param grantee the application, runbook or support tool that revokes users
   */
  public grantSendMessages(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantSendMessages(grantee);
  }

  /**
   * A metric of this revocation's Lambda, in namespace `CognitoDeviceSweep` with dimension
   * `SweepName`. Statistic: sum; period: 5 minutes unless `props` says otherwise.
   *
   * @param metricName e.g. `UsersRevoked`, `DevicesRevoked`, `MessagesIgnored`, `RevocationsFailed`
   * @param props options that override the statistic, period, label...
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return sweepMetric(this.sweepName, metricName, props);
  }

  /** Users whose devices were all forgotten. Statistic: sum; period: 5 minutes unless `props` says otherwise. */
  public metricUsersRevoked(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(RevocationMetricNames.USERS_REVOKED, props);
  }

  /** Devices forgotten by revocations. Statistic: sum; period: 5 minutes unless `props` says otherwise. */
  public metricDevicesRevoked(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(RevocationMetricNames.DEVICES_REVOKED, props);
  }

  /**
   * Milliseconds from the security event (or a direct message's arrival) to the user's last device
   * forgotten. Statistic: p99; period: 5 minutes unless `props` says otherwise.
   */
  public metricRevocationLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(RevocationMetricNames.REVOCATION_LATENCY, { statistic: cloudwatch.Stats.p(99), ...props });
  }

  /**
   * Messages that changed nothing: another pool's event, a malformed message, an unknown user.
   * Statistic: sum; period: 5 minutes unless `props` says otherwise.
   */
  public metricMessagesIgnored(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(RevocationMetricNames.MESSAGES_IGNORED, props);
  }

  /** Revocations that failed and were delivered again. Statistic: sum; period: 5 minutes unless `props` says otherwise. */
  public metricRevocationsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(RevocationMetricNames.REVOCATIONS_FAILED, props);
  }

  private createFunction(props: DeviceRevocationProps, poolIds: string[]): lambda.Function {
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const role = ManagedPolicyRole.forLambda(this, 'Role', logGroup, `Revokes Cognito remembered devices for ${this.sweepName}`);
    const fn = new RevokeFunction(this, 'Function', {
      description: 'Forgets every remembered device of a Cognito user after a security event or a direct request',
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      timeout: FUNCTION_TIMEOUT,
      memorySize: 512,
      reservedConcurrentExecutions: props.maxConcurrency ?? 1,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        [RevocationEnvironmentVariables.ALLOWED_USER_POOL_IDS]: poolIds.join(','),
        [RevocationEnvironmentVariables.SWEEP_NAME]: this.sweepName,
        [RevocationEnvironmentVariables.RATE_BUDGET]: String(props.rateBudget ?? 0.5),
        [RevocationEnvironmentVariables.DRY_RUN]: String(props.dryRun ?? false),
        [RevocationEnvironmentVariables.READ_PROVISIONED_LIMITS]: String(props.readProvisionedLimits ?? false),
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    for (const pool of props.userPools) {
      const grants = UserPoolDeviceGrants.fromUserPool(pool);
      if (props.dryRun) grants.scanDevices(fn);
      else grants.sweepDevices(fn);
    }
    if (props.readProvisionedLimits) UserPoolDeviceGrants.readProvisionedLimits(fn);
    acknowledgeRevocationFindings({
      fn,
      policy: role.managedPolicy,
      unencryptedLogGroup: props.logEncryptionKey ? undefined : logGroup,
      readsProvisionedLimits: props.readProvisionedLimits,
    });
    return fn;
  }

  /**
   * Administrator calls name their pool, so their rule matches the pools' ids; token- and
   * client-authorized calls do not, so their rule matches the event names and the Lambda checks
   * the pool. Rules see the events of their own Region only.
   */
  private createRules(props: DeviceRevocationProps, poolIds: string[]): void {
    const on = (name: string): boolean => (props.triggers as Record<string, boolean | undefined> | undefined)?.[lowerFirst(name)] !== false;
    const admin = ADMIN_TRIGGERS.filter(on);
    const user = USER_TRIGGERS.filter(on);
    // An event EventBridge cannot deliver (the queue unavailable for a day) lands in the dead-letter queue too.
    const target = new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue, maxEventAge: Duration.hours(24), retryAttempts: 185 });
    const base = { source: [CLOUDTRAIL_SOURCE], detailType: [CLOUDTRAIL_DETAIL_TYPE] };
    if (admin.length > 0) {
      this.rules.push(new events.Rule(this, 'AdminCallsRule', {
        description: `Cognito administrator calls that revoke a user's devices (${this.node.path})`,
        eventPattern: { ...base, detail: { eventName: admin, requestParameters: { userPoolId: poolIds }, errorCode: [{ exists: false }] } },
        targets: [target],
      }));
    }
    if (user.length > 0) {
      this.rules.push(new events.Rule(this, 'UserCallsRule', {
        description: `Cognito user calls that revoke a user's devices; the pool is checked in code (${this.node.path})`,
        eventPattern: { ...base, detail: { eventName: user, errorCode: [{ exists: false }] } },
        targets: [target],
      }));
    }
    this.warnAboutOtherRegions(props);
  }

  private warnAboutOtherRegions(props: DeviceRevocationProps): void {
    const stackRegion = Stack.of(this).region;
    if (Token.isUnresolved(stackRegion)) return;
    const elsewhere = props.userPools
      .map((pool) => pool.userPoolRef.userPoolId)
      .filter((id) => !Token.isUnresolved(id) && !id.startsWith(`${stackRegion}_`));
    if (elsewhere.length > 0) {
      Annotations.of(this).addWarningV2('cdk-cognito-devices:revocationRegion',
        `The events of ${elsewhere.join(', ')} are delivered in their own Region, not in ${stackRegion}: deploy a ` +
        'DeviceRevocation in that Region for them. Direct messages to this queue still revoke their users.');
    }
  }

  private createAlarm(topic?: sns.ITopic): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: `A revocation of ${this.node.path} failed for good: a user's devices may remain. Read the dead-letter queue and the Lambda's logs.`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (topic) alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    return alarm;
  }
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function validateProps(path: string, props: DeviceRevocationProps): void {
  if (props.userPools.length === 0) throw new Error(`${path}: userPools is empty; name at least one user pool.`);
  validateRateBudget(path, props.rateBudget);
  wholeIn(path, 'batchSize', props.batchSize, 1, 10, 'the users of a batch must all be revoked within the function\'s 2-minute timeout');
  wholeIn(path, 'maxReceiveCount', props.maxReceiveCount, 1, 1000, 'SQS allows 1 to 1000');
  wholeIn(path, 'maxConcurrency', props.maxConcurrency, 1, 1000, 'each instance keeps its own share of the quotas');
}

function wholeIn(path: string, name: string, value: number | undefined, min: number, max: number, why: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${path}: ${name} is ${value}; use a whole number from ${min} to ${max} (${why}).`);
  }
}
