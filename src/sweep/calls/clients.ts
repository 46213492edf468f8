/** One Cognito client per Region (and account), configured for sweeping. */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { EngineRetryStrategy, SDK_MAX_ATTEMPTS } from './retry';

/** How `createSweepClient` builds a client. */
export interface SweepClientOptions {
  /** A Cognito-compatible endpoint (the simulator). @default AWS */
  readonly endpoint?: string;
  /** Connections kept per client; the engine keeps at most this many calls in flight per Region. @default 64 */
  readonly maxSockets?: number;
  /** Profile of the shared config and credentials files whose credentials the default chain uses. @default AWS_PROFILE, else `default` */
  readonly profile?: string;
  /** The credentials to sign with (an account role's, see `AccountAccess`). @default the default chain (of `profile`) */
  readonly credentials?: AwsCredentialIdentityProvider;
}

/**
 * A client for `region` whose transient failures are retried by the SDK's standard strategy and
 * whose throttles reach the engine (which slows down and retries them). Pass clients made here
 * through `SweepOptions.clientFor` when you need to supply your own (credentials, endpoint).
 */
export function createSweepClient(region: string, options: SweepClientOptions = {}): CognitoIdentityProviderClient {
  const maxSockets = options.maxSockets ?? 64;
  return new CognitoIdentityProviderClient({
    region,
    endpoint: options.endpoint,
    profile: options.profile,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: SDK_MAX_ATTEMPTS,
    retryStrategy: new EngineRetryStrategy(),
    requestHandler: new NodeHttpHandler({
      // Enough sockets for every call the pipeline keeps in flight, so none queues inside the agent.
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets, noDelay: true }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: 5_000,
      requestTimeout: 30_000,
    }),
  });
}
