import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createSweepClient } from '../sweep';
import { bareUserPoolId, parseUserPoolRef } from '../sweep/input/pool-id';
import type { AccountAccess } from '../sweep/types';

/**
 * The engine's clients (its retry and connection settings), one per Region called. Made here, not
 * by the engine, so that --region can override the pools' Regions and the progress bar's
 * DescribeUserPool calls reuse them.
 */
export class RegionClients {
  private readonly clients = new Map<string, CognitoIdentityProviderClient>();

  /**
   * @param regionOverride call this Region whatever the pool's Region (--region)
   * @param endpoint a Cognito-compatible endpoint (--endpoint-url)
   * @param profile the shared config/credentials profile (--profile), as AWS_PROFILE would name it
   */
  constructor(
    private readonly regionOverride: string | undefined,
    private readonly endpoint: string | undefined,
    private readonly profile?: string,
  ) {}

  /** The client for the pools of `poolRegion` (of `access`'s account, with its role's credentials, when given). */
  get(poolRegion: string, access?: AccountAccess): CognitoIdentityProviderClient {
    const region = this.regionOverride ?? poolRegion;
    const key = access ? `${region}@${access.accountId}` : region;
    let client = this.clients.get(key);
    if (!client) {
      // The engine bounds the calls in flight itself; the agent must never queue them behind a socket limit.
      client = createSweepClient(region, { endpoint: this.endpoint, maxSockets: Infinity, profile: this.profile, credentials: access?.credentials });
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * The sum of the pools' EstimatedNumberOfUsers, for the progress bar's total. Best effort:
   * DescribeUserPool is an optional permission with its own quota, so any failure gives undefined
   * (so does a pool of another account: the roles are only assumed once the sweep runs).
   */
  async estimateUsers(userPoolIds: readonly string[]): Promise<number | undefined> {
    const answers = await Promise.allSettled(
      userPoolIds.map((id) => this.get(parseUserPoolRef(id).region).send(new DescribeUserPoolCommand({ UserPoolId: bareUserPoolId(id) }))),
    );
    let total = 0;
    for (const answer of answers) {
      const users = answer.status === 'fulfilled' ? answer.value.UserPool?.EstimatedNumberOfUsers : undefined;
      if (users === undefined) {
        return undefined;
      }
      total += users;
    }
    return total;
  }

  /** Closes every client's connections (the process can then exit). */
  destroy(): void {
    for (const client of this.clients.values()) {
      client.destroy();
    }
    this.clients.clear();
  }
}
