/** A real SDK client pointed at a simulator, with dummy credentials. */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoSimulator } from './simulator';

export interface SimulatorClientOptions {
  /** Region the client signs for; must match the pools it calls. @default 'eu-west-1' */
  readonly region?: string;
  /** SDK attempts per call (1 = no retries, for tests that count errors). @default the SDK's 3 */
  readonly maxAttempts?: number;
}

/** Creates a CognitoIdentityProviderClient that talks to `sim`. */
export function simulatorClient(sim: CognitoSimulator, options: SimulatorClientOptions = {}): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: options.region ?? 'eu-west-1',
    endpoint: sim.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: options.maxAttempts,
  });
}
