/**
 * Which failures are retried, and by whom (error-class.ts says which are transient). The SDK's standard retry strategy retries transient
 * failures (5xx, InternalErrorException, network errors, timeouts) with its backoff; throttles go
 * back to the engine, whose per-category limiter slows down and paces the retry, and which never
 * gives up on a throttle.
 */
import { isThrottlingError, StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, SdkError, StandardRetryToken } from '@smithy/types';

/** SDK attempts per call for transient failures before the error reaches the engine. */
export const SDK_MAX_ATTEMPTS = 3;

/** Engine-level rounds (each of up to SDK_MAX_ATTEMPTS attempts) for transient failures; throttles are retried without limit. */
export const ENGINE_TRANSIENT_ROUNDS = 6;

/** TooManyRequestsException (or another throttling answer). */
export function isThrottle(error: unknown): boolean {
  return isSdkError(error) && isThrottlingError(error);
}

/** Full-jitter exponential backoff for engine-level transient retries: up to 100 ms x 2^round, at most 5 s. */
export function backoffMs(round: number): number {
  return Math.random() * Math.min(5000, 100 * 2 ** round);
}

/**
 * The SDK's StandardRetryStrategy, except that throttles are handed back at once: retrying them
 * inside the SDK would bypass the engine's rate adaptation and delay them by the SDK's 1 s
 * throttling backoff.
 */
export class EngineRetryStrategy implements RetryStrategyV2 {
  private readonly standard = new StandardRetryStrategy(SDK_MAX_ATTEMPTS);

  acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    return this.standard.acquireInitialRetryToken(retryTokenScope);
  }

  async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    if (errorInfo.errorType === 'THROTTLING') throw errorInfo.error;
    return this.standard.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.standard.recordSuccess(token);
  }
}

function isSdkError(error: unknown): error is SdkError {
  return error instanceof Error;
}
