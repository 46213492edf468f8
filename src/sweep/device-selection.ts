/* No imports: the published .d.ts of PurgeSelection names this type, and a consumer has no AWS SDK. */

/** Which devices a sweep forgets. */
export type DeviceSelection =
  /** Devices whose last use is older than `staleAfterSeconds` (undated devices are never picked). */
  | { readonly kind: 'stale'; readonly staleAfterSeconds: number }
  /** Every device of every user. */
  | { readonly kind: 'all' }
  /** Every device of the listed users (usernames as Cognito knows them). */
  | { readonly kind: 'users'; readonly usernames: readonly string[] };
