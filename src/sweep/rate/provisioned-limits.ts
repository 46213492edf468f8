/**
 * The account's real limits (RateBudget.readProvisionedLimits): where an account raised a Cognito
 * quota (provisioned limits, billed), the sweep's budget is a fraction of that limit, not of the
 * documented default. Read once per quota domain (account and Region), with that domain's client,
 * before its first call, through `GetProvisionedLimit`:
 *
 *   request  { LimitDefinition: { LimitClass: 'API_CATEGORY', Attributes: { Category: 'UserResourceRead' } } }
 *   response { Limit: { LimitDefinition, ProvisionedLimitValue, FreeLimitValue } }   (requests/s, integers)
 *
 * Which value is the base quota:
 * - `ProvisionedLimitValue` is the rate Cognito enforces for the account (API reference, LimitType);
 *   UpdateProvisionedLimit only accepts values between the default and the account's maximum, so it
 *   is never below the default. It is the quota the application and the sweep share: the base.
 * - `FreeLimitValue` is the default included at no cost. It is not the base: budgeting on it would
 *   ignore the raise the account pays for. Nor is the base the purchased part alone
 *   (Provisioned - Free): the application's own traffic shares the whole enforced limit, so the
 *   fraction applies to the whole. It is only logged, beside the provisioned value.
 * - The base is max(documented default, ProvisionedLimitValue): an answer below the documented
 *   default would contradict the API's own rule, and opting in must never make a sweep slower than
 *   not opting in; if Cognito enforces less after all, its throttles slow the sweep down as always.
 *
 * Only adjustable categories are read (ADJUSTABLE_CATEGORIES): UserList and UserResourceUpdate
 * cannot be raised ("Quotas in Amazon Cognito"), so their real limit is the documented default and
 * a call for them would only cost a second of the LimitManagement category (1 request/s per
 * account and Region). GetProvisionedLimit has no IAM resource type: only `Resource: "*"` grants it.
 */
import { GetProvisionedLimitCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { SdkError } from '@smithy/types';
import type { QuotaCategory } from './quota-category';
import { DOCUMENTED_QUOTAS } from './rates';
import type { RateBudget, SweepLogger } from '../types';

/** The categories the engine uses whose quota an account can raise with provisioned limits. */
export const ADJUSTABLE_CATEGORIES: readonly QuotaCategory[] = ['UserResourceRead'];

/** Cognito's LimitManagement category allows 1 request/s per account and Region: calls of one domain start at least this far apart. */
export const PROVISIONED_LIMIT_SPACING_MS = 1000;

/** Attempts per category for throttles and transient failures (each spaced as above), then the domain falls back. */
export const PROVISIONED_LIMIT_ATTEMPTS = 3;

/** What one GetProvisionedLimit answer said, and the base quota taken from it. */
export interface ProvisionedLimit {
  /** ProvisionedLimitValue: the rate Cognito enforces for the account (requests/s). */
  readonly provisioned: number;
  /** FreeLimitValue: the default included at no cost (requests/s), when given. */
  readonly free?: number;
  /** The base quota used: max(documented default, provisioned). */
  readonly quota: number;
}

/** How a LimiterSet reads the limits of each domain. */
export interface ProvisionedLimitReading {
  /** The budget the sweep's rates come from: its explicit base quotas and rates decide which categories are read. */
  readonly budget?: RateBudget;
  /** Told once per domain when its limits cannot be read, and (info) what was read. */
  readonly logger?: SweepLogger;
  /** Clock (ms) the calls are spaced on. @default Date.now */
  readonly now?: () => number;
  /** Waits `ms` (tests inject a clock that moves). Resolves early when `signal` aborts. @default a timer */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The outcome of reading one domain: base quotas per category read, or why reading stopped. */
export interface DomainLimits {
  /** The base quotas read, by category (only categories read successfully). */
  readonly quotas: Partial<Record<QuotaCategory, number>>;
  /** The answers behind them. */
  readonly limits: Partial<Record<QuotaCategory, ProvisionedLimit>>;
  /** Why reading failed (`ErrorName: message`); the unread categories then use the documented defaults. */
  readonly failure?: { readonly category: QuotaCategory; readonly cause: string };
}

/**
 * The categories to read for a domain: the adjustable ones the budget leaves to the quota. A
 * category with an explicit base quota is never read; one with an explicit rate only when the
 * domain's usage is followed (the followed quota must be the real limit).
 */
export function categoriesToRead(budget: RateBudget | undefined, followsUsage: boolean): QuotaCategory[] {
  return ADJUSTABLE_CATEGORIES.filter((category) =>
    budget?.baseQuotas?.[category] === undefined && (budget?.ratesPerSecond?.[category] === undefined || followsUsage));
}

/** The base quota an answer gives, or undefined when the answer has no usable ProvisionedLimitValue. */
export function baseQuotaOf(category: QuotaCategory, provisioned: unknown): number | undefined {
  if (typeof provisioned !== 'number' || !Number.isFinite(provisioned) || provisioned <= 0) return undefined;
  return Math.max(DOCUMENTED_QUOTAS[category], provisioned);
}

/**
 * Spaces the GetProvisionedLimit calls of one domain: each starts at least
 * PROVISIONED_LIMIT_SPACING_MS after the previous one was answered (retries too), so that even
 * with network jitter no two reach Cognito within one second. The first call goes at once.
 */
export class LimitManagementPace {
  private lastAnsweredMs: number | undefined;

  constructor(private readonly now: () => number, private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>) {}

  /** Resolves when the next call may start: true, or false when `signal` aborted first. */
  async next(signal?: AbortSignal): Promise<boolean> {
    if (this.lastAnsweredMs !== undefined) {
      for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) {
        if (signal?.aborted) return false;
        await this.sleep(wait, signal);
      }
    }
    return !signal?.aborted;
  }

  /** Marks the end of a call (answered or failed). */
  answered(): void {
    this.lastAnsweredMs = this.now();
  }

  private waitMs(): number {
    return this.lastAnsweredMs! + PROVISIONED_LIMIT_SPACING_MS - this.now();
  }
}

/**
 * Reads the categories' provisioned limits with the domain's client, one category after the other,
 * each call spaced by `pace`. The first failure that retries cannot fix stops the reading: the
 * categories not read keep the documented defaults. Never throws.
 */
export async function readDomainLimits(
  client: CognitoIdentityProviderClient,
  categories: readonly QuotaCategory[],
  pace: LimitManagementPace,
  signal?: AbortSignal,
): Promise<DomainLimits> {
  const quotas: Partial<Record<QuotaCategory, number>> = {};
  const limits: Partial<Record<QuotaCategory, ProvisionedLimit>> = {};
  for (const category of categories) {
    let lastError: unknown;
    let answer: { provisioned: unknown; free: unknown } | undefined;
    for (let attempt = 1; attempt <= PROVISIONED_LIMIT_ATTEMPTS && answer === undefined; attempt++) {
      // A stopped sweep (deadline, Ctrl-C) makes no more calls: the domain keeps the defaults, without a warning.
      if (!await pace.next(signal)) return { quotas, limits };
      try {
        const output = await client.send(new GetProvisionedLimitCommand({
          LimitDefinition: { LimitClass: 'API_CATEGORY', Attributes: { Category: category } },
        }));
        answer = { provisioned: output.Limit?.ProvisionedLimitValue, free: output.Limit?.FreeLimitValue };
      } catch (error) {
        lastError = error;
        if (signal?.aborted) return { quotas, limits };
        if (!retryable(error)) break;
      } finally {
        pace.answered();
      }
    }
    if (answer === undefined) return { quotas, limits, failure: { category, cause: describe(lastError) } };
    const quota = baseQuotaOf(category, answer.provisioned);
    if (quota === undefined) {
      return { quotas, limits, failure: { category, cause: `the answer has no usable ProvisionedLimitValue (${String(answer.provisioned)})` } };
    }
    quotas[category] = quota;
    limits[category] = {
      provisioned: answer.provisioned as number,
      ...(typeof answer.free === 'number' ? { free: answer.free } : {}),
      quota,
    };
  }
  return { quotas, limits };
}

/** A timer that resolves early when `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Throttles (LimitManagement is 1 request/s), 5xx and network failures: worth another attempt. */
function retryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const sdkError = error as SdkError;
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
