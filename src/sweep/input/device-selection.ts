/* No imports: the published .d.ts of PurgeSelection names this type, and a consumer has no AWS SDK. */

/** Which devices a sweep forgets. */
export type DeviceSelection =
  /**
   * The dated rules, at least one of them; either one picks a device:
   * - staleness: its last use is older than `staleAfterSeconds`;
   * - trust lifetime: it was created more than `maxDeviceAgeSeconds` ago, however recently used.
   * Undated devices are never picked (a device without a creation date never by the lifetime rule).
   */
  | { readonly kind: 'stale'; readonly staleAfterSeconds?: number; readonly maxDeviceAgeSeconds?: number }
  /** Every device of every user. */
  | { readonly kind: 'all' }
  /** Every device of the listed users (usernames as Cognito knows them). */
  | { readonly kind: 'users'; readonly usernames: readonly string[] };
