/**
 * The sweep engine's contract: what callers (the slice Lambda, the custom resource, the CLI, the
 * demo and the benchmark) pass in and get back. Plain TypeScript: no CDK imports anywhere in src/sweep.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { DeviceSelection } from './input/device-selection';
import type { NextCheckIndex } from './next-check/store';
import type { AuditOptions } from './pipeline/audit';
import type { PoolReport, PoolResult, PoolStop, PoolStopReason } from './pool-report';
import type { UsageSource } from './rate/account-usage';
import type { QuotaCategory } from './rate/quota-category';

// DeviceSelection lives in a file without SDK imports: the constructs' published .d.ts name it.
export type { DeviceSelection };
// The pool reports live in a file without SDK imports too: the workflow contract names them.
export type { PoolReport, PoolResult, PoolStop, PoolStopReason };

// QuotaCategory lives in its own file: account-usage.ts needs it, and types.ts names UsageSource.
export type { QuotaCategory };

/** How much of Cognito's request-rate quota one sweep may use, per account and Region. */
export interface RateBudget {
  /** Fraction (0, 1] of `baseQuotas`. @default 0.5 */
  readonly fraction?: number;
  /** Requests/s per category before the fraction is applied. @default the documented defaults: UserList 30, UserResourceRead 50, UserResourceUpdate 25 */
  readonly baseQuotas?: Partial<Record<QuotaCategory, number>>;
  /** Explicit requests/s per category; wins over `fraction * baseQuotas`. @default none */
  readonly ratesPerSecond?: Partial<Record<QuotaCategory, number>>;
  /**
   * Calls per second per user, for reads (AdminListDevices) and for writes (AdminForgetDevice)
   * each: Cognito's per-user limit, which a user with many devices would otherwise hit.
   * @default 10
   */
  readonly perUserRatePerSecond?: number;
  /**
   * Where an account raised its Cognito limits (provisioned limits), take the fraction of the real
   * limit instead of the documented default: before the first call of each quota domain (account
   * and Region), read the adjustable categories the sweep uses (UserResourceRead: AdminListDevices)
   * with `cognito-idp:GetProvisionedLimit`, with that domain's client (an account role's for the
   * pools of other accounts), and use the larger of the documented default and the
   * `ProvisionedLimitValue` as that domain's base quota (`followAccountUsage` follows that limit
   * too). UserList and UserResourceUpdate cannot be raised, so they are not read. Explicit
   * `baseQuotas` and `ratesPerSecond` of a category win (it is then not read, unless only its rate
   * is explicit and the domain's usage is followed). The calls are spaced at least 1 s apart per
   * domain (Cognito's LimitManagement category allows 1 request/s) and do not count against the
   * sweep's categories. Needs `cognito-idp:GetProvisionedLimit`, which has no resource type
   * (`Resource: "*"`); if it fails (denied, unknown to the endpoint, throttled after 3 attempts) the
   * logger gets one warning per domain and the domain uses the documented defaults: the sweep goes on.
   * @default false
   */
  readonly readProvisionedLimits?: boolean;
}

/**
 * The role the sweep assumes (STS AssumeRole) for the pools of one account: a `DeviceSweepAccessRole`
 * deployed in that account, trusting the caller's role.
 */
export interface AccountRole {
  /** The 12-digit account the pools are in; name them by ARN in `userPoolIds`. */
  readonly accountId: string;
  /** The role's ARN, in that account. */
  readonly roleArn: string;
  /** The external id the role's trust policy requires (`sts:ExternalId`). @default none */
  readonly externalId?: string;
  /**
   * The prefix of the session name (`sts:RoleSessionName`) the role's trust policy requires; the
   * run id follows it. @default 'cognito-device-sweep-' (SWEEP_SESSION_NAME_PREFIX)
   */
  readonly sessionNamePrefix?: string;
}

/** What `clientFor` is told about a pool's account when the sweep assumes a role for it. */
export interface AccountAccess {
  /** The account whose pools the client calls. */
  readonly accountId: string;
  /** The role assumed for it. */
  readonly roleArn: string;
  /** That role's credentials, refreshed before they expire: give them to the client as `credentials`. */
  readonly credentials: AwsCredentialIdentityProvider;
}

