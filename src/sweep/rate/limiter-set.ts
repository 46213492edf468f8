/**
 * The limiters of a sweep, one set per account, real Region and endpoint the clients call. Cognito's quotas
 * are per account and Region: pools whose ids name two Regions but that are reached through one
 * Region (`--region`) or one endpoint draw on one quota, so they must share one budget.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { cloudWatchUsageSource, UsageFollower, UsageSource } from './account-usage';
import {
  abortableSleep, categoriesToRead, DomainLimits, LimitManagementPace, ProvisionedLimitReading, readDomainLimits,
} from './provisioned-limits';
import type { QuotaCategory } from './quota-category';
import { AdaptiveRateLimiter } from './rate-limiter';
import { QUOTA_CATEGORIES, resolveRates } from './rates';
import type { Limiters, StopSignals } from '../calls/calls';
import type { AccountAccess, Grant, SweepLogger } from '../types';

/** Following the account's usage (SweepOptions.followAccountUsage). */
export interface UsageFollowing {
  /** The categories' full quotas (requests/s) in one account and Region. */
  readonly quotas: Record<QuotaCategory, number>;
  /**
   * Usage of a Region, in the caller's own account (`access` undefined) or in an account role's:
   * CloudWatch shows each account only its own usage, so that account's credentials read it.
   */
  readonly sourceFor: (region: string, access?: AccountAccess) => UsageSource;
  /** Between polls (CloudWatch publishes every few minutes). */
  readonly intervalMs: number;
  /** Told once per domain and cause when usage cannot be read (the sweep then follows throttles only there). */
  readonly logger?: SweepLogger;
}

/**
 * Usage from CloudWatch in the Region (cloudwatch:GetMetricData), signed with the account role's
 * credentials when `access` is given (the session the domain's Cognito calls use); `close()` destroys its client.
 */
export function cloudWatchSourceFor(region: string, access?: AccountAccess): UsageSource {
  const client = new CloudWatchClient({ region, ...(access ? { credentials: access.credentials } : {}) });
  return Object.assign(cloudWatchUsageSource(client), { close: () => client.destroy() });
}

/** Budgets created in this process: ids that two LimiterSets cannot share. */
let budgetsCreated = 0;

export class LimiterSet {
  private readonly byTarget = new Map<string, Limiters>();
  /** The limiters of each target, while its limits are being read and after. */
  private readonly creating = new Map<string, Promise<Limiters>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly sources: UsageSource[] = [];
  /** `region account cause` of the usage failures already logged. */
  private readonly reported = new Set<string>();

  /**
   * @param rates the budget of every domain (requests/s per category), unless its limits are read
   * @param provisioned read each domain's real limits first (RateBudget.readProvisionedLimits): that
   *   domain's rates are then the budget's fraction of them, and its followed quotas those limits
   */
  constructor(
    private readonly rates: Record<QuotaCategory, number>,
    private readonly signals: StopSignals,
    private readonly usage?: UsageFollowing,
    private readonly onGrant?: (grant: Grant) => void,
    private readonly provisioned?: ProvisionedLimitReading,
  ) {}

  /**
   * The limiters of the Region (and endpoint) `client` actually calls, for the account of `access`
   * (an account role's; undefined for the default credentials): each account and Region is one
   * quota domain. An account role's usage is read with its credentials: CloudWatch shows each
   * account only its own. With `provisioned`, the domain's limits are read with `client` before
   * its limiters exist, so before its first call.
   */
  async of(client: CognitoIdentityProviderClient, access?: AccountAccess): Promise<Limiters> {
    const region = await client.config.region();
    const accountId = access?.accountId;
    const target = accountId === undefined ? await targetOf(client) : `${await targetOf(client)} ${accountId}`;
    let limiters = this.creating.get(target);
    if (!limiters) {
      limiters = this.create(client, region, target, access);
      this.creating.set(target, limiters);
    }
    return limiters;
  }

  /** Number of distinct budgets handed out. */
  get size(): number {
    return this.creating.size;
  }

  /** The budget (requests/s per category) of every target handed out so far, by target. */
  get budgets(): Map<string, Record<QuotaCategory, number>> {
    return new Map([...this.byTarget].map(([target, limiters]) => [target, budgetOf(limiters)]));
  }

  private async create(client: CognitoIdentityProviderClient, region: string, target: string, access: AccountAccess | undefined): Promise<Limiters> {
    const accountId = access?.accountId;
    const follows = this.usage !== undefined;
    const read = this.provisioned ? await this.readLimits(client, region, target, accountId, follows, this.provisioned) : undefined;
    const rates = read && Object.keys(read.quotas).length > 0 ? resolveRates(this.provisioned?.budget, read.quotas) : this.rates;
    const limiters = limitersFor(rates, this.signals, target, this.onGrant);
    this.byTarget.set(target, limiters);
    // The followed quota of a domain is its real limit.
    if (this.usage) this.follow(region, access, limiters, { ...this.usage, quotas: { ...this.usage.quotas, ...read?.quotas } });
    return limiters;
  }

