/**
 * The contract of the sweep workflow: what a state machine execution takes as input, what each slice
 * Lambda invocation receives and returns, and what a finished execution outputs. StaleDeviceCleanup
 * (scheduled starts) and DevicePurge (custom resource starts) both speak it.
 */
import { SweepMetric } from '../common/sweep-metric';
import type { DeviceSelection } from '../sweep/input/device-selection';
import type { PoolResult } from '../sweep/pool-report';

/** The metric names the slice Lambda emits (public: the constructs' metricSweep() takes them). */
export { SweepMetric } from '../common/sweep-metric';

/** What one run sweeps and how: the `config` of the execution input. */
export interface SweepConfig {
  /** Pools to sweep; each must be in the slice Lambda's allow-list (set at synth time). */
  readonly userPoolIds: readonly string[];
  /** Which devices to forget. */
  readonly selection: DeviceSelection;
  /** When true, nothing is forgotten: the run only counts. */
  readonly dryRun: boolean;
  /** Safety cap on devices forgotten by the whole run (all slices together). */
  readonly maxForgets?: number;
  /**
   * Fraction (0, 1] of Cognito's request-rate quotas the run may use: of the documented defaults,
   * or, with `readProvisionedLimits`, of each quota domain's real limit (GetProvisionedLimit).
   */
  readonly rateBudget?: { readonly fraction?: number; readonly readProvisionedLimits?: boolean };
  /** Users whose devices are never forgotten. */
  readonly excludeUsernames?: readonly string[];
  /** When true, only devices whose `dev:device_remembered_status` is `remembered` are forgotten. */
  readonly onlyRemembered?: boolean;
  /** Cap the sweep at what the account's other callers leave of each quota (CloudWatch AWS/Usage). */
  readonly followAccountUsage?: boolean;
  /**
   * The role to assume for the pools of each other account (pools of another account are named by
   * ARN in `userPoolIds`). Every role must be in the slice Lambda's role allow-list (set at synth time).
   */
  readonly accountRoles?: readonly SweepAccountRole[];
}

/** The role a run assumes for the pools of one other account (a `DeviceSweepAccessRole` there). */
export interface SweepAccountRole {
  /** The 12-digit account of the pools. */
  readonly accountId: string;
  /** The role's ARN, in that account. */
  readonly roleArn: string;
  /** The external id the role's trust policy requires. */
  readonly externalId?: string;
}

/**
 * One quota domain of a run: the pools of one account and Region. Cognito's quotas are per account
 * and Region, so domains are swept in parallel (one slice loop each, under a Step Functions Map).
 */
export interface SweepDomain {
  /**
   * `${accountId}/${region}`, with an empty account for pools named by id or by an ARN of the
   * workflow's own account (they are called with the slice's own credentials): `/eu-west-1`.
   */
  readonly key: string;
  /** The account, for pools of another account. @default the workflow's own account */
  readonly accountId?: string;
  /** The Region of the pools' ids (where the calls go). */
  readonly region: string;
}

/**
 * What the plan step returns: one item per quota domain, each with the run's config restricted to
 * that domain's pools (and, with `maxForgets`, that domain's share of the cap: the shares sum to
 * the run's cap, so the run never forgets more than it whatever the domains do).
 */
export interface SweepPlan {
  readonly domains: DomainItem[];
}

/** One item of the Map over quota domains. */
export interface DomainItem {
  readonly domain: SweepDomain;
  readonly config: SweepConfig;
}

/** What one iteration of the Map over quota domains outputs. */
export interface DomainOutcome {
  readonly domain: SweepDomain;
  /** The domain's final progress, when its loop finished. */
  readonly progress?: SweepRunProgress;
  /** Why the domain's loop failed (a missing role, a deleted pool...), when it did. */
  readonly failed?: DomainFailure;
  /**
   * With `failed`: the domain's last progress before its loop failed: what its slices that
   * succeeded did and, when a slice stopped on an error no retry can fix, what that slice did too.
   * Absent, or null in the Map's output, when no slice returned.
   */
  readonly partial?: SweepRunProgress;
}

/** A domain whose loop failed, as the run output names it. */
export interface FailedDomain {
  readonly domain: string;
  readonly error: string;
  readonly cause: string;
  /**
   * What the domain's slices did before its loop failed (also in the run's `totals`): empty totals
   * and 0 slices when none succeeded. Absent in outputs of merges older than it.
   */
  readonly partial?: DomainPartial;
}

