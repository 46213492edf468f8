/**
 * Following the account's own usage of a quota category, from CloudWatch's AWS/Usage metrics
 * (CallCount and ThrottleCount per category, every caller in the account and Region counted):
 * the sweeper's limiter is capped at what the other callers leave of the quota, and slows down
 * on throttles it did not see itself. Throttles the sweeper receives still cut its rate (AIMD);
 * this reacts to the application being busy before the sweeper is throttled at all.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { QuotaCategory } from './quota-category';
import type { AdaptiveRateLimiter } from './rate-limiter';

/** A category's usage across the account over one window: requests/s and throttled requests/s. */
export interface CategoryUsage {
  readonly callsPerSecond: number;
  readonly throttlesPerSecond: number;
  /** Start of the window the rates are averaged over (epoch ms). */
  readonly windowStartMs: number;
  /** End of that window (epoch ms). */
  readonly windowEndMs: number;
}

/** Where usage comes from: CloudWatch in AWS, anything in tests. Undefined: no data (keep the limiter as is). */
export interface UsageSource {
  (category: QuotaCategory): Promise<CategoryUsage | undefined>;
  /** Releases what the source holds (its CloudWatch client); called once, when the sweep ends. */
  close?(): void;
}

/**
 * The rate the sweeper may use: the quota minus what the other callers use (the account's calls
 * minus the sweeper's own), at most the budget. Zero when others use it all (the limiter's floor applies).
 */
export function rateLeftByOthers(quota: number, budget: number, usage: Pick<CategoryUsage, 'callsPerSecond'>, ownRate: number): number {
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
    return {
      callsPerSecond: calls / periodSeconds,
      throttlesPerSecond: (sum('throttles') ?? 0) / periodSeconds,
      windowStartMs: end - periodSeconds * 1000,
      windowEndMs: end,
    };
  };
}

/** How long the follower remembers its own call counts: beyond any window a usage source reports. */
const SAMPLE_HISTORY_MS = 15 * 60_000;

/** How many calls the sweeper had made by a time (epoch ms). */
interface GrantedSample {
  readonly atMs: number;
  readonly granted: number;
}

/**
 * One category's follower: call `poll()` periodically (the metrics change every few minutes). The
 * account's calls include the sweeper's own, so the follower subtracts its own rate over the SAME
 * window the usage covers (a CloudWatch period that ended minutes ago), from the call counts it
 * samples at each poll.
 */
export class UsageFollower {
  private readonly samples: GrantedSample[] = [];

  /**
   * @param quota the category's quota (requests/s) in this account and Region
   * @param now wall clock in epoch ms (usage windows are CloudWatch timestamps)
   * @param onError told when the source fails (no permission, no network); the limiter is left as it is
   */
  constructor(
    private readonly category: QuotaCategory,
    private readonly quota: number,
    private readonly limiter: AdaptiveRateLimiter,
    private readonly source: UsageSource,
    private readonly now: () => number = Date.now,
    private readonly onError?: (error: unknown) => void,
  ) {
    this.sample();
  }

  /** Reads the usage and caps the limiter; a failing source leaves it as it is (and is reported to onError). */
  async poll(): Promise<void> {
    this.sample();
    let usage: CategoryUsage | undefined;
    try {
      usage = await this.source(this.category);
    } catch (error) {
      this.onError?.(error);
      return;
    }
    if (!usage) return;
    const ownRate = this.ownRateOver(usage.windowStartMs, usage.windowEndMs);
    this.limiter.setCeiling(rateLeftByOthers(this.quota, this.limiter.budget, usage, ownRate));
    if (usage.throttlesPerSecond > 0) this.limiter.onThrottle();
  }

  /** The sweeper's own requests/s between two times (epoch ms). */
  ownRateOver(startMs: number, endMs: number): number {
    const seconds = (endMs - startMs) / 1000;
    if (!(seconds > 0)) return 0;
    return Math.max(0, this.grantedAt(endMs) - this.grantedAt(startMs)) / seconds;
  }

  private sample(): void {
    const atMs = this.now();
    this.samples.push({ atMs, granted: this.limiter.granted });
    // Keep one sample older than the history, so a window starting there is still interpolated.
    while (this.samples.length > 2 && this.samples[1].atMs < atMs - SAMPLE_HISTORY_MS) this.samples.shift();
  }

  /** Calls made by `t`, linear between samples; before the first sample as at it, after the last as at it. */
  private grantedAt(t: number): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (t <= first.atMs) return first.granted;
    if (t >= last.atMs) return last.granted;
    let i = 1;
    while (this.samples[i].atMs < t) i++;
    const a = this.samples[i - 1];
    const b = this.samples[i];
    return a.granted + ((b.granted - a.granted) * (t - a.atMs)) / (b.atMs - a.atMs);
  }
}