/** A structured logger; Powertools' Logger fits. */
export interface SweepLogger {
  info(message: string, extra?: object): void;
  warn(message: string, extra?: object): void;
}

/** What `sweepDevices` does. */
export interface SweepOptions {
  /**
   * Pool ids (`${region}_${id}`) or pool ARNs (`arn:aws:cognito-idp:${region}:${account}:userpool/${id}`);
   * each pool's Region comes from its id. An ARN also names the pool's account: the pools of an
   * account listed in `accountRoles` are called with that account's role, every other pool with
   * the default credentials (an ARN of an account without a role means the caller's own account).
   */
  readonly userPoolIds: readonly string[];
  /** Which devices to forget. */
  readonly selection: DeviceSelection;
  /** Decide and report, forget nothing (needs no write permission). @default false */
  readonly dryRun?: boolean;
  /**
   * Stop when this many devices have been forgotten (counted over the whole run, including earlier
   * slices resumed through `cursor`); the result is then `capped` and `done`.
   * @default unlimited
   */
  readonly maxForgets?: number;
  /** The share of Cognito's quotas the sweep may use, per Region. @default fraction 0.5 of the documented quotas */
  readonly rateBudget?: RateBudget;
  /** Users never touched (no call is made for them). @default none */
  readonly excludeUsernames?: readonly string[];
  /** Only pick devices with `dev:device_remembered_status = remembered`. @default false */
  readonly onlyRemembered?: boolean;
  /** Epoch ms: stop taking new work well before it, finish what is in flight and return a cursor. @default none */
  readonly deadline?: number;
  /** Resume from a previous `SweepResult.cursor` (same pools and selection). @default start from the beginning */
  readonly cursor?: string;
  /** A Cognito-compatible endpoint (the simulator). @default AWS */
  readonly endpoint?: string;
  /**
   * Supplies the client of a Region, instead of the engine creating one (see `createSweepClient`).
   * For the pools of an account in `accountRoles` it is also given `access`: the client must then
   * use `access.credentials` (one client per account and Region).
   * @default one client per account and Region created by the engine
   */
  readonly clientFor?: (region: string, access?: AccountAccess) => CognitoIdentityProviderClient;
  /**
   * One role per account whose pools `userPoolIds` names by ARN: the sweep assumes it (STS
   * AssumeRole, session `${sessionNamePrefix}${runId}`, refreshed before it expires) and calls that
   * account's pools with it. A role that cannot be assumed stops that account's pools only
   * (`role-not-assumable`). Each account and Region is one quota domain with its own budget.
   * @default none: every pool is called with the default credentials
   */
  readonly accountRoles?: readonly AccountRole[];
  /** An STS-compatible endpoint for AssumeRole (the simulator, a VPC endpoint). @default AWS_ENDPOINT_URL_STS, else the Regional STS endpoint */
  readonly stsEndpoint?: string;
  /**
   * Profile of the shared config and credentials files whose credentials the engine's own clients
   * use and that assume `accountRoles`. @default AWS_PROFILE, else the default chain
   */
  readonly profile?: string;
  /**
   * Also yield to the account's other callers before being throttled: every minute, read each
   * category's CallCount and ThrottleCount (CloudWatch AWS/Usage; needs cloudwatch:GetMetricData)
   * and cap the rate at what the others leave of the quota. Without it, only throttles slow the
   * sweep down. The usage of an account in `accountRoles` is read in that account, with its role
   * (which then needs cloudwatch:GetMetricData too). A read that fails (denied, no network) warns
   * once per domain and cause; that domain keeps its budget and slows down on throttles only.
   * @default false
   */
  readonly followAccountUsage?: boolean;
  /**
   * Usage per Region for `followAccountUsage`, instead of CloudWatch; for the pools of an account
   * in `accountRoles` it is also given `access` (read that account's usage with
   * `access.credentials`). Each source's `close()` is called when the sweep ends.
   * @default CloudWatch GetMetricData in the Region, with the account role's credentials for its domains
   */
  readonly usageSourceFor?: (region: string, access?: AccountAccess) => UsageSource;
  /** Epoch ms clock for staleness. @default Date.now */
  readonly now?: () => number;
  /** Called often (per page, per batch of forgets); keep it cheap. @default none */
  readonly onProgress?: (progress: SweepProgress) => void;
  /**
   * The next-check index (staleness selections only): users it shows cannot have a stale device
   * yet are not listed, and every user swept gets a fresh entry. It never changes what is
   * forgotten, only how many AdminListDevices calls that takes.
   * @default none: every user is listed
   */
  readonly nextCheckIndex?: NextCheckIndex;
  /** Receives pool starts and ends, and errors. @default silent */
  readonly logger?: SweepLogger;
  /**
   * Aborting it stops the sweep as a deadline does, at once: no new work, calls in flight finish,
   * and the result carries a cursor (`interrupted` is then true). The CLI's Ctrl-C.
   * @default none
   */
  readonly signal?: AbortSignal;
  /**
   * Names this run in audit records (the CLI generates one; the slice passes its execution name,
   * the same for every slice of a run).
   * @default a random UUID per call
   */
  readonly runId?: string;
  /** Writes one audit record per device decision that changes something (or would, in a dry run). @default no audit trail */
  readonly audit?: AuditOptions;
  /**
   * Observes every call start the budget grants (first attempts and retries), with the budget
   * that granted it and the time on that budget's clock: tests check the budget with it exactly,
   * on any machine. Not for production use.
   * @internal
   * @default none
   */
  readonly onGrant?: (grant: Grant) => void;
  /**
   * The clock `deadline` is read on, in epoch ms. Given, no timer runs: the clock is read at each
   * call start and after each answer, so a test's clock that advances with the work done (e.g.
   * calls answered) cuts slices by work, the same on any machine. Not for production use.
   * @internal
   * @default Date.now, with timers
   */
  readonly deadlineClock?: () => number;
}

