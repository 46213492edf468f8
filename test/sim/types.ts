/**
 * The simulator's public types (re-exported by ./index.ts). Shapes follow the real Cognito API so
 * tests can compare simulator state with what the SDK returns.
 */

/**
 * Cognito's request-rate quota categories that the simulator enforces
 * ("Quotas in Amazon Cognito": https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html).
 */
export type Category = 'UserList' | 'UserResourceRead' | 'UserResourceUpdate' | 'UserPoolRead' | 'LimitManagement';

/** The operations the simulator speaks. */
export type Operation =
  | 'ListUsers'
  | 'AdminListDevices'
  | 'AdminForgetDevice'
  | 'AdminGetDevice'
  | 'AdminUpdateDeviceStatus'
  | 'DescribeUserPool'
  | 'ListUserPools'
  | 'GetProvisionedLimit';

/** A uniform range, both ends inclusive. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface SimulatorOptions {
  /**
   * Quotas in requests/s per category per REGION (all pools of a region share them).
   * @default the documented defaults: UserList 30, UserResourceRead 50, UserResourceUpdate 25, UserPoolRead 15, LimitManagement 1
   */
  readonly quotas?: Partial<Record<Category, number>>;
  /** Multiplies every quota and divides every latency: tests run fast with the same ratios. @default 1 */
  readonly timeScale?: number;
  /** Injected latency per call in ms (before timeScale), fixed or uniform in {min,max}. @default 0 */
  readonly latencyMs?: number | Range;
  /** Seed for all randomness (pools, faults, latency). @default 1 */
  readonly seed?: number;
  /** Token bucket burst capacity, in seconds of quota. @default 1 */
  readonly burstSeconds?: number;
  /**
   * Serve every pool at this one Region, as a single-endpoint emulator (or a client with its Region
   * overridden) sees it: every call draws on this Region's buckets, and pools are found whatever
   * Region their id names. @default each pool lives in the Region of its id
   */
  readonly singleRegion?: string;
  /** TCP port on 127.0.0.1. @default 0 (a free port) */
  readonly port?: number;
  /**
   * Real-time clock in ms that the quota and per-user buckets, latency-free admission and the
   * stats run on. A test's manual clock makes admission exact on any machine (advance it between
   * calls). @default performance.now
   */
  readonly clock?: () => number;
  /**
   * How long the credentials STS AssumeRole issues live, in seconds (their Expiration), whatever
   * DurationSeconds asks: a short life makes a client refresh them. @default DurationSeconds (3600)
   */
  readonly credentialLifetimeSeconds?: number;
}

export interface SeedPoolOptions {
  /** Region of the pool; the pool id becomes `${region}_${9 random alphanumerics}` unless `poolId` is given. */
  readonly region: string;
  /** Exact pool id (must start with `${region}_`). @default generated */
  readonly poolId?: string;
  /** The account the pool is in: calls signed with another account's credentials are denied. @default '123456789012' (the default credentials' account) */
  readonly accountId?: string;
  /**
   * Regions of the pool's secondary Multi-Region replicas. A replica keeps the pool id (whose prefix
   * names the primary's Region) under an ARN of its own Region (`sim.replicaArn`), and accepts only
   * end-user operations: every operation the simulator serves is an administration one, so a call
   * signed for a replica's Region answers `OperationNotEnabledException` (a Region that is neither
   * the primary's nor a replica's answers `ResourceNotFoundException`). @default none
   */
  readonly replicaRegions?: readonly string[];
  /** Pool name returned by DescribeUserPool / ListUserPools. @default `sim-pool-N` */
  readonly name?: string;
  /** Number of users. */
  readonly users: number;
  /**
   * Share of users per UserStatus (weights, normalised), e.g.
   * `{ CONFIRMED: 0.8, UNCONFIRMED: 0.1, RESET_REQUIRED: 0.05, EXTERNAL_PROVIDER: 0.05 }`.
   * @default all CONFIRMED
   */
  readonly statusMix?: Partial<Record<string, number>>;
  /** Share of users that are disabled (`Enabled: false`). @default 0 */
  readonly disabledFraction?: number;
  /**
   * Devices per user: fixed or uniform in {min,max} (UNCONFIRMED users always have 0). Use a max
   * above 60 to exercise AdminListDevices paging.
   * @default {min:0,max:3}
   */
  readonly devicesPerUser?: number | Range;
  /** Device last-use ages are spread uniformly over [0, maxAgeDays] days before `now`. @default 365 */
  readonly maxAgeDays?: number;
  /** Fraction of devices with no date field at all (undated). @default 0.02 */
  readonly undatedFraction?: number;
  /** Fraction of devices with only DeviceCreateDate (which is then their last use). @default 0.01 */
  readonly createDateOnlyFraction?: number;
  /** Fraction of devices without DeviceLastAuthenticatedDate (DeviceLastModifiedDate is their last use). @default 0.05 */
  readonly noAuthenticatedDateFraction?: number;
  /** Fraction of devices with `dev:device_remembered_status = not_remembered`. @default 0.2 */
  readonly notRememberedFraction?: number;
  /** Reference time for ages. @default new Date() */
  readonly now?: Date;
}

