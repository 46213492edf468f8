/**
 * Following the account's own usage of a quota category, from CloudWatch's AWS/Usage metrics
 * (CallCount and ThrottleCount per category, every caller in the account and Region counted):
 * the sweeper's limiter is capped at what the other callers leave of the quota, and slows down
 * on throttles it did not see itself. Throttles the sweeper receives still cut its rate (AIMD);
 * this reacts to the application being busy before the sweeper is throttled at all.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { AdaptiveRateLimiter } from './rate-limiter';
import type { QuotaCategory } from './types';

/** A category's recent usage across the account: requests/s and throttled requests/s. */
export interface CategoryUsage {
  readonly callsPerSecond: number;
  readonly throttlesPerSecond: number;
}

/** Where usage comes from: CloudWatch in AWS, anything in tests. Undefined: no data (keep the limiter as is). */
export type UsageSource = (category: QuotaCategory) => Promise<CategoryUsage | undefined>;

/**
 * The rate the sweeper may use: the quota minus what the other callers use (the account's calls
 * minus the sweeper's own), at most the budget. Zero when others use it all (the limiter's floor applies).
 */
export function rateLeftByOthers(quota: number, budget: number, usage: CategoryUsage, ownRate: number): number {
  const others = Math.max(0, usage.callsPerSecond - ownRate);
  return Math.min(budget, Math.max(0, quota - others));
}

/** Namespace and dimensions of Cognito's usage metrics (Cognito developer guide, "Tracking quotas and usage"). */
const NAMESPACE = 'AWS/Usage';
const SERVICE = 'Cognito user pools';

/** Usage from CloudWatch GetMetricData (cloudwatch:GetMetricData, which has no resource type): the last complete `periodSeconds`. */
export function cloudWatchUsageSource(client: CloudWatchClient, periodSeconds = 300, now: () => number = Date.now): UsageSource {
  return async (category) => {
    const end = Math.floor(now() / (periodSeconds * 1000)) * periodSeconds * 1000;
    const metric = (id: string, name: string) => ({
      Id: id,
      MetricStat: {
        Metric: {
          Namespace: NAMESPACE,
          MetricName: name,
          Dimensions: [
            { Name: 'Service', Value: SERVICE },
            { Name: 'Type', Value: 'API' },
            { Name: 'Resource', Value: category },
            { Name: 'Class', Value: 'None' },
          ],
        },
        Period: periodSeconds,
        Stat: 'Sum',
      },
    });
    const answer = await client.send(new GetMetricDataCommand({
      StartTime: new Date(end - periodSeconds * 1000),
      EndTime: new Date(end),
      MetricDataQueries: [metric('calls', 'CallCount'), metric('throttles', 'ThrottleCount')],
    }));
    const sum = (id: string) => answer.MetricDataResults?.find((r) => r.Id === id)?.Values?.[0];
    const calls = sum('calls');
    if (calls === undefined) return undefined;
    return { callsPerSecond: calls / periodSeconds, throttlesPerSecond: (sum('throttles') ?? 0) / periodSeconds };
  };
}

/** One category's follower: call `poll()` periodically (the metrics change every few minutes). */
export class UsageFollower {
  private grantedAtPoll: number;
  private polledAt: number;

  /**
   * @param quota the category's quota (requests/s) in this account and Region
   * @param now clock in ms
   */
  constructor(
    private readonly category: QuotaCategory,
    private readonly quota: number,
    private readonly limiter: AdaptiveRateLimiter,
    private readonly source: UsageSource,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.polledAt = now();
    this.grantedAtPoll = limiter.granted;
  }

  /** Reads the usage and caps the limiter; a failing source (no permission, no data) leaves it as it is. */
  async poll(): Promise<void> {
    const t = this.now();
    // The sweeper's own rate since the last poll: its calls are in the account's count too.
    const ownRate = (this.limiter.granted - this.grantedAtPoll) / Math.max(1e-3, (t - this.polledAt) / 1000);
    this.grantedAtPoll = this.limiter.granted;
    this.polledAt = t;
    let usage: CategoryUsage | undefined;
    try {
      usage = await this.source(this.category);
    } catch {
      return;
    }
    if (!usage) return;
    this.limiter.setCeiling(rateLeftByOthers(this.quota, this.limiter.budget, usage, ownRate));
    if (usage.throttlesPerSecond > 0) this.limiter.onThrottle();
  }
}
