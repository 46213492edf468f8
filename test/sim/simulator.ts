/**
 * CognitoSimulator: a loopback HTTP server that speaks the AWS JSON 1.1 protocol of cognito-idp
 * for the operations this library calls, with Cognito's per-Region quota buckets, latency and
 * fault injection, seeded pools and counters. The real AWS SDK client (with its real retry
 * logic) talks to it through `endpoint`. It also answers STS AssumeRole and CloudWatch
 * GetMetricData (each account's AWS/Usage metrics, see usage.ts).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  accessDenied, accessDeniedWithoutResource, expiredToken, internalError, operationNotEnabled, poolNotFound, SimError,
  tooManyRequests, unrecognizedClient,
} from './errors';
import { HANDLERS, Input, OperationContext } from './operations';
import { ADJUSTABLE_CATEGORIES, CATEGORY_OF, DEFAULT_QUOTAS, OPERATIONS, PER_USER_KIND, PER_USER_PER_SECOND } from './quotas';
import { deriveSeed, Random } from './random';
import { generatePoolId, seedPool } from './seed';
import { maxInWindow, SimulatorStats } from './stats';
import {
  deleteUser, deviceFromSim, deviceToSim, liveDevices, PoolRecord, regionOfPoolId, UserRecord, userToSim,
} from './store';
import { accessKeyOf, DEFAULT_ACCOUNT_ID, SimCaller, SimRole, SimSession, SimSts, stsErrorXml } from './sts';
import { TokenBucket } from './token-bucket';
import type {
  AccessOptions, Category, FaultOptions, Operation, ProvisionedLimitCall, Range, SeedPoolOptions, SimDevice, SimulatorOptions, SimUser,
  SimUserInput,
} from './types';
import { CLOUDWATCH_TARGET_PREFIX, SimCategoryUsage, SimUsage, UsageReadCall } from './usage';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** CloudWatch's protocol (AWS JSON 1.0). */
const CLOUDWATCH_CONTENT_TYPE = 'application/x-amz-json-1.0';
/** Region of a request whose signature names none (unsigned manual calls). */
const FALLBACK_REGION = 'us-east-1';
const FAULT_RATES = ['throttleRate', 'serverErrorRate', 'emptyPageRate', 'shortPageRate', 'vanishUserRate', 'vanishDeviceRate'] as const;

/** The Region in a SigV4 Authorization header's credential scope. */
function signedRegion(authorization: string | undefined): string | undefined {
  return authorization ? /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization)?.[1] : undefined;
}

function validateOptions(o: SimulatorOptions): void {
  const positive = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new Error(`CognitoSimulator: ${name} must be a positive number, got ${v}`);
  };
  positive('timeScale', o.timeScale);
  positive('burstSeconds', o.burstSeconds);
  for (const [category, quota] of Object.entries(o.quotas ?? {})) {
    if (!(category in DEFAULT_QUOTAS)) throw new Error(`CognitoSimulator: unknown quota category '${category}' (use one of ${Object.keys(DEFAULT_QUOTAS).join(', ')})`);
    positive(`quotas.${category}`, quota);
  }
  const l = o.latencyMs;
  if (l !== undefined && (typeof l === 'number' ? !(l >= 0) : !(l.min >= 0 && l.max >= l.min))) {
    throw new Error(`CognitoSimulator: latencyMs must be >= 0 or {min,max} with 0 <= min <= max, got ${JSON.stringify(l)}`);
  }
}