/** What a failed domain's slices did before the failure. */
export interface DomainPartial {
  /** Counters per pool of the domain, summed over its slices that returned (a stopped one included). */
  readonly totals: PoolResult[];
  /** Slices that returned. */
  readonly slices: number;
}

/**
 * The execution output of a workflow that sweeps by quota domain: the domains' progresses merged
 * (totals per pool, `capped` when any domain was, slices summed, the earliest start and the latest
 * finish, `sweepSeconds` the longest domain's: they sweep in parallel), plus the failed domains.
 * `failure` says, in one line, which domains failed and why. The totals hold the pools of every
 * domain: of a failed domain, what its slices did before the failure (also in its `partial`).
 */
export interface SweepRunOutput extends SweepRunProgress {
  /** Every domain of the run (keys, in the plan's order). */
  readonly domains: string[];
  /** The domains whose loop failed. */
  readonly failedDomains: FailedDomain[];
  /**
   * True when more domains failed than the merge request's `toleratedDomainFailures`: the state
   * machine then fails the execution, with `failure` as its cause.
   */
  readonly runFailed: boolean;
  /** One line naming the failed domains and their causes (`2 of 6 quota domains failed: 333333333333/eu-west-1: ...; ...`); absent when none failed. */
  readonly failure?: string;
}

/** What the workflow asks of the slice Lambda besides a slice (`action` absent). */
export type SliceAction = 'plan' | 'merge';

/** The plan request: `{action: 'plan', config, run}` -> `SweepPlan`. */
export interface PlanEvent {
  readonly action: 'plan';
  readonly config: SweepConfig;
  readonly run?: SliceRun;
}

/**
 * The merge request: `{action: 'merge', config, results, toleratedDomainFailures}` -> `SweepRunOutput`.
 * The merge emits the run-level metrics (RunsCompleted, RunsCapped, RunsFailed, RunDuration) once
 * per run; slices of a domain emit their own counts only.
 */
export interface MergeEvent {
  readonly action: 'merge';
  readonly config: SweepConfig;
  readonly results: DomainOutcome[];
  /** Failed domains the run tolerates before it fails (`runFailed`). @default 0 */
  readonly toleratedDomainFailures?: number;
}

/** The execution input: `{ "config": ... }`. */
export interface SweepExecutionInput {
  readonly config: SweepConfig;
}

/**
 * The state carried from one slice to the next, and (once `done`) the execution output.
 * It stays small however long the run: a cursor plus one counter set per pool.
 */
export interface SweepRunProgress {
  /** True once the run has nothing left to do (finished, or stopped by `maxForgets`). */
  readonly done: boolean;
  /** Where the next slice resumes; absent once `done`. */
  readonly cursor?: string;
  /** True when the run stopped because it reached `maxForgets`. */
  readonly capped: boolean;
  /** Counters per pool, summed over every slice so far (with `stopped` for a pool an error stopped). */
  readonly totals: PoolResult[];
  /** Number of slices run so far. */
  readonly slices: number;
  /** When the first slice started (ISO 8601). */
  readonly startedAt: string;
  /** When the latest slice finished (ISO 8601). */
  readonly finishedAt: string;
  /** Seconds the slices spent sweeping, summed (retries and waits between slices excluded). */
  readonly sweepSeconds?: number;
  /** Where each pool stands, with an estimate of the time left. */
  readonly pools?: PoolProgress[];
  /**
   * Set by a quota domain's slice that an error no retry can fix stopped (a denial, refused
   * credentials, a deleted pool): the domain's loop ends failed with this error and cause, and
   * this progress (what its slices did, the stopping one included) is its `partial`. A run
   * without domains fails its execution with SweepSystemicError instead.
   */
  readonly stopped?: DomainFailure;
}

/** Why a domain's loop failed: the Map's Catch gives it, or a slice that stopped returns it. */
export interface DomainFailure {
  /** The error's name: the Lambda's errorType (SweepSystemicError for a stopped slice), or a Step Functions error. */
  readonly error: string;
  /** What failed: the Catch's Cause (a Lambda failure's JSON), or a stopped slice's one-line reason. */
  readonly cause: string;
}

/** How far a run got in one pool. */
export interface PoolProgress {
  readonly userPoolId: string;
  /** Users done so far (usersScanned of the totals). */
  readonly usersDone: number;
  /** Cognito's estimate of the pool's users (DescribeUserPool), taken when the run started. */
  readonly estimatedUsers?: number;
  /**
   * Estimated seconds of sweeping the pool still needs: its users not yet done, at the run's rate
   * so far (users done per second of sweeping). Absent without an estimate of its users or before
   * any user was done.
   */
  readonly estimatedSecondsLeft?: number;
}

