/**
 * The sweep engine's contract: what callers (the slice Lambda, the custom resource, the CLI, the
 * demo and the benchmark) pass in and get back. Plain TypeScript: no CDK imports anywhere in src/sweep.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/** Which devices a sweep forgets. */
export type DeviceSelection =
  /** Devices whose last use is older than `staleAfterSeconds` (undated devices are never picked). */
  | { readonly kind: 'stale'; readonly staleAfterSeconds: number }
  /** Every device of every user. */
  | { readonly kind: 'all' }
  /** Every device of the listed users (usernames as Cognito knows them). */
  | { readonly kind: 'users'; readonly usernames: readonly string[] };

/** The quota categories the engine draws on (cognito-facts.md). */
export type QuotaCategory = 'UserList' | 'UserResourceRead' | 'UserResourceUpdate';

/** How much of Cognito's request-rate quota one sweep may use, per account and Region. */
export interface RateBudget {
  /** Fraction (0, 1] of `baseQuotas`. @default 0.5 */
  readonly fraction?: number;
  /** Requests/s per category before the fraction is applied. @default the documented defaults: UserList 30, UserResourceRead 50, UserResourceUpdate 25 */
  readonly baseQuotas?: Partial<Record<QuotaCategory, number>>;
  /** Explicit requests/s per category; wins over `fraction * baseQuotas`. @default none */
  readonly ratesPerSecond?: Partial<Record<QuotaCategory, number>>;
}

/** Per-pool outcome counters. */
export interface PoolReport {
  readonly userPoolId: string;
  readonly usersScanned: number;
  readonly devicesScanned: number;
  readonly devicesStale: number;
  readonly devicesForgotten: number;
  readonly devicesAlreadyGone: number;
  readonly devicesUndated: number;
  readonly errors: number;
}