export class CognitoSimulator {
  /** Starts a simulator on 127.0.0.1 (a free port unless `options.port` is given). */
  static async start(options: SimulatorOptions = {}): Promise<CognitoSimulator> {
    validateOptions(options);
    const sim = new CognitoSimulator(options);
    await new Promise<void>((resolve, reject) => {
      sim.server.once('error', reject);
      sim.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    sim.url = `http://127.0.0.1:${(sim.server.address() as AddressInfo).port}`;
    return sim;
  }

  /** `http://127.0.0.1:PORT`: pass as the SDK client's `endpoint`. */
  get endpoint(): string {
    return this.url;
  }

  /** Per-operation counters and admitted-call times; cleared by `resetStats()`. */
  readonly stats = new SimulatorStats();
  /** Quotas (requests/s per category per Region) before timeScale. */
  readonly quotas: Readonly<Record<Category, number>>;
  readonly timeScale: number;
  /** The clock (real ms) the buckets and stats run on: SimulatorOptions.clock. */
  readonly clock: () => number;

  private readonly server: Server;
  private readonly seed: number;
  private readonly burstSeconds: number;
  private readonly singleRegion: string | undefined;
  private readonly latency: Range;
  private readonly pools = new Map<string, PoolRecord>();
  private readonly buckets = new Map<string, TokenBucket>();
  /** Per-user read and write buckets, by `${poolId}/${kind}/${username}`. */
  private readonly userBuckets = new Map<string, TokenBucket>();
  private readonly faultRng: Random;
  private readonly latencyRng: Random;
  private readonly userRng: Random;
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly startedAt: number;
  private url = '';
  private faults: FaultOptions = {};
  private access: AccessOptions = {};
  private faultOperations: ReadonlySet<string> | undefined;
  private seededPools = 0;
  /** The account of each pool. */
  private readonly poolAccounts = new Map<string, string>();
  private readonly sts: SimSts;
  /** Cognito calls by caller (`role ARN`, or `account:<id>` for the default credentials), then pool. */
  private readonly callerCalls = new Map<string, Map<string, number>>();
  /** The Regions of each pool's secondary replicas. */
  private readonly poolReplicas = new Map<string, ReadonlySet<string>>();
  /** Cognito calls by pool, then by the Region they were signed for (`unsigned` for none). */
  private readonly signedRegionCalls = new Map<string, Map<string, number>>();
  /** Raised limits (requests/s before timeScale) by `${accountId}/${region or '*'}/${category}`. */
  private readonly provisionedLimits = new Map<string, number>();
  /** Every GetProvisionedLimit call, in arrival order. */
  private readonly limitCalls: ProvisionedLimitCall[] = [];
  /** CloudWatch's AWS/Usage metrics of each account and Region (followAccountUsage reads them). */
  private readonly usage = new SimUsage();

  private constructor(options: SimulatorOptions) {
    this.quotas = { ...DEFAULT_QUOTAS, ...options.quotas };
    this.timeScale = options.timeScale ?? 1;
    this.clock = options.clock ?? (() => performance.now());
    this.startedAt = this.clock();
    this.burstSeconds = options.burstSeconds ?? 1;
    this.singleRegion = options.singleRegion;
    const l = options.latencyMs ?? 0;
    this.latency = typeof l === 'number' ? { min: l, max: l } : l;
    this.seed = options.seed ?? 1;
    this.sts = new SimSts(options.credentialLifetimeSeconds);
    this.faultRng = new Random(deriveSeed(this.seed, 'faults'));
    this.latencyRng = new Random(deriveSeed(this.seed, 'latency'));
    this.userRng = new Random(deriveSeed(this.seed, 'users'));
    this.server = createServer((req, res) => this.receive(req, res));
    // The SDK keeps connections alive; do not let Node drop idle ones between a test's calls.
    this.server.keepAliveTimeout = 60_000;
  }

  /** Creates a pool of seeded users and devices; returns its id. */
  seedPool(options: SeedPoolOptions): string {
    const n = this.seededPools++;
    const rng = new Random(deriveSeed(this.seed, `pool:${n}`));
    const id = options.poolId ?? generatePoolId(options.region, rng);
    if (this.pools.has(id)) throw new Error(`seedPool: a pool with id ${id} already exists`);
    this.pools.set(id, seedPool(options, id, options.name ?? `sim-pool-${n}`, rng));
    this.poolAccounts.set(id, options.accountId ?? DEFAULT_ACCOUNT_ID);
    const replicas = new Set(options.replicaRegions ?? []);
    if (replicas.has(regionOfPoolId(id)!)) throw new Error(`seedPool: ${regionOfPoolId(id)} is the primary's Region of ${id}, not a replica's`);
    if (replicas.size > 0) this.poolReplicas.set(id, replicas);
    return id;
  }

  /** The ARN of a pool's secondary replica in `region` (one of its `replicaRegions`): the pool id, under the replica's Region. */
  replicaArn(poolId: string, region: string): string {
    if (!this.poolReplicas.get(poolId)?.has(region)) throw new Error(`replicaArn: ${poolId} has no replica in ${region}`);
    return `arn:aws:cognito-idp:${region}:${this.accountOf(poolId)}:userpool/${poolId}`;
  }

  /**
   * Cognito calls on a pool (admitted or not) by the Region their signature names (`unsigned` for
   * none): where the caller sent them. Cleared by `resetStats()`.
   */
  callsBySignedRegion(poolId: string): Map<string, number> {
    return new Map(this.signedRegionCalls.get(poolId) ?? []);
  }

  /** The account a pool is in. */
  accountOf(poolId: string): string {
    this.pool(poolId);
    return this.poolAccounts.get(poolId) ?? DEFAULT_ACCOUNT_ID;
  }

  /** The ARN of a pool (in its account and the Region of its id). */
  poolArn(poolId: string): string {
    return `arn:aws:cognito-idp:${regionOfPoolId(poolId)}:${this.accountOf(poolId)}:userpool/${poolId}`;
  }

  /** Replaces the roles STS can issue sessions of (`[]`: none; AssumeRole is then always refused). */
  setRoles(roles: readonly SimRole[]): void {
    this.sts.setRoles(roles);
  }

  /** AssumeRole calls answered and refused so far (not cleared by resetStats). */
  get assumeRoleCounts(): Readonly<{ calls: number; refused: number }> {
    return { ...this.sts.counts };
  }

  /** The sessions STS issued. */
  get sessions(): SimSession[] {
    return this.sts.issued;
  }

  /**
   * Cognito calls (admitted or not) by caller, then by pool: the caller is the assumed role's ARN,
   * or `account:<id>` for the default credentials. Cleared by `resetStats()`.
   */
  callsByCaller(): Map<string, Map<string, number>> {
    return new Map([...this.callerCalls].map(([caller, pools]) => [caller, new Map(pools)]));
  }

  /**
   * Raises a quota of one account, as UpdateProvisionedLimit would: that account's buckets of the
   * category (in `region`, or in every Region) then run at `requestsPerSecond` (times timeScale, like
   * every quota), and GetProvisionedLimit reports it as ProvisionedLimitValue (also times timeScale:
   * a time-scaled simulator is a faster Cognito). Only adjustable categories (UserResourceRead), and
   * not below the default, as Cognito requires.
   */
  setProvisionedLimit(accountId: string, category: Category, requestsPerSecond: number, region?: string): void {
    if (!ADJUSTABLE_CATEGORIES.includes(category)) {
      throw new Error(`setProvisionedLimit: ${category} cannot be raised (adjustable: ${ADJUSTABLE_CATEGORIES.join(', ')})`);
    }
    if (!(Number.isInteger(requestsPerSecond) && requestsPerSecond >= this.quotas[category])) {
      throw new Error(`setProvisionedLimit: ${category} must be a whole number of at least its default ${this.quotas[category]}, got ${requestsPerSecond}`);
    }
    this.provisionedLimits.set(`${accountId}/${region ?? '*'}/${category}`, requestsPerSecond);
    // The buckets concerned start over at the new rate.
    for (const key of [...this.buckets.keys()]) {
      const [account, bucketRegion, bucketCategory] = key.split('/');
      if (account === accountId && bucketCategory === category && (region === undefined || bucketRegion === region)) this.buckets.delete(key);
    }
  }

  /** The limit of a category for an account in a Region, before timeScale: its provisioned limit, else the quota. */
  limitOf(accountId: string, region: string, category: Category): number {
    return this.provisionedLimits.get(`${accountId}/${region}/${category}`)
      ?? this.provisionedLimits.get(`${accountId}/*/${category}`)
      ?? this.quotas[category];
  }

  /**
   * Sets what an account's callers use of a category in a Region, as CloudWatch's AWS/Usage
   * CallCount and ThrottleCount report it (a Sum of rate x period) to that account's callers only.
   */
  setAccountUsage(accountId: string, region: string, category: Category, usage: SimCategoryUsage): void {
    this.usage.set(accountId, region, category, usage);
  }

  /** Callers of these accounts are denied cloudwatch:GetMetricData (AccessDeniedException); replaces the previous list. */
  denyUsageRead(accountIds: readonly string[]): void {
    this.usage.deny(accountIds);
  }

  /** The CloudWatch GetMetricData calls received (answered or not), in arrival order. Cleared by `resetStats()`. */
  usageReadCalls(): UsageReadCall[] {
    return this.usage.calls();
  }

  /** The GetProvisionedLimit calls received (answered or not), in arrival order. Cleared by `resetStats()`. */
  provisionedLimitCalls(): ProvisionedLimitCall[] {
    return this.limitCalls.map((call) => ({ ...call }));
  }

  /** Adds one user (with devices) to a pool. */
  addUser(poolId: string, user: SimUserInput): void {
    const pool = this.pool(poolId);
    if (pool.byUsername.has(user.username)) throw new Error(`addUser: user ${user.username} already exists in ${poolId}`);
    const attrs = user.attributes ?? [];
    const now = user.createdAt?.getTime() ?? Date.now();
    const record: UserRecord = {
      username: user.username,
      sub: attrs.find((a) => a.Name === 'sub')?.Value ?? this.userRng.uuid(),
      status: user.status ?? 'CONFIRMED',
      enabled: user.enabled ?? true,
      createdMs: now,
      modifiedMs: now,
      email: attrs.find((a) => a.Name === 'email')?.Value,
      others: attrs.filter((a) => a.Name !== 'sub' && a.Name !== 'email').map((a) => ({ ...a })),
      devices: (user.devices ?? []).map(deviceFromSim),
      deleted: false,
    };
    pool.users.push(record);
    pool.byUsername.set(record.username, record);
  }

  /** Gives a user one more device (as a sign-in that remembers a new device would). */
  addDevice(poolId: string, username: string, device: SimDevice): void {
    this.liveUser(poolId, username, 'addDevice').devices.push(deviceFromSim(device));
  }

  /** Records a sign-in on an existing device: its DeviceLastAuthenticatedDate becomes `at`. */
  touchDevice(poolId: string, username: string, deviceKey: string, at: Date): void {
    const device = this.liveUser(poolId, username, 'touchDevice').devices.find((d) => d.key === deviceKey && !d.deleted);
    if (!device) throw new Error(`touchDevice: no device ${deviceKey} of ${username} in ${poolId}`);
    device.authenticatedMs = at.getTime();
  }

  private liveUser(poolId: string, username: string, operation: string): UserRecord {
    const user = this.pool(poolId).byUsername.get(username);
    if (!user) throw new Error(`${operation}: no user ${username} in ${poolId}`);
    return user;
  }

  /** Deletes a user (as an administrator or the user would); later calls for it get UserNotFoundException. */
  removeUser(poolId: string, username: string): void {
    const pool = this.pool(poolId);
    const user = pool.byUsername.get(username);
    if (!user) throw new Error(`removeUser: no user ${username} in ${poolId}`);
    deleteUser(pool, user);
  }

  /** The current devices of a user ([] for a user that does not exist, or no longer does). */
  devicesOf(poolId: string, username: string): SimDevice[] {
    const user = this.pool(poolId).byUsername.get(username);
    return user ? liveDevices(user).map(deviceToSim) : [];
  }

  /** Every current device of a pool, with its user. */
  allDevices(poolId: string): Array<{ username: string; device: SimDevice }> {
    const out: Array<{ username: string; device: SimDevice }> = [];
    for (const user of this.pool(poolId).byUsername.values()) {
      for (const d of user.devices) if (!d.deleted) out.push({ username: user.username, device: deviceToSim(d) });
    }
    return out;
  }

  /** Every current user of a pool, in listing order. */
  usersOf(poolId: string): SimUser[] {
    return this.pool(poolId).users.filter((u) => !u.deleted).map(userToSim);
  }

  /** Ids of all pools, in creation order. */
  get poolIds(): string[] {
    return [...this.pools.keys()];
  }

  /** Replaces the current faults (`{}` clears them). */
  setFaults(faults: FaultOptions): void {
    for (const name of FAULT_RATES) {
      const v = faults[name];
      if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`setFaults: ${name} must be in [0, 1], got ${v}`);
    }
    for (const op of faults.operations ?? []) {
      if (!(OPERATIONS as string[]).includes(op)) throw new Error(`setFaults: unknown operation '${op}' (use one of ${OPERATIONS.join(', ')})`);
    }
    this.faults = { ...faults };
    this.faultOperations = faults.operations ? new Set(faults.operations) : undefined;
  }

  /** Replaces what the caller may do (`{}`: everything); refused calls are counted in `stats.operations[op].refused`. */
  setAccess(access: AccessOptions): void {
    for (const op of access.deny ?? []) {
      if (!(OPERATIONS as string[]).includes(op)) throw new Error(`setAccess: unknown operation '${op}' (use one of ${OPERATIONS.join(', ')})`);
    }
    this.access = { ...access };
  }

  /**
   * The highest number of admitted (non-throttled) calls of `category` in any sliding window of
   * `windowMs` simulated ms, as UNSCALED requests/s (comparable with the quotas). Simulated time
   * is real time x timeScale. With `region` omitted: the highest over all Regions, each counted
   * separately. Note a token bucket admits up to `burstSeconds` of quota on top of the rate, so
   * a window of 1 s can legitimately show up to (1 + burstSeconds) x quota.
   */
  peakRate(category: Category, region?: string, windowMs = 1000): number {
    if (!(windowMs > 0)) throw new Error(`peakRate: windowMs must be > 0, got ${windowMs}`);
    const regions = region === undefined ? this.stats.regions : [region];
    const peak = Math.max(0, ...regions.map((r) => maxInWindow(this.stats.admittedTimes(category, r), windowMs)));
    return peak / (windowMs / 1000);
  }

  /**
   * A call of `category` in `region` from outside the sweeper (the application's own traffic, see
   * AppLoad): takes a token from the same bucket, or is throttled. Not counted in `stats`.
   */
  admitExternalCall(region: string, category: Category, accountId = DEFAULT_ACCOUNT_ID): boolean {
    return this.bucket(region, category, accountId).tryTake();
  }

  /** Clears `stats` and the calls by caller (the token buckets keep their state). */
  resetStats(): void {
    this.stats.reset();
    this.callerCalls.clear();
    this.signedRegionCalls.clear();
    this.limitCalls.length = 0;
    this.usage.clearCalls();
  }

  /** Closes the server and every connection; pending delayed answers are dropped. */
  async stop(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private pool(poolId: string): PoolRecord {
    const pool = this.pools.get(poolId);
    if (!pool) throw new Error(`no pool ${poolId} in the simulator (pools: ${this.poolIds.join(', ') || 'none'})`);
    return pool;
  }

  /** Simulated ms since start: real time x timeScale, so rates read back unscaled. */
  private simNow(): number {
    return (this.clock() - this.startedAt) * this.timeScale;
  }

  /** One quota domain per account and Region. */
  private bucket(region: string, category: Category, accountId: string): TokenBucket {
    const key = `${accountId}/${region}/${category}`;
    let b = this.buckets.get(key);
    if (!b) {
      const rate = this.limitOf(accountId, region, category) * this.timeScale;
      b = new TokenBucket(rate, Math.max(1, rate * this.burstSeconds), this.clock);
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Cognito's per-user limit: 10 reads and 10 writes per second per user (scaled like the quotas). */
  private userBucket(poolId: string, kind: 'read' | 'write', username: string): TokenBucket {
    const key = `${poolId}/${kind}/${username}`;
    let b = this.userBuckets.get(key);
    if (!b) {
      const rate = PER_USER_PER_SECOND * this.timeScale;
      b = new TokenBucket(rate, Math.max(1, rate * this.burstSeconds), this.clock);
      this.userBuckets.set(key, b);
    }
    return b;
  }

  /** False when the call's user has used up their per-user rate. */
  private userAdmits(operation: Operation, input: Input): boolean {
    const kind = PER_USER_KIND[operation];
    const { UserPoolId: poolId, Username: username } = input;
    if (!kind || typeof poolId !== 'string' || typeof username !== 'string') return true;
    return this.userBucket(poolId, kind, username).tryTake();
  }

  private fault(op: Operation, name: keyof FaultOptions): boolean {
    if (this.faultOperations && !this.faultOperations.has(op)) return false;
    return this.faultRng.chance(this.faults[name] as number | undefined);
  }

  private latencyMs(): number {
    const { min, max } = this.latency;
    const ms = min === max ? min : min + this.latencyRng.next() * (max - min);
    return ms / this.timeScale;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.handle(req, Buffer.concat(chunks), res));
  }

  private handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const target = req.headers['x-amz-target'];
    const caller = this.sts.callerOf(accessKeyOf(req.headers.authorization));
    if (target === undefined && String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return this.handleSts(new URLSearchParams(body.toString('utf8')), caller, res);
    }
    if (typeof target === 'string' && target.startsWith(CLOUDWATCH_TARGET_PREFIX)) return this.handleCloudWatch(req, target, body, caller, res);
    const op = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    if (req.method !== 'POST' || op === undefined || !(op in HANDLERS)) {
      return send(res, new SimError('UnknownOperationException', `Unknown operation ${String(target)}`));
    }
    const operation = op as Operation;
    let input: Input;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new Error('not an object');
    } catch {
      return send(res, new SimError('SerializationException', 'Request body is not a JSON object'));
    }

    const counters = this.stats.operations[operation];
    counters.calls++;
    const signed = signedRegion(req.headers.authorization);
    const poolId = typeof input.UserPoolId === 'string' ? input.UserPoolId : undefined;
    const region = this.singleRegion ?? (poolId && regionOfPoolId(poolId)) ?? signed ?? FALLBACK_REGION;
    const category = CATEGORY_OF[operation];

    this.stats.recordArrival(region, category, this.clock() - this.startedAt);
    let limitCall: ProvisionedLimitCall | undefined;
    if (operation === 'GetProvisionedLimit') {
      const definition = input.LimitDefinition as { Attributes?: { Category?: unknown } } | undefined;
      limitCall = {
        accountId: caller.accountId,
        ...(caller.roleArn ? { roleArn: caller.roleArn } : {}),
        region,
        category: String(definition?.Attributes?.Category),
        atMs: this.clock() - this.startedAt,
      };
      this.limitCalls.push(limitCall);
    }
    let answer: () => Record<string, unknown> | SimError;
    // Authentication and IAM come before any quota is drawn on.
    const refusal = this.refusal(operation, poolId, signed ?? region, caller.accountId)
      ?? this.accountRefusal(operation, poolId, signed ?? region, caller);
    if (poolId !== undefined) {
      const key = caller.roleArn ?? `account:${caller.accountId}`;
      let pools = this.callerCalls.get(key);
      if (!pools) this.callerCalls.set(key, (pools = new Map()));
      pools.set(poolId, (pools.get(poolId) ?? 0) + 1);
      let regions = this.signedRegionCalls.get(poolId);
      if (!regions) this.signedRegionCalls.set(poolId, (regions = new Map()));
      regions.set(signed ?? 'unsigned', (regions.get(signed ?? 'unsigned') ?? 0) + 1);
    }
    if (refusal) {
      counters.refused++;
      answer = () => refusal;
    } else if (!this.userAdmits(operation, input)) {
      this.stats.perUserThrottled++;
      answer = tooManyRequests;
    } else if (this.fault(operation, 'throttleRate') || !this.bucket(region, category, caller.accountId).tryTake()) {
      answer = tooManyRequests;
    } else {
      this.stats.recordAdmitted(region, category, this.simNow());
      if (this.fault(operation, 'serverErrorRate')) {
        answer = internalError;
      } else if (!this.singleRegion && poolId && signed && regionOfPoolId(poolId) && regionOfPoolId(poolId) !== signed) {
        // Cognito is regional: a pool of another Region does not exist at this endpoint; a secondary
        // replica there does, but serves end-user operations only (none of the simulated ones).
        answer = this.poolReplicas.get(poolId)?.has(signed) ? () => operationNotEnabled(operation, signed) : () => poolNotFound(poolId);
      } else {
        answer = () => this.run(operation, input, signed ?? region, caller.accountId);
      }
    }

    const respond = () => {
      const result = answer();
      if (limitCall) limitCall.outcome = result instanceof SimError ? result.type : 'answered';
      if (result instanceof SimError) {
        if (result.type === 'TooManyRequestsException') counters.throttled++;
        else counters.errors++;
      } else {
        counters.succeeded++;
      }
      send(res, result);
    };
    const delay = this.latencyMs();
    if (delay <= 0) return respond();
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      respond();
    }, delay);
    this.pending.add(timer);
  }

  /** The answer of a caller whose credentials are refused or whose call IAM denies. */
  private refusal(operation: Operation, poolId: string | undefined, region: string, accountId: string): SimError | undefined {
    if (this.access.credentials === 'expired') return expiredToken();
    if (this.access.credentials === 'unrecognized') return unrecognizedClient();
    const onPool = !this.access.denyPools || (poolId !== undefined && this.access.denyPools.includes(poolId));
    const ofAccount = !this.access.denyAccounts || this.access.denyAccounts.includes(accountId);
    const denied = this.access.deny?.includes(operation) && onPool && ofAccount;
    if (!denied) return undefined;
    // An action without a resource type (GetProvisionedLimit) is denied on no resource ARN.
    return operation === 'GetProvisionedLimit' ? accessDeniedWithoutResource(operation, accountId) : accessDenied(operation, region, poolId ?? '*');
  }

  /**
   * A session past its expiration is refused; a call to a pool of another account than the
   * caller's is denied as IAM denies it: the resource ARN is built in the caller's own account,
   * where no policy allows it (AccessDeniedException).
   */
  private accountRefusal(operation: Operation, poolId: string | undefined, region: string, caller: SimCaller): SimError | undefined {
    if (caller.session && Date.now() >= caller.session.expiresMs) return expiredToken();
    const poolAccount = poolId === undefined ? undefined : this.poolAccounts.get(poolId);
    if (poolAccount === undefined || poolAccount === caller.accountId) return undefined;
    const principal = caller.roleArn
      ? `arn:aws:sts::${caller.accountId}:assumed-role/${caller.roleArn.split('/').pop()}/${caller.session!.sessionName}`
      : `arn:aws:iam::${caller.accountId}:user/sweeper`;
    return new SimError('AccessDeniedException',
      `User: ${principal} is not authorized to perform: cognito-idp:${operation} on resource: ` +
      `arn:aws:cognito-idp:${region}:${caller.accountId}:userpool/${poolId} because no identity-based policy allows the cognito-idp:${operation} action`);
  }

  /** CloudWatch (AWS JSON 1.0): the caller's own account's usage, in the Region it signed for. */
  private handleCloudWatch(req: IncomingMessage, target: string, body: Buffer, caller: SimCaller, res: ServerResponse): void {
    let input: Record<string, unknown>;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return send(res, new SimError('SerializationException', 'Request body is not JSON'), CLOUDWATCH_CONTENT_TYPE);
    }
    const region = signedRegion(req.headers.authorization) ?? FALLBACK_REGION;
    send(res, this.usage.answer(target.slice(CLOUDWATCH_TARGET_PREFIX.length), input, caller, region), CLOUDWATCH_CONTENT_TYPE);
  }

  /** STS AssumeRole (query protocol): XML credentials, or an XML error. */
  private handleSts(form: URLSearchParams, caller: SimCaller, res: ServerResponse): void {
    const action = form.get('Action');
    const answer = action === 'AssumeRole'
      ? this.sts.assumeRole(form, caller)
      : new SimError('InvalidAction', `Could not find operation ${String(action)} for version 2011-06-15`, 400);
    const error = answer instanceof SimError ? answer : undefined;
    const body = error ? stsErrorXml(error) : answer as string;
    res.writeHead(error ? error.status : 200, {
      'content-type': 'text/xml',
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': requestId(),
    });
    res.end(body);
  }

  private run(operation: Operation, input: Input, region: string, accountId: string): Record<string, unknown> | SimError {
    const ctx: OperationContext = {
      pools: this.pools,
      region,
      nowMs: Date.now(),
      fault: (name) => this.fault(operation, name),
      rng: this.faultRng,
      limitOf: (category) => {
        if (!(category in DEFAULT_QUOTAS)) return undefined;
        const scaled = (value: number) => Math.round(value * this.timeScale);
        return { provisioned: scaled(this.limitOf(accountId, region, category as Category)), free: scaled(this.quotas[category as Category]) };
      },
    };
    try {
      return HANDLERS[operation](ctx, input);
    } catch (e) {
      if (e instanceof SimError) return e;
      // A simulator bug must not look like a Cognito answer the client would handle.
      return new SimError('InternalErrorException', `simulator bug: ${(e as Error).stack ?? e}`, 500);
    }
  }
}

/** Writes a JSON 1.1 (or 1.0) answer: the output with 200, or the error with its status and type header. */
function send(res: ServerResponse, result: Record<string, unknown> | SimError, contentType = CONTENT_TYPE): void {
  const error = result instanceof SimError ? result : undefined;
  const body = JSON.stringify(error ? { __type: error.type, message: error.message } : result);
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId(),
  };
  if (error) headers['x-amzn-errortype'] = error.type;
  res.writeHead(error ? error.status : 200, headers);
  res.end(body);
}

let requests = 0;
function requestId(): string {
  return `sim-${(++requests).toString(16).padStart(12, '0')}`;
}