/** A device as the Cognito API returns it (DeviceType). */
export interface SimDevice {
  DeviceKey: string;
  DeviceAttributes: { Name: string; Value: string }[];
  DeviceCreateDate?: Date;
  DeviceLastModifiedDate?: Date;
  DeviceLastAuthenticatedDate?: Date;
}

/** A user for `CognitoSimulator.addUser`. */
export interface SimUserInput {
  readonly username: string;
  /** UserStatus. @default 'CONFIRMED' */
  readonly status?: string;
  /** @default true */
  readonly enabled?: boolean;
  /** UserCreateDate. @default now */
  readonly createdAt?: Date;
  /** Extra attributes (e.g. email, name); `sub` is generated unless given. @default none */
  readonly attributes?: ReadonlyArray<{ Name: string; Value: string }>;
  /** @default none */
  readonly devices?: SimDevice[];
}

/** A user as the simulator holds it (for assertions). */
export interface SimUser {
  readonly username: string;
  readonly status: string;
  readonly enabled: boolean;
  readonly sub: string;
  readonly attributes: { Name: string; Value: string }[];
  readonly deviceCount: number;
}

/**
 * Stand-ins for a caller that may not do everything: IAM denials and refused credentials, answered
 * before quotas are drawn on, as AWS does.
 */
export interface AccessOptions {
  /** Operations IAM denies (AccessDeniedException naming the action and the pool's ARN). @default none */
  readonly deny?: readonly Operation[];
  /** Only deny on these pools. @default every pool */
  readonly denyPools?: readonly string[];
  /**
   * Only deny callers of these accounts (the default credentials' account, or an assumed role's):
   * e.g. `{ deny: ['GetProvisionedLimit'], denyAccounts: ['210987654321'] }`. @default every caller
   */
  readonly denyAccounts?: readonly string[];
  /**
   * Credentials the service refuses on every call: `expired` (ExpiredTokenException) or `unrecognized`
   * (UnrecognizedClientException). @default accepted
   */
  readonly credentials?: 'expired' | 'unrecognized';
}

/** One GetProvisionedLimit call the simulator received (see `CognitoSimulator.provisionedLimitCalls`). */
export interface ProvisionedLimitCall {
  /** The caller's account (the default credentials', or the assumed role's). */
  readonly accountId: string;
  /** The assumed role, if the caller used one. */
  readonly roleArn?: string;
  /** The Region the call was signed for. */
  readonly region: string;
  /** `LimitDefinition.Attributes.Category` as sent. */
  readonly category: string;
  /** Arrival, in real ms on the simulator's clock since it started. */
  readonly atMs: number;
  /** `answered`, or the error type it got (`TooManyRequestsException`, `AccessDeniedException`, ...). */
  outcome?: string;
}

export interface FaultOptions {
  /** Probability that a call answers TooManyRequestsException (on top of real bucket throttling). */
  readonly throttleRate?: number;
  /** Probability of HTTP 500 InternalErrorException. */
  readonly serverErrorRate?: number;
  /** ListUsers/AdminListDevices: probability of a page with 0 items but a token. */
  readonly emptyPageRate?: number;
  /** ListUsers/AdminListDevices: probability of a page with fewer items than Limit but a token. */
  readonly shortPageRate?: number;
  /** Probability that each user ListUsers returned is deleted right after (later calls for it get UserNotFoundException). */
  readonly vanishUserRate?: number;
  /** Probability that each device AdminListDevices returned is deleted right after (AdminForgetDevice then gets ResourceNotFoundException). */
  readonly vanishDeviceRate?: number;
  /** Restrict faults to these operations. @default all operations */
  readonly operations?: string[];
}