  /** The domain's provisioned limits; one warning when they cannot be read (the domain then keeps the documented defaults). */
  private async readLimits(
    client: CognitoIdentityProviderClient, region: string, target: string, accountId: string | undefined, follows: boolean,
    reading: ProvisionedLimitReading,
  ): Promise<DomainLimits | undefined> {
    const categories = categoriesToRead(reading.budget, follows);
    if (categories.length === 0) return undefined;
    const pace = new LimitManagementPace(reading.now ?? Date.now, reading.sleep ?? abortableSleep);
    // A run stopped before its first call (deadline, Ctrl-C) reads nothing more.
    const read = await readDomainLimits(client, categories, pace, this.signals.UserList);
    const where = { region, ...(accountId === undefined ? {} : { accountId }), target };
    if (read.failure) {
      reading.logger?.warn('Cannot read the account\'s provisioned limits (cognito-idp:GetProvisionedLimit): this account and Region '
        + 'uses the documented default quotas', { ...where, category: read.failure.category, error: read.failure.cause });
    }
    for (const [category, limit] of Object.entries(read.limits)) {
      reading.logger?.info('Read the account\'s provisioned limit: the budget is a fraction of it in this account and Region', {
        ...where, category, provisionedLimit: limit.provisioned, freeLimit: limit.free, baseQuota: limit.quota,
      });
    }
    return read;
  }

  /** Stops every limiter watching the run's signals and releases the usage sources (call once every Region is done). */
  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    for (const source of this.sources.splice(0)) source.close?.();
    for (const limiters of this.byTarget.values()) for (const limiter of Object.values(limiters)) limiter.close();
  }

  private follow(region: string, access: AccountAccess | undefined, limiters: Limiters, usage: UsageFollowing): void {
    const source = usage.sourceFor(region, access);
    this.sources.push(source);
    const followers = QUOTA_CATEGORIES.map((c) => new UsageFollower(c, usage.quotas[c], limiters[c], source, Date.now,
      (error) => this.reportUsageFailure(region, access?.accountId, c, error, usage.logger)));
    const timer = setInterval(() => followers.forEach((f) => void f.poll()), usage.intervalMs);
    // The sweep, not the poller, decides when the process may exit.
    timer.unref();
    this.timers.push(timer);
  }

  /**
   * A missing cloudwatch:GetMetricData permission (or a network problem) would otherwise turn
   * following off in a domain without a word: say so, once per domain (Region and account) and
   * cause, not once per poll. The domain keeps its budget.
   */
  private reportUsageFailure(
    region: string, accountId: string | undefined, category: QuotaCategory, error: unknown, logger: SweepLogger | undefined,
  ): void {
    const cause = error instanceof Error ? error.name : String(error);
    const key = `${region} ${accountId ?? ''} ${cause}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    logger?.warn('Cannot read the account\'s usage from CloudWatch: until it can, the sweep slows down on throttles only in this Region', {
      region,
      ...(accountId === undefined ? {} : { accountId }),
      category,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
}

function budgetOf(limiters: Limiters): Record<QuotaCategory, number> {
  const budget = {} as Record<QuotaCategory, number>;
  for (const category of QUOTA_CATEGORIES) budget[category] = limiters[category].budget;
  return budget;
}

/** `region endpoint` of a client: its configured Region, and its custom endpoint if any (else AWS's own for the Region). */
export async function targetOf(client: CognitoIdentityProviderClient): Promise<string> {
  const region = await client.config.region();
  const endpoint = client.config.endpoint ? await client.config.endpoint() : undefined;
  const where = endpoint ? `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port ?? ''}${endpoint.path}` : 'aws';
  return `${region} ${where}`;
}

function limitersFor(rates: Record<QuotaCategory, number>, signals: StopSignals, target: string, onGrant?: (grant: Grant) => void): Limiters {
  const limiters = {} as Record<QuotaCategory, AdaptiveRateLimiter>;
  const budgetId = ++budgetsCreated;
  for (const category of QUOTA_CATEGORIES) {
    limiters[category] = new AdaptiveRateLimiter({
      ratePerSecond: rates[category],
      signal: signals[category],
      onGrant: onGrant && ((atMs) => onGrant({ category, target, budgetId, atMs })),
    });
  }
  return limiters;
}
