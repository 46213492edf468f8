/**
 * CloudWatch's GetMetricData (AWS JSON 1.0) for the account usage `followAccountUsage` reads:
 * AWS/Usage CallCount and ThrottleCount per Cognito quota category. As in AWS, a caller sees only
 * its own account's metrics, in the Region it signed for; usage no test set reads as no data.
 */
import { SimError } from './errors';
import type { SimCaller } from './sts';

/** X-Amz-Target prefix of CloudWatch's JSON protocol. */
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

/** A category's usage in one account and Region, as rates (the answer is rate x period). */
export interface SimCategoryUsage {
  readonly callsPerSecond: number;
  readonly throttlesPerSecond?: number;
}

/** One GetMetricData call the simulator received. */
export interface UsageReadCall {
  /** The caller's account (the default credentials', or the assumed role's): whose metrics it reads. */
  readonly accountId: string;
  /** The assumed role, if the caller used one. */
  readonly roleArn?: string;
  /** The Region the call was signed for. */
  readonly region: string;
  /** The `Resource` dimensions (quota categories) the queries name, each once. */
  readonly categories: readonly string[];
  /** `answered`, or the error type it got. */
  readonly outcome: string;
}

interface MetricQuery {
  Id?: string;
  MetricStat?: {
    Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Array<{ Name?: string; Value?: string }> };
    Period?: number;
    Stat?: string;
  };
}

/** The usage metrics of every account and Region, and the reads of them. */
export class SimUsage {
  private readonly usage = new Map<string, SimCategoryUsage>();
  private denied: ReadonlySet<string> = new Set();
  private readonly reads: UsageReadCall[] = [];

  /** Sets what the account's callers use of a category in a Region. */
  set(accountId: string, region: string, category: string, usage: SimCategoryUsage): void {
    this.usage.set(`${accountId}/${region}/${category}`, usage);
  }

  /** Accounts whose callers IAM denies cloudwatch:GetMetricData (replaces the previous list). */
  deny(accountIds: readonly string[]): void {
    this.denied = new Set(accountIds);
  }

  /** The reads received, in arrival order. */
  calls(): UsageReadCall[] {
    return this.reads.map((r) => ({ ...r }));
  }

  clearCalls(): void {
    this.reads.length = 0;
  }

  /** Answers one CloudWatch call of `caller`, signed for `region`. */
  answer(operation: string, input: Record<string, unknown>, caller: SimCaller, region: string): Record<string, unknown> | SimError {
    const queries = Array.isArray(input.MetricDataQueries) ? input.MetricDataQueries as MetricQuery[] : [];
    const categories = [...new Set(queries.map((q) => dimension(q, 'Resource') ?? ''))];
    const result = this.resultOf(operation, input, queries, caller, region);
    this.reads.push({
      accountId: caller.accountId,
      ...(caller.roleArn ? { roleArn: caller.roleArn } : {}),
      region,
      categories,
      outcome: result instanceof SimError ? result.type : 'answered',
    });
    return result;
  }

  private resultOf(
    operation: string, input: Record<string, unknown>, queries: MetricQuery[], caller: SimCaller, region: string,
  ): Record<string, unknown> | SimError {
    if (operation !== 'GetMetricData') return new SimError('UnknownOperationException', `Unknown operation ${operation}`);
    if (this.denied.has(caller.accountId)) {
      const principal = caller.roleArn ? `${caller.roleArn} (assumed)` : `arn:aws:iam::${caller.accountId}:user/sweeper`;
      return new SimError('AccessDeniedException',
        `User: ${principal} is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action`);
    }
    const end = typeof input.EndTime === 'number' ? input.EndTime : 0;
    return {
      MetricDataResults: queries.map((q) => {
        const value = this.sumOf(q, caller.accountId, region);
        return {
          Id: q.Id,
          StatusCode: 'Complete',
          Timestamps: value === undefined ? [] : [end - (q.MetricStat?.Period ?? 0)],
          Values: value === undefined ? [] : [value],
        };
      }),
      Messages: [],
    };
  }

  /** The query's Sum over its period, or undefined for metrics the simulator has no data of. */
  private sumOf(query: MetricQuery, accountId: string, region: string): number | undefined {
    const metric = query.MetricStat?.Metric;
    if (metric?.Namespace !== 'AWS/Usage' || dimension(query, 'Service') !== 'Cognito user pools') return undefined;
    const usage = this.usage.get(`${accountId}/${region}/${dimension(query, 'Resource')}`);
    if (!usage) return undefined;
    const rate = metric.MetricName === 'CallCount' ? usage.callsPerSecond : metric.MetricName === 'ThrottleCount' ? usage.throttlesPerSecond ?? 0 : undefined;
    return rate === undefined ? undefined : rate * (query.MetricStat?.Period ?? 0);
  }
}

function dimension(query: MetricQuery, name: string): string | undefined {
  return query.MetricStat?.Metric?.Dimensions?.find((d) => d.Name === name)?.Value;
}