/** One grant of the budget: a call (first attempt or retry) allowed to start. See SweepOptions.onGrant. @internal */
export interface Grant {
  /** The quota category. */
  readonly category: QuotaCategory;
  /** `region endpoint` the call goes to (see targetOf), then ` accountId` for an account role's calls. */
  readonly target: string;
  /** Which budget granted it: unique per process, so two budgets for one target show as two ids. */
  readonly budgetId: number;
  /** When, on the limiter's clock (ms). */
  readonly atMs: number;
}

/** A snapshot of a running sweep. */
export interface SweepProgress {
  /** Counts so far of this call, one entry per pool. */
  readonly pools: readonly PoolResult[];
  /** TooManyRequestsException answers seen so far (each retried). */
  readonly throttled: number;
  /** Successful calls so far per category. */
  readonly calls: Readonly<Record<QuotaCategory, number>>;
}

/** What one `sweepDevices` call did. */
export interface SweepResult {
  /** False: `cursor` is set and a later call must resume from it. */
  readonly done: boolean;
  /** Where to resume (only when `done` is false). */
  readonly cursor?: string;
  /** `maxForgets` was reached and a picked device was left alone. */
  readonly capped: boolean;
  /** Counts of THIS call only, one entry per pool (sum slices with `mergePoolReports`). */
  readonly pools: readonly PoolResult[];
  /** ISO time this call started. */
  readonly startedAt: string;
  /** ISO time this call finished. */
  readonly finishedAt: string;
  /** Successful calls per category. */
  readonly calls: Readonly<Record<QuotaCategory, number>>;
  /** TooManyRequestsException answers seen (and retried). */
  readonly throttled: number;
  /** The budget applied, requests/s per category and Region. */
  readonly ratesPerSecond: Readonly<Record<QuotaCategory, number>>;
  /**
   * Set when a pool was stopped by an error no retry can fix: the first such stop (each stopped
   * pool's own is in `pools[].stopped`). The result then carries a cursor at the first user not
   * fully done of each stopped pool; callers should report the run as failed.
   * @default none
   */
  readonly stopped?: PoolStop;
  /** `signal` aborted the sweep (then `done` is false and a cursor is set). @default false */
  readonly interrupted?: boolean;
}
