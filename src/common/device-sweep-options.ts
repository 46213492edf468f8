import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { DeviceSweepAccountAccess } from './account-access';
import type { DeviceAudit } from '../audit/device-audit';

/**
 * Options every construct that forgets devices takes (`DevicePurge`, `StaleDeviceCleanup`,
 * `DeviceRevocation`): a dry run, how fast, the alarm, and the logs. They mean the same and are
 * checked the same way in every construct.
 */
export interface DeviceForgetOptions {
  /**
   * Count what would be forgotten and forget nothing. The construct's Lambda then only gets the read
   * permissions (ListUsers, AdminListDevices), so even a hand-started run cannot forget anything.
   *
   * @default false
   */
  readonly dryRun?: boolean;

  /**
   * Fraction (0, 1] of Cognito's documented default request-rate quotas one run may use. The quotas
   * are per account and Region and shared with your application's own calls, so leave it room; the
   * run also slows down on throttling.
   *
   * @default 0.5
   */
  readonly rateBudget?: number;

  /**
   * Create the construct's `alarm`. For `DevicePurge` and `StaleDeviceCleanup` it fires when a run
   * fails, times out, finishes with errors or is capped (`maxForgets`); for `DeviceRevocation`, when
   * a message reaches the dead-letter queue (a user whose devices could not all be forgotten).
   *
   * @default - true when `alarmTopic` is given, false otherwise
   */
  readonly alarm?: boolean;

  /**
   * SNS topic the alarm notifies. Setting it creates the alarm unless `alarm` is false.
   *
   * @default - no notification
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Retention of the logs of the construct's functions and workflow.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Customer managed key that encrypts the construct's log groups. Its key policy must let the
   * CloudWatch Logs service principal of this Region use it.
   *
   * @default - CloudWatch Logs encrypts the logs with a key it manages
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * What happens to the log groups when they leave the stack (the stack is deleted or the construct
   * removed). No log group has a name fixed across stack instances, so a retained one never stops
   * the stack from being deployed again.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * Options every construct that sweeps pools takes (`DevicePurge`, `StaleDeviceCleanup`): besides
 * the options of every construct that forgets devices, how many at most, which users and devices are
 * spared, the audit trail and the dashboard.
 */
export interface DeviceSweepOptions extends DeviceForgetOptions {
  /**
   * Safety cap: a run stops forgetting once it has forgotten this many devices (all its slices
   * together), ends as capped, emits the `RunsCapped` metric and sets off the alarm. Use it to catch
   * a wrong selection or a pool that suddenly has far more devices to forget than usual.
   *
   * @default - no cap
   */
  readonly maxForgets?: number;

  /**
   * Users (usernames as Cognito knows them) whose devices are never forgotten, e.g. operators or
   * test users; at most 100 (they travel in every run's input).
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
   * Where each run writes its audit trail: one JSON Lines record per device forgotten (or, in a dry
   * run, that would be), one S3 object per slice. Share one `DeviceAudit` among sweeps.
   *
   * @default - no audit trail (unless `auditBucket` is set)
   */
  readonly audit?: DeviceAudit;

  /**
   * Shorthand for `audit: new DeviceAudit(this, 'Audit', { bucket: auditBucket })`: records go to this
   * bucket under `cognito-device-audit/`, usernames in clear.
   *
   * @default - no audit trail (unless `audit` is set)
   */
  readonly auditBucket?: s3.IBucket;

  /**
   * Create a CloudWatch dashboard of this sweep: runs, forgets, throttles, errors, duration,
   * progress and the age picture of the devices.
   *
   * @default false
   */
  readonly dashboard?: boolean;

  /**
   * Budget on the account's real request-rate limits where it raised them: before a quota domain's
   * first call, read its `UserResourceRead` limit (Cognito `GetProvisionedLimit`) and take
   * `rateBudget` of it instead of the documented default. The action has no resource type, so this
   * grants it on `Resource: "*"` (acknowledged for cdk-nag with that reason); domains of other
   * accounts read it with their access role (`DeviceSweepAccessRole`'s `readProvisionedLimits`). A
   * domain whose limit cannot be read keeps the documented defaults, with a warning in the log.
   *
   * @default false - the documented default quotas
   */
  readonly readProvisionedLimits?: boolean;

  /**
   * The role to use for the pools of each other account: `userPools` may name pools of other
   * accounts (import them by ARN: `UserPool.fromUserPoolArn`), each reached through the
   * `DeviceSweepAccessRole` deployed in its account. The sweep's role may assume exactly these roles
   * (with a session name starting `cognito-device-sweep-`); it gets no device permission on those
   * pools, which would do nothing. A pool of another account without an entry here is a synth error.
   *
   * @default - no other account: every pool must be in this stack's account
   */
  readonly accountAccess?: DeviceSweepAccountAccess[];

  /**
   * A fixed name for the role the sweep runs as (the slice Lambda's role), so that the access roles
   * of other accounts can trust it by ARN before this stack exists:
   * `arn:aws:iam::<this account>:role/<sweepRoleName>`.
   *
   * @default - a name CloudFormation generates (read it from `sweepRole.roleArn` after deployment)
   */
  readonly sweepRoleName?: string;

  /**
   * How many quota domains (an account and a Region: Cognito's quotas are per account and Region)
   * a run sweeps at the same time, each in its own slice loop under a Step Functions Map with its
   * own budget. The slice Lambda's reserved concurrency is set to this (or to the number of pools,
   * when lower), so it also bounds the run's Lambda concurrency.
   *
   * @default 10
   */
  readonly maxConcurrentDomains?: number;

  /**
   * How many quota domains may fail (a role that cannot be assumed, a deleted pool, a denial) while
   * the run still succeeds: the other domains are swept either way, and the run's output names each
   * failed domain and its cause (`failedDomains`, `failure`), the `RunsFailed` metric counts the
   * run and the alarm fires. Beyond this number the execution itself fails, its cause naming them.
   *
   * @default 0 - any failed domain fails the run (after the other domains finished)
   */
  readonly toleratedDomainFailures?: number;
}
