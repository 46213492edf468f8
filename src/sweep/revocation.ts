/**
 * Revocation: forget every device of one user, now. The same calls, limiters and retries as the
 * sweep (calls.ts): one budget per account and Region shared by every revocation this process
 * runs at once, and each user's own pace. A revoker lives as long as its process (a Lambda
 * container), so the budget holds across the batches it handles.
 *
 * Resolution: a username is used as given. A `sub` is tried as the Username first (AdminListDevices
 * accepts the sub of a local user where the username is not an alias attribute); if Cognito does
 * not know it that way, ListUsers with `sub = "..."` finds the username (federated users, pools
 * whose username is an alias attribute).
 */
import type { AdminListDevicesCommandOutput, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { BudgetedCalls, CallStats, StopSignals } from './calls/calls';
import { createSweepClient } from './calls/clients';
import { errorName } from './calls/error-class';
import { parseUserPoolId } from './input/pool-id';
import { checkRevocationTarget, RevocationTarget } from './input/revocation-target';
import { LimiterSet } from './rate/limiter-set';
import { resolveRates } from './rate/rates';
import { resolvePerUserRate } from './rate/user-pace';
import type { RateBudget, SweepLogger } from './types';

export type { RevocationTarget } from './input/revocation-target';

/** How a revoker calls Cognito. */
export interface RevokerOptions {
  /**
   * The share of Cognito's quotas all revocations of this process may use, per Region. With
   * `readProvisionedLimits`, the share is of the account's real limits: read once per Region
   * (cognito-idp:GetProvisionedLimit) before the first revocation there; if they cannot be read, the
   * logger gets one warning and the Region keeps the documented defaults.
   * @default fraction 0.5 of the documented quotas
   */
  readonly rateBudget?: RateBudget;
  /** List and count, forget nothing. @default false */
  readonly dryRun?: boolean;
  /** A Cognito-compatible endpoint (the simulator). @default AWS */
  readonly endpoint?: string;
  /** Supplies the client of a Region. @default one client per Region created by the revoker */
  readonly clientFor?: (region: string) => CognitoIdentityProviderClient;
  /** Receives warnings (never usernames). @default silent */
  readonly logger?: SweepLogger;
}

/** What one revocation did. */
export interface RevocationResult {
  /** `revoked`: every device is forgotten or gone. `unknownUser`: the pool has no such user (nothing to do). */
  readonly outcome: 'revoked' | 'unknownUser';
  /** How the user was found: as given, by the sub as Username, or through ListUsers. */
  readonly resolvedBy: 'username' | 'subAsUsername' | 'listUsers' | 'none';
  /** Devices the user had when listed. */
  readonly devicesFound: number;
  /** Devices forgotten now (0 in a dry run). */
  readonly devicesForgotten: number;
  /** Devices gone before they could be forgotten (already forgotten, or the user deleted meanwhile). */
  readonly devicesAlreadyGone: number;
}

/** Forgets every device of one user at a time, many at once, under one shared budget. */
export class DeviceRevoker {
  private readonly stop = new AbortController();
  private readonly limiters: LimiterSet;
  private readonly perUserRate: number;
  private readonly clients = new Map<string, { client: CognitoIdentityProviderClient; calls?: Promise<BudgetedCalls> }>();
  private readonly ownClients: CognitoIdentityProviderClient[] = [];
  private order = 0;
  /** Calls and throttles of every revocation so far. */
  readonly stats: CallStats = { calls: { UserList: 0, UserResourceRead: 0, UserResourceUpdate: 0 }, throttled: 0 };

  /** Throws SweepInputError for a bad budget. */
  constructor(private readonly options: RevokerOptions = {}) {
    const signals: StopSignals = { UserList: this.stop.signal, UserResourceRead: this.stop.signal, UserResourceUpdate: this.stop.signal };
    // As the sweep: with readProvisionedLimits, each domain reads its real limits before its first call.
    const reading = options.rateBudget?.readProvisionedLimits ? { budget: options.rateBudget, logger: options.logger } : undefined;
    this.limiters = new LimiterSet(resolveRates(options.rateBudget), signals, undefined, undefined, reading);
    this.perUserRate = resolvePerUserRate(options.rateBudget);
  }

  /**
   * Forgets every device of the user. Resolves once each is forgotten or gone (or the user is
   * unknown); rejects when a call fails for good (after the engine's retries), so the caller can
   * try the whole revocation again. Throws SweepInputError for a malformed target, before any call.
   */
  async revoke(target: RevocationTarget): Promise<RevocationResult> {
    const checked = checkRevocationTarget(target);
    const calls = await this.callsFor(checked.userPoolId);
    // Earlier revocations' calls go first when the budget is short.
    const priority = this.order++;
    const found = await this.listAll(calls, checked, priority);
    if (!found) return { outcome: 'unknownUser', resolvedBy: 'none', devicesFound: 0, devicesForgotten: 0, devicesAlreadyGone: 0 };

    let devicesForgotten = 0;
    let devicesAlreadyGone = 0;
    const paces = calls.userPaces();
    for (let i = 0; i < found.keys.length; i++) {
      if (this.options.dryRun) continue;
      try {
        await calls.forgetDevice({ UserPoolId: checked.userPoolId, Username: found.username, DeviceKey: found.keys[i] }, priority, paces.writes);
        devicesForgotten++;
      } catch (error) {
        const name = errorName(error);
        if (name === 'ResourceNotFoundException') {
          devicesAlreadyGone++;
        } else if (name === 'UserNotFoundException') {
          // The user was deleted meanwhile: their devices went with them.
          devicesAlreadyGone += found.keys.length - i;
          break;
        } else {
          throw error;
        }
      }
    }
    return { outcome: 'revoked', resolvedBy: found.resolvedBy, devicesFound: found.keys.length, devicesForgotten, devicesAlreadyGone };
  }

  /** Stops waiting calls and closes the clients this revoker created. */
  close(): void {
    this.stop.abort();
    this.limiters.close();
    for (const client of this.ownClients) client.destroy();
  }

  /** Every device key of the user (all pages, before any forget: forgetting while paging could shift the pages), or undefined when unknown. */
  private async listAll(calls: BudgetedCalls, target: RevocationTarget, priority: number):
  Promise<{ username: string; keys: string[]; resolvedBy: RevocationResult['resolvedBy'] } | undefined> {
    const paces = calls.userPaces();
    const list = async (username: string): Promise<string[] | undefined> => {
      const keys: string[] = [];
      let token: string | undefined;
      try {
        do {
          const page: AdminListDevicesCommandOutput = await calls.listDevices(
            { UserPoolId: target.userPoolId, Username: username, Limit: 60, PaginationToken: token }, priority, paces.reads);
          for (const device of page.Devices ?? []) if (device.DeviceKey !== undefined) keys.push(device.DeviceKey);
          token = page.PaginationToken;
        } while (token);
      } catch (error) {
        if (errorName(error) === 'UserNotFoundException') return undefined;
        throw error;
      }
      return keys;
    };

    if (target.username !== undefined) {
      const keys = await list(target.username);
      return keys && { username: target.username, keys, resolvedBy: 'username' };
    }
    const sub = target.sub!;
    const bySub = await list(sub);
    if (bySub) return { username: sub, keys: bySub, resolvedBy: 'subAsUsername' };
    const username = await this.usernameOf(calls, target.userPoolId, sub);
    if (username === undefined) return undefined;
    const keys = await list(username);
    return keys && { username, keys, resolvedBy: 'listUsers' };
  }

  /** The username of the user whose sub this is (ListUsers filters on sub), or undefined. */
  private async usernameOf(calls: BudgetedCalls, userPoolId: string, sub: string): Promise<string | undefined> {
    let token: string | undefined;
    // A sub is unique, but ListUsers may answer with empty pages and a token before the end.
    do {
      const page = await calls.listUsers({ UserPoolId: userPoolId, Filter: `sub = "${sub}"`, Limit: 60, AttributesToGet: [], PaginationToken: token });
      const user = page.Users?.find((u) => u.Username !== undefined);
      if (user) return user.Username;
      token = page.PaginationToken;
    } while (token);
    return undefined;
  }

  private callsFor(userPoolId: string): Promise<BudgetedCalls> {
    const { region } = parseUserPoolId(userPoolId);
    let entry = this.clients.get(region);
    if (!entry) {
      const client = this.options.clientFor?.(region) ?? this.createClient(region);
      entry = { client };
      this.clients.set(region, entry);
    }
    const client = entry.client;
    // Pools reached through one Region or endpoint share one budget (LimiterSet keys by target).
    entry.calls ??= this.limiters.of(client)
      .then((limiters) => new BudgetedCalls(client, limiters, this.stats, this.signals(), this.perUserRate, region));
    return entry.calls;
  }

  private createClient(region: string): CognitoIdentityProviderClient {
    const client = createSweepClient(region, { endpoint: this.options.endpoint });
    this.ownClients.push(client);
    return client;
  }

  private signals(): StopSignals {
    return { UserList: this.stop.signal, UserResourceRead: this.stop.signal, UserResourceUpdate: this.stop.signal };
  }
}
