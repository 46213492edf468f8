/**
 * The three Cognito calls of a sweep, each paced by its quota category's limiter and retried
 * until it succeeds or fails for good. Every attempt waits for a token: the first before the
 * command is even built (no CPU spent on calls that must wait, or that a stop cancels), the SDK's
 * own retries in a per-command middleware inside the SDK's retry loop.
 */
import {
  AdminForgetDeviceCommand,
  AdminForgetDeviceCommandInput,
  AdminForgetDeviceCommandOutput,
  AdminListDevicesCommand,
  AdminListDevicesCommandInput,
  AdminListDevicesCommandOutput,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersCommandInput,
  ListUsersCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';
import { onAbort } from './abort-fanout';
import { SweepStoppedError } from './errors';
import type { AdaptiveRateLimiter } from './rate-limiter';
import { backoffMs, ENGINE_TRANSIENT_ROUNDS, isRetryable, isThrottle } from './retry';
import type { QuotaCategory } from './types';
import { UserPace, UserPaces } from './user-pace';

/** Counters shared by every Region of one sweep call. */
export interface CallStats {
  /** Successful calls per category. */
  readonly calls: Record<QuotaCategory, number>;
  /** Throttled attempts. */
  throttled: number;
}

/** One limiter per quota category. */
export type Limiters = Readonly<Record<QuotaCategory, AdaptiveRateLimiter>>;

/** Per category: once aborted, calls not yet sent fail with SweepStoppedError (calls in flight finish). */
export type StopSignals = Readonly<Record<QuotaCategory, AbortSignal>>;

/** A command whose middleware stack can take the budget middleware. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type BudgetableCommand = { readonly middlewareStack: MiddlewareStack<any, any> };

export class BudgetedCalls {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly limiters: Limiters,
    private readonly stats: CallStats,
    private readonly signals: StopSignals,
    private readonly perUserRate: number,
    /** Called after each attempt's answer (or failure): where an injected deadline clock is read. */
    private readonly afterCall?: () => void,
  ) {}

  /** Fresh per-user paces for one user's calls (Cognito's per-user limits). */
  userPaces(): UserPaces {
    return { reads: new UserPace(this.perUserRate), writes: new UserPace(this.perUserRate) };
  }

  /** ListUsers (UserList). */
  listUsers(input: ListUsersCommandInput): Promise<ListUsersCommandOutput> {
    return this.run('UserList', 0, () => new ListUsersCommand(input), (c) => this.client.send(c));
  }

  /** AdminListDevices (UserResourceRead); lower `priority` (the user's place in the sweep) is served first. */
  listDevices(input: AdminListDevicesCommandInput, priority: number, pace?: UserPace): Promise<AdminListDevicesCommandOutput> {
    return this.run('UserResourceRead', priority, () => new AdminListDevicesCommand(input), (c) => this.client.send(c), pace);
  }

  /** AdminForgetDevice (UserResourceUpdate); lower `priority` (the user's place in the sweep) is served first. */
  forgetDevice(input: AdminForgetDeviceCommandInput, priority: number, pace?: UserPace): Promise<AdminForgetDeviceCommandOutput> {
    return this.run('UserResourceUpdate', priority, () => new AdminForgetDeviceCommand(input), (c) => this.client.send(c), pace);
  }

  private async run<C extends BudgetableCommand, O>(
    category: QuotaCategory,
    priority: number,
    make: () => C,
    send: (command: C) => Promise<O>,
    pace?: UserPace,
  ): Promise<O> {
    const signal = this.signals[category];
    let transientRounds = 0;
    for (;;) {
      if (signal.aborted) throw new SweepStoppedError();
      // The user's own pace first: waiting for it must not hold one of the category's tokens.
      await pace?.ready(signal);
      await this.limiters[category].acquire(priority);
      // A fresh command per round: a sent command's stack already holds its resolved plugins.
      const command = make();
      command.middlewareStack.add(this.budgetMiddleware(category, priority, pace), {
        name: 'cognitoDeviceSweepBudget',
        step: 'finalizeRequest',
        priority: 'low',
      });
      try {
        const output = await send(command);
        this.stats.calls[category]++;
        return output;
      } catch (error) {
        if (error instanceof SweepStoppedError) throw error;
        // Throttles were counted and slowed the category down in the middleware; the limiter paces the retry.
        if (isThrottle(error)) continue;
        if (isRetryable(error) && transientRounds < ENGINE_TRANSIENT_ROUNDS) {
          await sleep(backoffMs(++transientRounds), signal);
          continue;
        }
        throw error;
      }
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private budgetMiddleware(category: QuotaCategory, priority: number, pace: UserPace | undefined): FinalizeRequestMiddleware<any, any> {
    const limiter = this.limiters[category];
    let tokenHeld = true;
    return (next) => async (args) => {
      // The first attempt uses the token taken before the command was built; SDK retries take their own.
      if (tokenHeld) {
        tokenHeld = false;
      } else {
        await pace?.ready(this.signals[category]);
        await limiter.acquire(priority);
      }
      // A user has one call in flight: nothing else started for them since `ready`.
      pace?.record();
      const sentAt = performance.now();
      try {
        const result = await next(args);
        limiter.onSuccess(performance.now() - sentAt);
        return result;
      } catch (error) {
        if (isThrottle(error)) {
          this.stats.throttled++;
          limiter.onThrottle();
        }
        throw error;
      } finally {
        this.afterCall?.();
      }
    };
  }
}

/** Waits `ms`, or less if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = onAbort(signal, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
