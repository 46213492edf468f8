/**
 * Credentials per account (issue 19): the role of each account in `SweepOptions.accountRoles`,
 * assumed through the SDK's own provider (`fromTemporaryCredentials`: STS AssumeRole) and memoized
 * once per account, so every client of the account (one per Region) shares one session, refreshed
 * by the provider shortly before it expires: a run of hours never signs with expired credentials,
 * since the clients hold the provider, not a value resolved once.
 */
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from '@smithy/core';
import { isThrottlingError, isTransientError, isServerError } from '@smithy/core/retry';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, SdkError } from '@smithy/types';
import { SWEEP_SESSION_NAME_PREFIX } from '../input/session-name';
import type { AccountRole, SweepLogger } from '../types';

/** STS limits a role session name to 64 characters. */
const MAX_SESSION_NAME_LENGTH = 64;
/** One hour: STS's default, and what every role allows (MaxSessionDuration is at least an hour). */
const SESSION_SECONDS = 3600;

/**
 * A role that cannot be assumed: thrown by the account's credential provider (so by every call of
 * that account's clients, before anything is sent). `cause` is STS's answer.
 */
export class RoleNotAssumableError extends Error {
  constructor(readonly accountId: string, readonly roleArn: string, readonly cause: unknown) {
    super(`cannot assume role ${roleArn} for the pools of account ${accountId}: ${describeCause(cause)}`);
    this.name = 'RoleNotAssumableError';
  }
}

/** How the account providers reach STS. */
export interface AccountCredentialOptions {
  /** Names the sessions: `${prefix}${runId}`, cut to 64 characters. */
  readonly runId: string;
  /** An STS-compatible endpoint. @default AWS_ENDPOINT_URL_STS, else the Regional endpoint */
  readonly stsEndpoint?: string;
  /** The profile whose credentials assume the roles. @default the default chain */
  readonly profile?: string;
  readonly logger?: SweepLogger;
}

/** The session name STS is given: the trust policy's prefix, then the run id (characters STS refuses become '-'). */
export function sessionName(prefix: string, runId: string): string {
  return `${prefix}${runId.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, MAX_SESSION_NAME_LENGTH);
}

/**
 * One credential provider per account, made on first use. `region` is the Region of the first
 * domain of the account that asks: its Regional STS endpoint issues the session.
 */
export class AccountCredentials {
  private readonly providers = new Map<string, AwsCredentialIdentityProvider>();

  constructor(private readonly options: AccountCredentialOptions) {}

  /** The provider of `role`'s account. */
  for(role: AccountRole, region: string): AwsCredentialIdentityProvider {
    let provider = this.providers.get(role.accountId);
    if (!provider) {
      provider = this.create(role, region);
      this.providers.set(role.accountId, provider);
    }
    return provider;
  }

  private create(role: AccountRole, region: string): AwsCredentialIdentityProvider {
    const assume = fromTemporaryCredentials({
      params: {
        RoleArn: role.roleArn,
        RoleSessionName: sessionName(role.sessionNamePrefix ?? SWEEP_SESSION_NAME_PREFIX, this.options.runId),
        DurationSeconds: SESSION_SECONDS,
        ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }),
      },
      ...(this.options.profile === undefined ? {} : { masterCredentials: fromNodeProviderChain({ profile: this.options.profile }) }),
      clientConfig: { region, ...(this.options.stsEndpoint === undefined ? {} : { endpoint: this.options.stsEndpoint }) },
    });
    // Refreshed by the SDK's own rule: a new session once the current one is within minutes of expiring.
    const memoized = memoizeIdentityProvider<AwsCredentialIdentity>(assume, isIdentityExpired, doesIdentityRequireRefresh)!;
    // A refusal (no such role, a trust policy that does not match) is final for this run: every
    // later call of the account fails at once, with no second AssumeRole. Throttles and transient
    // failures are tried again by the next call.
    let refusal: RoleNotAssumableError | undefined;
    return async (properties) => {
      if (refusal) throw refusal;
      try {
        return await memoized(properties);
      } catch (error) {
        if (refusal) throw refusal;
        const wrapped = new RoleNotAssumableError(role.accountId, role.roleArn, error);
        if (!isRetryable(error)) {
          // Calls of several Regions may wait on the same AssumeRole: one refusal, one warning.
          refusal = wrapped;
          this.options.logger?.warn('Cannot assume the role of an account: its pools are stopped', {
            accountId: role.accountId, roleArn: role.roleArn, message: describeCause(error),
          });
        }
        throw wrapped;
      }
    };
  }
}

function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const sdkError = error as SdkError;
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

function describeCause(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return String(cause);
  const error = cause as Error;
  return `${error.name}: ${String(error.message).replace(/\s*\n\s*/g, ' ').trim()}`;
}