/** What the state machine tells each slice about its execution. */
export interface SliceRun {
  /** The execution's name: the run id of audit records and part of their object keys. */
  readonly executionName: string;
}

/** What the state machine passes to each slice: the run's config and, after the first slice, its progress. */
export interface SliceEvent {
  readonly config: SweepConfig;
  readonly progress?: SweepRunProgress;
  /** Absent in events of state machines deployed before the audit trail. */
  readonly run?: SliceRun;
  /**
   * The quota domain this slice sweeps (its loop's): the audit objects of parallel domains are told
   * apart by it, and the slice emits no run-level metric (the merge does, once per run).
   * Absent in events of state machines deployed before the Map over domains.
   */
  readonly domain?: SweepDomain;
}

/** Error name (Lambda `errorType`) of an event the slice refuses; the state machine does not retry it. */
export const SLICE_INPUT_ERROR = 'SliceInputError';

/** An event the slice Lambda refuses (malformed config, a pool outside the allow-list). */
export class SliceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = SLICE_INPUT_ERROR;
  }
}

/**
 * Error name (Lambda `errorType`) of a slice stopped by an error no retry can fix (access denied,
 * credentials refused, a pool that does not exist...); the state machine does not retry it and the
 * run ends failed, its cause the one-line reason.
 */
export const SWEEP_SYSTEMIC_ERROR = 'SweepSystemicError';

/** A slice stopped by an error no retry can fix; the message says what failed and what fixes it. */
export class SweepSystemicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = SWEEP_SYSTEMIC_ERROR;
  }
}

/** Environment variables the workflow sets on the slice Lambda. */
export const SliceEnvironmentVariables = {
  /** Comma-separated user pool ids the slice may touch (defence in depth besides IAM). */
  ALLOWED_USER_POOL_IDS: 'ALLOWED_USER_POOL_IDS',
  /** Value of the `SweepName` metric dimension. */
  SWEEP_NAME: 'SWEEP_NAME',
  /** Bucket of the audit records; unset: no audit trail. */
  AUDIT_BUCKET: 'AUDIT_BUCKET',
  /** Key prefix of the audit records (ends with `/`, or empty). */
  AUDIT_PREFIX: 'AUDIT_PREFIX',
  /** ARN of the Secrets Manager secret whose string is the username HMAC key; unset: usernames in clear. */
  AUDIT_USERNAME_KEY_SECRET: 'AUDIT_USERNAME_KEY_SECRET',
  /** Comma-separated role ARNs the slice may assume for pools of other accounts; unset: none. */
  ALLOWED_ACCOUNT_ROLE_ARNS: 'ALLOWED_ACCOUNT_ROLE_ARNS',
} as const;

/** CloudWatch namespace of the metrics the slice Lambda emits (EMF). */
export const METRICS_NAMESPACE = 'CognitoDeviceSweep';

/** The dimension every slice metric carries, naming the cleanup or purge. */
export const SWEEP_NAME_DIMENSION = 'SweepName';

/** The metric of each age bucket of the age picture. */
export const AGE_BUCKET_METRICS = {
  under7Days: SweepMetric.DEVICES_LAST_USED_UNDER_7_DAYS,
  days7To30: SweepMetric.DEVICES_LAST_USED_7_TO_30_DAYS,
  days30To90: SweepMetric.DEVICES_LAST_USED_30_TO_90_DAYS,
  days90To180: SweepMetric.DEVICES_LAST_USED_90_TO_180_DAYS,
  days180To365: SweepMetric.DEVICES_LAST_USED_180_TO_365_DAYS,
  over365Days: SweepMetric.DEVICES_LAST_USED_OVER_365_DAYS,
  undated: SweepMetric.DEVICES_UNDATED,
} as const;

/** The metric of each device-count bucket (users not listed have none: their count is unknown). */
export const DEVICE_COUNT_METRICS = {
  none: SweepMetric.USERS_HOLDING_NO_DEVICE,
  one: SweepMetric.USERS_HOLDING_1_DEVICE,
  two: SweepMetric.USERS_HOLDING_2_DEVICES,
  threeToFive: SweepMetric.USERS_HOLDING_3_TO_5_DEVICES,
  sixOrMore: SweepMetric.USERS_HOLDING_6_OR_MORE_DEVICES,
} as const;
