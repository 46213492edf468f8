/**
 * The three Cognito calls of a sweep, each paced by its quota category's limiter and retried
 * until it succeeds or fails for good. Every attempt (the SDK's own retries too) waits for a
 * token in a per-command middleware inside the SDK's retry loop, just before signing: as close to
 * the wire as a signed request allows, so the limiter's window counts from when calls really leave.
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
import type { DeserializeMiddleware, FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';
import { sleep } from './abort-fanout';
import { anySignal } from './any-signal';
import { classifyError, SweepOperation, SystemicCallError } from './error-class';
import { SweepStoppedError } from '../errors';
import { FirstCallGate } from './first-call-gate';
import { backoffMs, ENGINE_TRANSIENT_ROUNDS, isThrottle } from './retry';
import { bareUserPoolId } from '../input/pool-id';
import type { AdaptiveRateLimiter } from '../rate/rate-limiter';
import { UserPace, UserPaces } from '../rate/user-pace';
import type { QuotaCategory } from '../types';

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

/** Told at once of a call that can never succeed, before the call's promise rejects with it. */
export type SystemicHandler = (error: SystemicCallError) => void;

export class BudgetedCalls {
  /**
   * @param region the Region the client calls (for messages)
   * @param afterCall called after each attempt's answer (or failure): where an injected deadline clock is read
   * @param onSystemic told of each call that fails with a systemic error (see error-class.ts)
   */
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly limiters: Limiters,
    private readonly stats: CallStats,
    private readonly signals: StopSignals,
    private readonly perUserRate: number,
    private readonly region: string,
    private readonly afterCall?: () => void,
    private readonly onSystemic: SystemicHandler = () => {},
    private readonly gate?: FirstCallGate<SweepOperation>,
  ) {}

  /**
   * The calls of one pool: aborting `stop` also ends them (calls waiting for a token are not sent,
   * calls in flight finish), and `onSystemic` hears of the pool's systemic failures. Each operation's
   * first call goes alone (see FirstCallGate), so a missing grant is denied once, not once per user in flight.
   */
  forPool(stop: AbortSignal, onSystemic: SystemicHandler): BudgetedCalls {
    const signals = {} as Record<QuotaCategory, AbortSignal>;
    for (const category of Object.keys(this.signals) as QuotaCategory[]) {
      signals[category] = anySignal([this.signals[category], stop]);
    }
    return new BudgetedCalls(
      this.client, this.limiters, this.stats, signals, this.perUserRate, this.region, this.afterCall, onSystemic, new FirstCallGate(),
    );
  }

  /** Fresh per-user paces for one user's calls (Cognito's per-user limits). */
  userPaces(): UserPaces {
    return { reads: new UserPace(this.perUserRate), writes: new UserPace(this.perUserRate) };
  }

  /** ListUsers (UserList). */
  listUsers(input: ListUsersCommandInput): Promise<ListUsersCommandOutput> {
    return this.run('ListUsers', input.UserPoolId, 'UserList', 0, () => new ListUsersCommand({ ...input, UserPoolId: bareUserPoolId(input.UserPoolId) }), (c) => this.client.send(c));
  }

  /** AdminListDevices (UserResourceRead); lower `priority` (the user's place in the sweep) is served first. */
  listDevices(input: AdminListDevicesCommandInput, priority: number, pace?: UserPace): Promise<AdminListDevicesCommandOutput> {
    return this.run('AdminListDevices', input.UserPoolId, 'UserResourceRead', priority,
      () => new AdminListDevicesCommand({ ...input, UserPoolId: bareUserPoolId(input.UserPoolId) }), (c) => this.client.send(c), pace);
  }

  /** AdminForgetDevice (UserResourceUpdate); lower `priority` (the user's place in the sweep) is served first. */
  forgetDevice(input: AdminForgetDeviceCommandInput, priority: number, pace?: UserPace): Promise<AdminForgetDeviceCommandOutput> {
    return this.run('AdminForgetDevice', input.UserPoolId, 'UserResourceUpdate', priority,
      () => new AdminForgetDeviceCommand({ ...input, UserPoolId: bareUserPoolId(input.UserPoolId) }), (c) => this.client.send(c), pace);
  }

  private async run<C extends BudgetableCommand, O>(
    operation: SweepOperation,
    userPoolId: string | undefined,
    category: QuotaCategory,
    priority: number,
    make: () => C,
    send: (command: C) => Promise<O>,
    pace?: UserPace,
  ): Promise<O> {
    const probe = this.gate ? await this.gate.enter(operation, this.signals[category]) : false;
    let answered = false;
    try {
      const output = await this.attempts(operation, userPoolId, category, priority, make, send, pace);
      answered = true;
      return output;
    } catch (error) {
      // Any answer but a systemic one shows the operation is allowed; a stop says nothing.
      answered = !(error instanceof SweepStoppedError) && !(error instanceof SystemicCallError);
      throw error;
    } finally {
      if (probe) this.gate!.settle(operation, answered);
    }
  }

  /** The attempts of one call: token, send, and retries of throttles and transient failures. */
  private async attempts<C extends BudgetableCommand, O>(
    operation: SweepOperation,
    userPoolId: string | undefined,
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
      // A fresh command per round: a sent command's stack already holds its resolved plugins.
      const command = make();
      this.addBudget(command, category, priority, pace);
      try {
        const output = await send(command);
        this.stats.calls[category]++;
        return output;
      } catch (error) {
        if (error instanceof SweepStoppedError) throw error;
        const verdict = classifyError(error, { operation, userPoolId: userPoolId ?? '', region: this.region });
        // Throttles were counted and slowed the category down in the middleware; the limiter paces the retry.
        if (verdict.kind === 'throttle') continue;
        if (verdict.kind === 'transient' && transientRounds < ENGINE_TRANSIENT_ROUNDS) {
          await sleep(backoffMs(++transientRounds), signal);
          continue;
        }
        if (verdict.kind === 'systemic') {
          const systemic = new SystemicCallError(verdict.scope, verdict.stop, error);
          // Stop the pool before anything else runs, so no call still waiting is sent.
          this.onSystemic(systemic);
          throw systemic;
        }
        throw error;
      }
    }
  }

  /**
   * Two middlewares per command. Inside the SDK's retry loop and just before signing
   * (finalizeRequest), each attempt waits for the user's pace and a token, as late as it can: what
   * runs between the grant and the wire is time the limiter's window must assume the call may
   * still be on its way. Its outcome adapts the category's rate. Next to the HTTP handler
   * (innermost in deserialize), the limiter hears when the request leaves and when any HTTP
   * response comes back, before its body is read: the attempt reached Cognito in between, and the
   * window stops counting it 1 s after the answer.
   */
  private addBudget(command: BudgetableCommand, category: QuotaCategory, priority: number, pace: UserPace | undefined): void {
    const limiter = this.limiters[category];
    const signal = this.signals[category];
    let grant = 0;
    let sentAt = 0;
    let answeredAt = 0;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const budget: FinalizeRequestMiddleware<any, any> = (next) => async (args) => {
      // The user's own pace first: waiting for it must not hold one of the category's tokens.
      await pace?.ready(signal);
      grant = await limiter.acquire(priority);
      // The pool may have stopped while this call waited: its token is spent, the call is not sent.
      if (signal.aborted) throw new SweepStoppedError();
      // A user has one call in flight: nothing else started for them since `ready`.
      pace?.record();
      try {
        const result = await next(args);
        // The round trip on the wire, up to the answer's headers: the link's jitter, not the client's work.
        limiter.onSuccess(answeredAt - sentAt);
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
    // A network failure throws here and proves nothing: that attempt counts until it was sent + guard + 1 s.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const wire: DeserializeMiddleware<any, any> = (next) => async (args) => {
      limiter.sent(grant);
      sentAt = performance.now();
      const result = await next(args);
      answeredAt = performance.now();
      limiter.answered(grant);
      return result;
    };
    command.middlewareStack.addRelativeTo(budget, {
      name: 'cognitoDeviceSweepBudget', relation: 'before', toMiddleware: 'httpSigningMiddleware',
    });
    command.middlewareStack.add(wire, { name: 'cognitoDeviceSweepWire', step: 'deserialize', priority: 'low' });
  }
}
